"""Reading the API: shapes of lists and details, filters, search, ordering, pagination, and that
anonymous clients cannot see or infer anything unpublished."""

import json

import pytest

from claims import services
from claims.tests import factories
from claims.tests.api_world import client_for

pytestmark = pytest.mark.django_db


HIDDEN_WORDS = ("secret", "zorkmid", "hidden-pipeline", "Draft")


def _assert_no_hidden(response):
    """Nothing hidden in the rows (the links echo the query string, so they are left out)."""
    body = json.dumps(response.json()["results"])
    for word in HIDDEN_WORDS:
        assert word not in body, f"{word!r} leaked in {response.request['PATH_INFO']}"


def _slugs(response):
    return [item["slug"] for item in response.json()["results"]]


# --- Visibility -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/",
        "/api/v1/verdicts/",
        "/api/v1/sources/",
        "/api/v1/articles/",
        "/api/v1/measures/",
        "/api/v1/figures/",
        "/api/v1/appearances/",
        "/api/v1/evidence/",
        "/api/v1/claims/?q=pipeline",
        "/api/v1/claims/?q=zorkmids",
        "/api/v1/claims/?status=in_review",
        "/api/v1/claims/?has_verdict=false",
        "/api/v1/claims/?topic=demographics",
    ],
)
def test_it_hides_unpublished_rows_from_anonymous_lists(world, path):
    response = client_for().get(path)
    assert response.status_code == 200
    _assert_no_hidden(response)


def test_it_lists_only_the_public_claim_for_anonymous_and_every_claim_for_staff(world, reviewer):
    assert _slugs(client_for().get("/api/v1/claims/")) == ["azeris-in-iran"]
    staff = client_for(reviewer).get("/api/v1/claims/")
    assert set(_slugs(staff)) == {"azeris-in-iran", "hidden-pipeline-claim"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/hidden-pipeline-claim/",
        "/api/v1/claims/hidden-pipeline-claim/claimreview/",
        "/api/v1/sources/secret-claimant/",
        "/api/v1/sources/secret-outlet/",
        "/api/v1/measures/secret-measure/",
    ],
)
def test_it_answers_404_for_hidden_details(world, path, plain_user, staff_without_group):
    for client in (client_for(), client_for(plain_user), client_for(staff_without_group)):
        assert client.get(path).status_code == 404


def test_it_answers_404_for_hidden_rows_by_id(world):
    client = client_for()
    assert client.get(f"/api/v1/verdicts/{world.hidden_verdict.pk}/").status_code == 404
    assert client.get(f"/api/v1/articles/{world.hidden_article.pk}/").status_code == 404
    assert client.get(f"/api/v1/figures/{world.hidden_figure.pk}/").status_code == 404
    evidence = world.hidden_verdict.evidence.get()
    assert client.get(f"/api/v1/evidence/{evidence.pk}/").status_code == 404


def test_it_refuses_hidden_filter_values_exactly_like_missing_ones(world):
    client = client_for()
    for name, hidden in (
        ("claimant", "secret-claimant"),
        ("outlet", "secret-outlet"),
        ("source", "secret-outlet"),
        ("measure", "secret-measure"),
    ):
        hidden_answer = client.get(f"/api/v1/claims/?{name}={hidden}")
        missing_answer = client.get(f"/api/v1/claims/?{name}=no-such-thing")
        assert hidden_answer.status_code == missing_answer.status_code == 400
        assert hidden_answer.json()[name][0].replace(hidden, "X") == missing_answer.json()[name][0].replace(
            "no-such-thing", "X"
        )


def test_it_counts_only_public_rows_for_anonymous(world, reviewer):
    factories.AppearanceFactory(claim=world.hidden_claim, article=world.public_article)
    article = client_for().get(f"/api/v1/articles/{world.public_article.pk}/").json()
    assert article["appearances_count"] == 1
    staff_article = client_for(reviewer).get(f"/api/v1/articles/{world.public_article.pk}/").json()
    assert staff_article["appearances_count"] == 2
    assert client_for().get("/api/v1/sources/").json()["count"] == 2
    assert client_for().get("/api/v1/measures/").json()["count"] == 1


def test_it_shows_drafts_to_staff_only(world, reviewer):
    anonymous = client_for().get("/api/v1/verdicts/").json()["results"]
    assert [v["id"] for v in anonymous] == [world.public_verdict.pk]
    assert "author" not in anonymous[0]
    staff = client_for(reviewer).get("/api/v1/verdicts/?status=draft").json()["results"]
    assert [v["id"] for v in staff] == [world.hidden_verdict.pk]
    assert staff[0]["author"] == reviewer.username


# --- Shapes ---------------------------------------------------------------------------------


def test_it_lists_claims_with_rating_summary_counts_and_links(world):
    item = client_for().get("/api/v1/claims/").json()["results"][0]
    assert item["text"] == world.public_claim.text
    assert item["claimant"]["slug"] == "public-claimant"
    assert item["rating"] == {"slug": "mostly-true", "label": "Mostly true", "ordinal": 4, "colour": "#4c9a2a"}
    assert item["verdict_summary"] == "Estimates agree on more Azeris in Iran."
    assert item["first_seen"] == "2026-03-09"
    assert item["topics"] == [{"slug": "demographics", "name": "Demographics"}]
    assert (item["appearances_count"], item["figures_count"]) == (1, 1)
    assert item["links"]["web"].endswith("/claims/azeris-in-iran/")
    assert item["links"]["claimreview"].endswith("/api/v1/claims/azeris-in-iran/claimreview/")


def test_it_details_a_claim_with_appearances_figures_history_and_evidence(
    world, reviewer, editor, second_editor, ratings
):
    correction = services.draft_correction(
        verdict=world.public_verdict, by=reviewer, rating=ratings["mixed"], correction_note="New census data."
    )
    correction = services.submit_verdict(verdict=correction, by=reviewer)
    services.publish_verdict(verdict=correction, by=second_editor)
    response = client_for().get("/api/v1/claims/azeris-in-iran/")
    assert response.status_code == 200
    assert response["ETag"]
    claim = response.json()
    assert claim["rating"]["slug"] == "mixed"
    appearance = claim["appearances"][0]
    assert appearance["article"]["outlet"]["slug"] == "public-outlet"
    assert (appearance["quote"], appearance["voice"]) == ("15-18 million", "asserts")
    group = claim["figures_by_measure"][0]
    assert group["measure"]["slug"] == "azeri-population"
    assert "conflict_state" in group["measure"]
    assert group["figures"][0]["low"] == "10.000000"
    assert [(v["status"], v["correction_note"]) for v in claim["verdicts"]] == [
        ("published", "New census data."),
        ("superseded", ""),
    ]
    # A correction starts from the evidence of the verdict it corrects (a copy of its own).
    assert [e["url"] for e in claim["evidence"]] == ["https://stats.example.org/census"]
    assert claim["evidence"][0]["id"] != claim["verdicts"][1]["evidence"][0]["id"]
    assert claim["verdicts"][1]["evidence"][0]["url"] == "https://stats.example.org/census"
    assert "assigned_to" not in claim


def test_it_shows_a_withdrawn_claim_with_its_public_reason(world, editor):
    services.withdraw_verdict(verdict=world.public_verdict, by=editor, reason="The source was retracted.")
    claim = client_for().get("/api/v1/claims/azeris-in-iran/").json()
    assert claim["status"] == "withdrawn"
    assert claim["rating"] is None
    assert claim["verdicts"][0]["withdrawal_reason"] == "The source was retracted."


def test_it_shows_source_scorecards_with_score_interval_and_count(world):
    source = client_for().get("/api/v1/sources/public-claimant/").json()
    credibility = source["credibility"]
    assert credibility["rated_claims_count"] == 1
    assert credibility["low"] < credibility["score"] < credibility["high"]
    assert source["web_url"].endswith("/sources/public-claimant/")


def test_it_shows_a_measure_with_its_figures_and_their_source(world):
    measure = client_for().get("/api/v1/measures/azeri-population/").json()
    assert measure["disputed"] is False
    figure = measure["figures"][0]
    assert figure["said_by"]["slug"] == "public-outlet"
    assert figure["claim"]["slug"] == "azeris-in-iran"
    assert (figure["low"], figure["high"], figure["qualifier"]) == ("10.000000", "12.000000", "range")


def test_it_lists_the_rating_scale_and_topics(world):
    ratings = client_for().get("/api/v1/ratings/").json()
    assert [r["slug"] for r in ratings][:2] == ["true", "mostly-true"]
    assert ratings[-1]["ordinal"] is None
    assert client_for().get("/api/v1/topics/").json()["results"][0]["slug"] == "demographics"


# --- Filters, search, ordering, pagination ------------------------------------------------------


def test_it_filters_claims(world, reviewer, editor, ratings):
    other = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], slug="other")
    client = client_for()
    assert _slugs(client.get("/api/v1/claims/?rating=false")) == ["other"]
    assert set(_slugs(client.get("/api/v1/claims/?rating=false&rating=mostly-true"))) == {"other", "azeris-in-iran"}
    assert _slugs(client.get("/api/v1/claims/?rating_max=2")) == ["other"]
    assert _slugs(client.get("/api/v1/claims/?claimant=public-claimant")) == ["azeris-in-iran"]
    assert _slugs(client.get("/api/v1/claims/?outlet=public-outlet")) == ["azeris-in-iran"]
    assert _slugs(client.get("/api/v1/claims/?source=public-outlet")) == ["azeris-in-iran"]
    assert _slugs(client.get("/api/v1/claims/?source=public-claimant")) == ["azeris-in-iran"]
    assert _slugs(client.get("/api/v1/claims/?topic=demographics")) == ["azeris-in-iran"]
    assert _slugs(client.get("/api/v1/claims/?measure=azeri-population")) == ["azeris-in-iran"]
    assert _slugs(client.get("/api/v1/claims/?first_seen_after=2026-03-01&first_seen_before=2026-03-31")) == [
        "other",  # same day: the newer first
        "azeris-in-iran",
    ]
    assert _slugs(client.get("/api/v1/claims/?first_seen_before=2026-01-01")) == []
    assert _slugs(client.get("/api/v1/claims/?disputed=true")) == []
    assert len(_slugs(client.get("/api/v1/claims/?has_verdict=true"))) == 2
    assert other.slug in _slugs(client.get("/api/v1/claims/?published_after=2000-01-01"))


def test_it_filters_disputed_claims_by_the_measure_state(world):
    world.public_measure.conflict_state = "disputed"
    world.public_measure.save()
    assert _slugs(client_for().get("/api/v1/claims/?disputed=true")) == ["azeris-in-iran"]
    assert [m["slug"] for m in client_for().get("/api/v1/measures/?disputed=true").json()["results"]] == [
        "azeri-population"
    ]


def test_it_filters_by_status_for_staff(world, reviewer):
    assert _slugs(client_for(reviewer).get("/api/v1/claims/?status=in_review")) == ["hidden-pipeline-claim"]
    assert _slugs(client_for().get("/api/v1/claims/?status=in_review")) == []


def test_it_searches_claims_full_text_by_rank(world, reviewer, editor, ratings):
    factories.published_claim(
        reviewer=reviewer,
        editor=editor,
        rating=ratings["false"],
        slug="passing-mention",
        text="A report about Iran's economy mentions Azeris once.",
    )
    results = _slugs(client_for().get("/api/v1/claims/?q=Azeris Iran Azerbaijan"))
    assert results == ["azeris-in-iran"]
    ranked = _slugs(client_for().get("/api/v1/claims/?q=azeris OR azerbaijan"))
    assert ranked[0] == "azeris-in-iran" and "passing-mention" in ranked


def test_it_finds_hyphenated_and_number_joined_words_either_way(world, reviewer, editor, ratings):
    for slug, text in (("covid-hyphen", "Covid-19 reached Tabriz."), ("covid-joined", "COVID19 reached Baku.")):
        factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], slug=slug, text=text)
    factories.published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["true"], slug="karabakh", text="Nagorno Karabakh voted."
    )
    client = client_for()
    for query, expected in (
        ("Covid 19", {"covid-hyphen", "covid-joined"}),
        ("covid19", {"covid-hyphen", "covid-joined"}),
        ("Covid-19 Baku", {"covid-joined"}),
        ("Nagorno-Karabakh", {"karabakh"}),
    ):
        # With `format` named too, the same search answers the same claims.
        assert set(_slugs(client.get("/api/v1/claims/", {"q": query}))) == expected, query
        assert set(_slugs(client.get("/api/v1/claims/", {"q": query, "format": "json"}))) == expected, query


def test_it_filters_sources_by_kind_country_and_score(world):
    world.public_source.credibility_score = 0.8
    world.public_source.credibility_low, world.public_source.credibility_high = 0.6, 0.9
    world.public_source.save()
    client = client_for()
    slugs = lambda path: [s["slug"] for s in client.get(path).json()["results"]]  # noqa: E731
    assert slugs("/api/v1/sources/?kind=person") == ["public-claimant"]
    assert slugs("/api/v1/sources/?country=az") == ["public-claimant"]
    assert slugs("/api/v1/sources/?score_min=0.7") == ["public-claimant"]
    assert slugs("/api/v1/sources/?score_max=0.5") == []
    assert slugs("/api/v1/sources/?ordering=-credibility_score")[0] == "public-claimant"


def test_it_pages_claims_by_cursor_without_repeats(world, reviewer, editor, ratings):
    for n in range(5):
        factories.published_claim(
            reviewer=reviewer, editor=editor, rating=ratings["true"], slug=f"c{n}", first_seen=None
        )
    client = client_for()
    seen, url = [], "/api/v1/claims/?page_size=2&ordering=-first_seen"
    while url:
        page = client.get(url).json()
        seen += [item["slug"] for item in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 6
    assert seen[-1] == "azeris-in-iran"  # nulls first when descending, like PostgreSQL
    ascending, url = [], "/api/v1/claims/?page_size=4&ordering=first_seen"
    while url:
        page = client.get(url).json()
        ascending += [item["slug"] for item in page["results"]]
        url = page["next"]
    assert ascending == ["azeris-in-iran", *sorted(ascending[1:], key=lambda s: int(s[1:]))]


def test_it_pages_search_results_by_rank(world, reviewer, editor, ratings):
    for n in range(3):
        factories.published_claim(
            reviewer=reviewer, editor=editor, rating=ratings["true"], slug=f"azeri-{n}", text="Azeris " * (n + 1)
        )
    client = client_for()
    seen, url = [], "/api/v1/claims/?q=azeris&page_size=1"
    while url:
        page = client.get(url).json()
        seen += [item["slug"] for item in page["results"]]
        url = page["next"]
    assert sorted(seen) == ["azeri-0", "azeri-1", "azeri-2", "azeris-in-iran"]
