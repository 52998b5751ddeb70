"""Reader site: the claim list (search, filters, pagination) and the claim page."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from claims import services
from claims.tests import factories
from claims.tests.site_builders import draft_claim, figure, publish, published_claim

pytestmark = pytest.mark.django_db

LIST = reverse("claims:claim-list")


def jsonld_of(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD script in the page"
    return json.loads(match.group(1))


# --- List -----------------------------------------------------------------------------------


def test_it_lists_published_claims_with_badge_and_summary_but_not_unpublished_ones(client, reviewer, editor, ratings):
    published_claim(
        reviewer=reviewer,
        editor=editor,
        rating=ratings["mostly-false"],
        summary="Double the usual estimates.",
        text="Thirty million Azeris live in Iran.",
    )
    draft_claim(reviewer=reviewer, rating=ratings["true"], text="Unpublished claim about oil.")
    factories.ClaimFactory(text="Brand new claim nobody has reviewed.")

    html = client.get(LIST).content.decode()

    assert "Thirty million Azeris live in Iran." in html
    assert "Double the usual estimates." in html
    assert 'data-rating="mostly-false"' in html and "Mostly false" in html
    assert "Unpublished claim" not in html and "Secret draft summary" not in html
    assert "Brand new claim" not in html


def test_it_searches_full_text_with_stemming(client, reviewer, editor, ratings):
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="The population of Azerbaijan grew.")
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="Israel imports oil by tanker.")
    draft_claim(reviewer=reviewer, rating=ratings["true"], text="Populations of secret places.")

    html = client.get(LIST, {"q": "populations"}).content.decode()

    assert "The population of Azerbaijan grew." in html
    assert "Israel imports oil" not in html
    assert "secret places" not in html


# Claims written one way and the searches a reader types the other way (hyphen, space, joined).
SEAM_CLAIMS = {
    "covid": "Covid-19 killed more people in Iran than reported.",
    "covid-joined": "COVID19 vaccines reached Baku in January.",
    "karabakh": "Nagorno Karabakh had 150,000 residents.",
    "corridor": "The 43-km corridor crosses Syunik.",
    "drone": "Arash 2 drones were used in the strikes.",
}
SEAM_SEARCHES = [
    ("Covid 19", {"covid", "covid-joined"}),
    ("covid-19", {"covid", "covid-joined"}),
    ("COVID19", {"covid", "covid-joined"}),
    ('"covid 19 vaccines"', {"covid-joined"}),
    ("Nagorno-Karabakh", {"karabakh"}),
    ("nagorno karabakh", {"karabakh"}),
    ("43km corridor", {"corridor"}),
    ("43 km", {"corridor"}),
    ("Arash-2", {"drone"}),
    ("covid -19", set()),  # websearch's "not" still works
]


@pytest.fixture
def seam_claims(reviewer, editor, ratings):
    return {
        key: published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text=text, slug=key)
        for key, text in SEAM_CLAIMS.items()
    }


def test_it_finds_hyphenated_and_number_joined_words_either_way(client, seam_claims):
    for query, expected in SEAM_SEARCHES:
        html = client.get(LIST, {"q": query}).content.decode()
        found = {key for key, text in SEAM_CLAIMS.items() if text in html}
        assert found == expected, query


def test_it_lists_search_results_best_match_first_or_newest_first(client, reviewer, editor, ratings):
    best = published_claim(
        reviewer=reviewer,
        editor=editor,
        rating=ratings["true"],
        text="Oil, oil and more oil: the oil exports of Azerbaijan.",
        first_seen=datetime.date(2020, 1, 1),
    )
    newer = published_claim(
        reviewer=reviewer,
        editor=editor,
        rating=ratings["true"],
        text="Tankers carried oil once.",
        first_seen=datetime.date(2026, 1, 1),
    )

    ranked = client.get(LIST, {"q": "oil"}).content.decode()
    newest = client.get(LIST, {"q": "oil", "order": "newest"}).content.decode()
    unsorted = client.get(LIST).content.decode()

    assert ranked.index(best.text) < ranked.index(newer.text)
    assert "best match first" in ranked and 'name="order"' in ranked
    assert newest.index(newer.text) < newest.index(best.text)
    assert "newest first" in newest
    assert 'name="order"' not in unsorted  # ordering by match only means something with a search


def test_it_filters_by_rating_topic_source_and_date(client, reviewer, editor, ratings):
    energy = factories.TopicFactory(name="Energy", slug="energy")
    outlet = factories.SourceFactory(name="Daily Outlet", slug="daily-outlet")
    oil = published_claim(
        reviewer=reviewer,
        editor=editor,
        rating=ratings["false"],
        text="Oil claim.",
        first_seen=datetime.date(2024, 5, 1),
    )
    oil.topics.add(energy)
    services.add_appearance(claim=oil, article=factories.ArticleFactory(outlet=outlet), by=reviewer, quote="q")
    published_claim(
        reviewer=reviewer,
        editor=editor,
        rating=ratings["true"],
        text="Census claim.",
        first_seen=datetime.date(2020, 1, 1),
    )

    def listed(**params):
        html = client.get(LIST, params).content.decode()
        return {text for text in ("Oil claim.", "Census claim.") if text in html}

    assert listed() == {"Oil claim.", "Census claim."}
    assert listed(rating="false") == {"Oil claim."}
    assert listed(rating="true") == {"Census claim."}
    assert listed(topic="energy") == {"Oil claim."}
    assert listed(source="daily-outlet") == {"Oil claim."}
    assert listed(date_from="2023-01-01") == {"Oil claim."}
    assert listed(date_to="2021-01-01") == {"Census claim."}
    assert listed(source="no-such-source") == set()


def test_the_list_and_the_api_filter_by_the_same_rules(client, reviewer, editor, ratings):
    """Each reader filter is the API's filter under the reader's parameter name: both list the same
    claims, and a figure awaiting review (proposed) makes no claim "disputed" in either."""
    energy = factories.TopicFactory(name="Energy", slug="energy")
    outlet = factories.SourceFactory(name="Daily Outlet", slug="daily-outlet")
    disputed_measure = factories.MeasureFactory(name="Oil output", slug="oil-output")
    texts = {"Oil claim.": datetime.date(2024, 5, 1), "Census claim.": datetime.date(2020, 1, 1)}
    oil, census = (
        published_claim(reviewer=reviewer, editor=editor, rating=ratings[rating], text=text, first_seen=first_seen)
        for (text, first_seen), rating in zip(texts.items(), ("false", "true"), strict=True)
    )
    oil.topics.add(energy)
    figure(claim=oil, measure=disputed_measure, reviewer=reviewer, quoted="1m", low=1e6, high=1e6, outlet=outlet)
    proposed = figure(claim=census, measure=disputed_measure, reviewer=reviewer, quoted="2m", low=2e6, high=2e6)
    proposed.proposed = True
    proposed.save(update_fields=["proposed"])
    disputed_measure.conflict_state = "disputed"
    disputed_measure.save()

    def listed(**params):
        html = client.get(LIST, params).content.decode()
        return {text for text in texts if text in html}

    def api(**params):
        response = client.get("/api/v1/claims/", params)
        assert response.status_code == 200, response.content
        return {row["text"] for row in response.json()["results"]}

    pairs = [
        ({"rating": "false"}, {"rating": "false"}),
        ({"topic": "energy"}, {"topic": "energy"}),
        ({"source": "daily-outlet"}, {"source": "daily-outlet"}),
        ({"outlet": "daily-outlet"}, {"outlet": "daily-outlet"}),
        ({"disputed": "yes"}, {"disputed": "true"}),
        ({"date_from": "2024-05-01"}, {"first_seen_after": "2024-05-01"}),  # both days included
        ({"date_to": "2020-01-01"}, {"first_seen_before": "2020-01-01"}),
        (
            {"date_from": "2020-01-01", "date_to": "2024-05-01"},
            {"first_seen_after": "2020-01-01", "first_seen_before": "2024-05-01"},
        ),
        ({"q": "oil"}, {"q": "oil"}),
    ]
    for site_params, api_params in pairs:
        assert listed(**site_params) == api(**api_params), site_params
    assert listed(disputed="yes") == {"Oil claim."}
    assert listed(date_from="2020-01-01", date_to="2024-05-01") == set(texts)
    assert listed(date_from="2024-05-02") == set()


def test_it_answers_malformed_parameters_with_a_message_not_an_error(client, reviewer, editor, ratings):
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="Listed claim.")
    assert "Listed claim." in client.get(LIST, {"page": "abc"}).content.decode()  # a bad page number is page 1
    response = client.get(LIST, {"date_from": "yesterday", "rating": "<b>", "topic": "x" * 500})
    assert response.status_code == 200
    html = response.content.decode()
    # An invalid filter lists nothing (not every claim, as if it had not been asked for) and says why.
    assert "Listed claim." not in html
    assert "First seen from: Enter a valid date." in html and "<li>Rating:" in html and "<li>Topic:" in html
    assert "&lt;b&gt;" in html  # the rejected value, escaped
    assert client.get(LIST, {"page": "999999"}).status_code == 404


def test_it_paginates_newest_first_without_counting(client, reviewer, editor, ratings, django_assert_max_num_queries):
    for day in range(1, 23):
        published_claim(
            reviewer=reviewer,
            editor=editor,
            rating=ratings["true"],
            text=f"Numbered claim {day:02d}.",
            first_seen=datetime.date(2025, 1, day),
        )
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()

    assert "Numbered claim 22." in first and "Numbered claim 03." in first and "Numbered claim 02." not in first
    assert 'rel="next"' in first and "page=2" in first
    assert "Numbered claim 02." in second and "Numbered claim 01." in second and 'rel="next"' not in second
    assert 'rel="prev"' in second


@pytest.mark.parametrize("count", [2, 12])
def test_it_lists_with_a_fixed_number_of_queries(client, reviewer, editor, ratings, django_assert_num_queries, count):
    topic = factories.TopicFactory()
    for _ in range(count):
        published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"]).topics.add(topic)
    # page generation (claims/page_cache.py), rating levels, topics (form choices), claims page, their topics
    with django_assert_num_queries(5):
        client.get(LIST, {"q": "claim", "rating": "true"})


# --- Claim page -----------------------------------------------------------------------------


@pytest.fixture
def checked_claim(reviewer, editor, second_editor, ratings):
    """A published, corrected claim with rationale, evidence, an appearance and a figure in conflict."""
    claimant = factories.SourceFactory(name="Analyst Ann", slug="analyst-ann", kind="person")
    claim = factories.ClaimFactory(
        text="Between 15 and 18 million ethnic Azeris live in Iran.", slug="azeris-in-iran", claimant=claimant
    )
    first = publish(claim=claim, reviewer=reviewer, editor=editor, rating=ratings["mostly-true"], summary="Old view.")
    correction = services.draft_correction(
        verdict=first,
        by=reviewer,
        rating=ratings["mixed"],
        summary="Estimates vary widely.",
        rationale="No **census** counts ethnicity.<script>alert('x')</script>",
        correction_note="We had compared with the wrong survey.",
    )
    services.add_evidence(
        verdict=correction,
        by=reviewer,
        url="https://stats.example.org/report",
        title="Survey report",
        publisher="Stats Office",
        archived_url="https://archive.example.org/report",
    )
    services.submit_verdict(verdict=correction, by=reviewer)
    services.publish_verdict(verdict=correction, by=second_editor)
    measure = factories.MeasureFactory(name="Azeri population of Iran", slug="azeri-population", unit="count")
    ours = figure(
        claim=claim,
        measure=measure,
        reviewer=reviewer,
        quoted="15-18 million",
        low=15e6,
        high=18e6,
        qualifier="range",
        outlet=factories.SourceFactory(name="Review Weekly"),
    )
    other_claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], text="Thirty million.")
    theirs = figure(claim=other_claim, measure=measure, reviewer=reviewer, quoted="30 million", low=3e7, high=3e7)
    hidden_claim = draft_claim(reviewer=reviewer, rating=ratings["true"], text="Hidden figure claim.")
    hidden = figure(claim=hidden_claim, measure=measure, reviewer=reviewer, quoted="99 million", low=99e6, high=99e6)
    measure.conflict_state = "disputed"
    measure.conflicts = [
        {"a": ours.pk, "b": theirs.pk, "reason": "30 million is above 15-18 million."},
        {"a": ours.pk, "b": hidden.pk, "reason": "A conflict with an unpublished figure."},
        "not a dict",
        {"a": "x", "b": None},
    ]
    measure.save()
    claim.refresh_from_db()
    return claim


def test_it_shows_the_verdict_rationale_evidence_appearances_figures_and_history(client, checked_claim):
    html = client.get(checked_claim.get_absolute_url()).content.decode()

    assert "Between 15 and 18 million ethnic Azeris live in Iran." in html
    assert 'data-rating="mixed"' in html and "Estimates vary widely." in html
    assert 'aria-current="true"' in html  # the rating marked on its scale
    assert "No <strong>census</strong> counts ethnicity." in html
    assert "<script>alert" not in html and "alert(&#x27;x&#x27;)" not in html
    assert 'href="https://archive.example.org/report"' in html and "archived copy" in html
    assert "Asserts it" in html and "Review Weekly" in html
    assert '<svg class="chart chart--range"' in html
    assert "⚠ conflict" in html and "30 million is above 15-18 million." in html
    # Nothing of the unpublished claim's figure leaks, not even through the cached conflicts.
    assert "99 million" not in html and "unpublished figure" not in html
    # History: the correction note and the superseded verdict.
    assert "We had compared with the wrong survey." in html and "Old view." in html and "Superseded" in html


def test_it_embeds_claimreview_json_ld_matching_the_page(client, checked_claim):
    response = client.get(checked_claim.get_absolute_url())
    html = response.content.decode()
    data = jsonld_of(html)

    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] in html and data["claimReviewed"] == checked_claim.text
    assert data["reviewRating"]["alternateName"] == "Mixed" and data["reviewRating"]["ratingValue"] == 3
    assert data["description"] == "Estimates vary widely."
    assert [a["url"] for a in data["itemReviewed"]["appearance"]] == [
        a.article.url for a in checked_claim.appearances.order_by("article__published_on", "id")
    ]
    for appearance in data["itemReviewed"]["appearance"]:
        assert f'href="{appearance["url"]}"' in html
    assert data["url"] == f"http://testserver{checked_claim.get_absolute_url()}"
    assert f'<link rel="canonical" href="{data["url"]}">' in html
    assert f'datetime="{data["datePublished"]}' in html
    assert data["itemReviewed"]["author"]["name"] == "Analyst Ann"
    assert '<meta name="description" content="Mixed: Estimates vary widely.">' in html


def test_it_escapes_user_text_in_the_page_and_in_the_json_ld(client, reviewer, editor, ratings):
    claim = published_claim(
        reviewer=reviewer,
        editor=editor,
        rating=ratings["false"],
        summary="</script><script>alert(1)</script>",
        text="<img src=x onerror=alert(1)> claim",
    )
    html = client.get(claim.get_absolute_url()).content.decode()

    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt; claim" in html
    assert "<script>alert(1)" not in html
    assert jsonld_of(html)["description"] == "</script><script>alert(1)</script>"


def test_it_answers_404_for_unknown_and_unpublished_claims(client, reviewer, ratings):
    hidden = draft_claim(reviewer=reviewer, rating=ratings["true"], text="Not yet public.")
    for url in (hidden.get_absolute_url(), reverse("claims:claim-detail", kwargs={"slug": "no-such-claim"})):
        response = client.get(url)
        assert response.status_code == 404
        assert "Not yet public." not in response.content.decode()
        assert "Page not found" in response.content.decode()


def test_it_lets_reviewers_preview_unpublished_claims(client, reviewer, ratings):
    hidden = draft_claim(reviewer=reviewer, rating=ratings["true"], text="Not yet public.")
    client.force_login(reviewer)
    html = client.get(hidden.get_absolute_url()).content.decode()
    assert "Not yet public." in html and "not public" in html
    assert "application/ld+json" not in html


def test_it_shows_a_withdrawn_claim_with_the_reason_and_no_claimreview(client, reviewer, editor, ratings):
    claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="Withdrawn one.")
    services.withdraw_verdict(verdict=claim.published_verdict, by=editor, reason="The source was fabricated.")
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "The verdict was withdrawn" in html and "The source was fabricated." in html
    assert "application/ld+json" not in html


def test_it_renders_the_claim_page_with_a_fixed_number_of_queries(
    client, checked_claim, reviewer, editor, ratings, django_assert_num_queries
):
    # page generation, claim, topics, history, evidence, appearances, authors, measures, which
    # other figures to draw, those figures, rating levels
    with django_assert_num_queries(11):
        client.get(checked_claim.get_absolute_url())
    measure = checked_claim.appearances.first().figures.first().measure
    for n in range(5):
        other = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
        figure(claim=other, measure=measure, reviewer=reviewer, quoted=f"{n} million", low=n * 1e6, high=n * 1e6)
        services.add_appearance(claim=checked_claim, article=factories.ArticleFactory(), by=reviewer, quote=f"q{n}")
    with django_assert_num_queries(11):
        client.get(checked_claim.get_absolute_url())


def test_it_draws_a_bounded_set_of_other_figures_and_links_to_the_measure_page(
    client, checked_claim, reviewer, editor, ratings, monkeypatch
):
    monkeypatch.setattr("claims.views.measures.OTHER_FIGURES_ON_CLAIM_PAGE", 2)
    measure = checked_claim.appearances.first().figures.first().measure
    others = []
    for n in range(5):
        other = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text=f"Other claim {n}.")
        others.append(
            figure(
                claim=other,
                measure=measure,
                reviewer=reviewer,
                quoted=f"{n + 1}00 widgets",
                low=(n + 1) * 100,
                high=(n + 1) * 100,
                when=datetime.date(2026 + n, 1, 1),  # all newer than the fixture's other figure
            )
        )
    measure.refresh_from_db()
    # A conflict pair cached for the oldest figure: it is drawn even though it is not among the newest.
    measure.conflicts = [{"a": others[0].pk, "b": others[4].pk, "reason": "Cached reason."}]
    measure.save()

    html = client.get(checked_claim.get_absolute_url()).content.decode()
    own = checked_claim.appearances.first().figures.first()
    assert f'id="figure-{own.pk}"' in html
    drawn = {f.pk for f in others if f'id="figure-{f.pk}"' in html}
    assert drawn == {others[0].pk, others[4].pk, others[3].pk, others[2].pk}  # the pair, then the 2 newest
    assert "Cached reason." in html
    # 7 visible figures (ours, the fixture's other one, these 5), 5 drawn
    assert "More figures — see the measure page</a>" in html and measure.get_absolute_url() in html
