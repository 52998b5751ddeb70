"""Reader site: the source and measure index pages, and the claim list's claimant, outlet and
disputed filters (an invalid value lists nothing and says why)."""

import base64
import json
import re

import pytest
from django.urls import reverse

from claims.choices import ConflictState
from claims.models import Source
from claims.tests import factories
from claims.tests.once import rating_scale, role_user, shared_data
from claims.tests.site_builders import draft_claim, figure, published_claim

pytestmark = pytest.mark.django_db

SOURCES = reverse("claims:source-list")
MEASURES = reverse("claims:measure-list")
CLAIMS = reverse("claims:claim-list")


def names(html: str, among=None) -> list[str]:
    """Names listed, in order; with `among`, only those (factories add outlets of their own)."""
    found = re.findall(r'class="index-row__name" href="[^"]*">([^<]*)</a>', html)
    return found if among is None else [name for name in found if name in among]


WORLD_SOURCES = {"Analyst Ann", "Blogger Bob", "Daily Outlet", "Hidden Hal"}


@pytest.fixture(scope="module")
def world_once(request, django_db_setup, django_db_blocker):
    with shared_data(request, django_db_blocker):
        yield build_world(reviewer=role_user("reviewer"), editor=role_user("editor"), ratings=rating_scale())


def build_world(*, reviewer, editor, ratings):
    """Three public sources of different kinds, scores and countries; one source and one measure
    known only through an unpublished claim; a disputed and a consistent measure."""
    ann = factories.SourceFactory(name="Analyst Ann", slug="analyst-ann", kind="person", country="AZ")
    bob = factories.SourceFactory(name="Blogger Bob", slug="blogger-bob", kind="person", country="IR")
    daily = factories.SourceFactory(name="Daily Outlet", slug="daily-outlet", kind="outlet", country="AZ")
    hidden = factories.SourceFactory(name="Hidden Hal", slug="hidden-hal", kind="person", country="AZ")
    oil = published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claimant=ann, text="Oil claim.")
    census = published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["true"], claimant=bob, text="Census claim."
    )
    secret = draft_claim(reviewer=reviewer, rating=ratings["true"], claimant=hidden, text="Secret claim.")
    population = factories.MeasureFactory(name="Azeri population of Iran", slug="azeri-pop", unit="count")
    distance = factories.MeasureFactory(name="Distance Baku to Nakhchivan", slug="distance", unit="km")
    hidden_measure = factories.MeasureFactory(name="Hidden measure", slug="hidden-measure", unit="count")
    figure(claim=oil, measure=population, reviewer=reviewer, quoted="15 million", low=15e6, high=15e6, outlet=daily)
    figure(claim=census, measure=population, reviewer=reviewer, quoted="30 million", low=30e6, high=30e6)
    figure(claim=census, measure=distance, reviewer=reviewer, quoted="450 km", low=450, high=450)
    figure(claim=secret, measure=hidden_measure, reviewer=reviewer, quoted="3", low=3, high=3)
    # Scorecards as if more verdicts had been published (publishing above recomputed them).
    Source.objects.exclude(pk__in=[ann.pk, bob.pk]).update(credibility_score=None, rated_claims_count=0)
    Source.objects.filter(pk=ann.pk).update(
        credibility_score=0.8, credibility_low=0.6, credibility_high=0.9, rated_claims_count=5
    )
    Source.objects.filter(pk=bob.pk).update(
        credibility_score=0.3, credibility_low=0.1, credibility_high=0.5, rated_claims_count=9
    )
    population.refresh_from_db()
    assert population.conflict_state == ConflictState.DISPUTED
    return {"ann": ann, "bob": bob, "daily": daily, "oil": oil, "census": census, "population": population}


def test_it_lists_public_sources_by_name_and_never_a_hidden_one(client, world):
    response = client.get(SOURCES)
    assert response.status_code == 200
    assert names(response.content.decode(), WORLD_SOURCES) == ["Analyst Ann", "Blogger Bob", "Daily Outlet"]


def test_it_filters_sources_by_search_kind_and_country_and_sorts_by_score_or_rated_claims(client, world):
    def listed(**params):
        response = client.get(SOURCES, params)
        assert response.status_code == 200, params
        return names(response.content.decode(), WORLD_SOURCES)

    assert listed(q="blog") == ["Blogger Bob"]
    assert listed(kind="outlet") == ["Daily Outlet"]
    assert listed(country="az") == ["Analyst Ann", "Daily Outlet"]
    assert listed(kind="person", country="AZ") == ["Analyst Ann"]  # Hidden Hal is not public
    assert listed(sort="rated") == ["Blogger Bob", "Analyst Ann", "Daily Outlet"]
    assert listed(sort="score") == ["Analyst Ann", "Blogger Bob"]  # scored sources only
    assert listed(sort="score-low") == ["Blogger Bob", "Analyst Ann"]


@pytest.mark.parametrize(
    "params, field",
    [({"kind": "wizard"}, "Kind"), ({"country": "Azerbaijan"}, "Country"), ({"sort": "random"}, "Sort by")],
)
def test_it_reports_an_invalid_source_filter_and_lists_nothing(client, world, params, field):
    response = client.get(SOURCES, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert names(html) == []
    assert 'role="alert"' in html and f"<li>{field}:" in html


def test_it_pages_sources_with_keyset_cursors(client, reviewer, editor, ratings, world):
    for n in range(40):
        source = factories.SourceFactory(name=f"Paged {n:02d}", slug=f"paged-{n:02d}")
        published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], claimant=source)
    every = list(Source.objects.public().order_by("name", "id").values_list("name", flat=True))
    assert len(every) > 40
    pages, link, html = [], "", ""
    while link is not None:
        html = client.get(SOURCES + link).content.decode()
        pages.append(names(html))
        found = re.search(r'rel="next" href="([^"]+)"', html)
        link = found.group(1).replace("&amp;", "&") if found else None
        assert link is None or ("cursor=" in link and "page=" not in link)
    assert len(pages) == -(-len(every) // 20) and all(len(page) == 20 for page in pages[:-1])
    assert sum(pages, []) == every  # in order, none twice, none missed
    assert "First page" in html


def test_it_answers_400_for_a_forged_cursor(client, world):
    assert client.get(SOURCES, {"cursor": "garbage"}).status_code == 400
    forged = base64.urlsafe_b64encode(json.dumps({"k": ["name", False], "v": {"d": "x"}, "id": 1}).encode()).decode()
    assert client.get(SOURCES, {"cursor": forged}).status_code == 400
    assert client.get(MEASURES, {"cursor": "garbage"}).status_code == 400


@pytest.mark.parametrize("path", [SOURCES, MEASURES])
@pytest.mark.parametrize("extra", [0, 10])
def test_it_opens_the_index_pages_with_a_fixed_number_of_queries(
    client, reviewer, editor, ratings, world, path, extra, django_assert_num_queries
):
    for _ in range(extra):
        claim = published_claim(
            reviewer=reviewer, editor=editor, rating=ratings["true"], claimant=factories.SourceFactory()
        )
        measure = factories.MeasureFactory()
        figure(claim=claim, measure=measure, reviewer=reviewer, quoted="5", low=5, high=5)
    # page generation (claims/page_cache.py), the page of rows (figure counts as a subquery)
    with django_assert_num_queries(2):
        assert client.get(path).status_code == 200


def test_it_lists_public_measures_with_state_and_figure_count(client, world):
    html = client.get(MEASURES).content.decode()
    assert names(html) == ["Azeri population of Iran", "Distance Baku to Nakhchivan"]  # not the hidden one
    assert "2 figures" in html and "1 figure " in html
    assert names(client.get(MEASURES, {"state": "disputed"}).content.decode()) == ["Azeri population of Iran"]
    assert names(client.get(MEASURES, {"q": "baku"}).content.decode()) == ["Distance Baku to Nakhchivan"]
    bad = client.get(MEASURES, {"state": "on-fire"}).content.decode()
    assert names(bad) == [] and "<li>Agreement:" in bad


def claim_texts(client, **params) -> set[str]:
    html = client.get(CLAIMS, params).content.decode()
    return {text for text in ("Oil claim.", "Census claim.", "Secret claim.") if text in html}


def test_it_filters_claims_by_claimant_outlet_and_disputed_figures(client, world, reviewer, editor, ratings):
    calm = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="Calm claim.")
    figure(
        claim=calm,
        measure=factories.MeasureFactory(name="Calm", unit="km"),
        reviewer=reviewer,
        quoted="1 km",
        low=1,
        high=1,
    )
    assert claim_texts(client, claimant="analyst-ann") == {"Oil claim."}
    assert claim_texts(client, claimant="blogger-bob") == {"Census claim."}
    assert claim_texts(client, outlet="daily-outlet") == {"Oil claim."}
    assert claim_texts(client, disputed="yes") == {"Oil claim.", "Census claim."}
    assert "Calm claim." not in client.get(CLAIMS, {"disputed": "yes"}).content.decode()
    html = client.get(CLAIMS, {"claimant": "analyst-ann"}).content.decode()
    assert "Claimant: <strong>Analyst Ann</strong>" in html


@pytest.mark.parametrize(
    "params",
    [
        {"claimant": "hidden-hal"},  # known only through an unpublished claim: as unknown
        {"claimant": "no-such-person"},
        {"outlet": "no-such-outlet"},
        {"disputed": "maybe"},
        {"rating": "pants-on-fire"},
        {"date_from": "yesterday"},
        {"date_from": "2025-02-01", "date_to": "2025-01-01"},
    ],
)
def test_it_reports_an_invalid_claim_filter_instead_of_listing_every_claim(client, world, params):
    response = client.get(CLAIMS, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert claim_texts(client, **params) == set()
    assert 'role="alert"' in html and "Claims could not be filtered as asked, so none are listed." in html


def test_it_lists_the_index_pages_in_the_sitemap(client):
    xml = client.get("/sitemap.xml").content.decode()
    assert f"{SOURCES}</loc>" in xml and f"{MEASURES}</loc>" in xml
