"""Article ingestion: store the text, propose candidate claims with figures, idempotently."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.choices import ClaimStatus, Voice
from claims.ingest.articles import ingest_article, match_measure
from claims.models import Appearance, Article, Claim, Figure, Measure
from claims.services import NotAllowed
from claims.tests.seeds import SEEDS, needs_seeds

pytestmark = pytest.mark.django_db

NAKHCHIVAN = """Close to 15 million Azeris live in north-western Iran, overshadowing Azerbaijan’s own population of roughly 10.5 million.
The agreement granted a US-led consortium exclusive development rights over the corridor for 99 years.
When it emerged that Iranian Arash-2 kamikaze drones were reportedly used in these strikes, Aliyev placed his military on high alert.
What a lovely day it was!
"""


def test_it_stores_the_article_and_proposes_claims_with_figures(reviewer):
    azeris = Measure.objects.create(name="Azeri population of Iran", slug="azeri-pop", unit="count")
    Measure.objects.create(name="Population of Azerbaijan", slug="az-pop", unit="count")
    result = ingest_article(
        text=NAKHCHIVAN,
        url="https://News.example/story?utm_source=feed",
        by=reviewer,
        outlet="News Example",
        authors=["Staff Writer"],
        published_on=dt.date(2026, 3, 9),
        limit=5,
    )
    article = Article.objects.get()
    assert article.url == "https://news.example/story" and article.body == NAKHCHIVAN
    assert article.outlet.name == "News Example" and list(article.authors.values_list("name", flat=True)) == [
        "Staff Writer"
    ]
    assert result.created_claims == 3  # the exclamation about the weather is not checkable
    claims = Claim.objects.order_by("id")
    assert {c.status for c in claims} == {ClaimStatus.NEW}
    top = claims[0]
    assert top.text.startswith("Close to 15 million Azeris") and top.claimant.name == "Staff Writer"
    figures = {f.quoted_text: f for f in Figure.objects.select_related("measure")}
    # Azeris in north-western Iran are not (for sure) the Azeri population of Iran: not filed on it.
    assert "Close to 15 million" not in figures and not azeris.figures.exists()
    population = figures["roughly 10.5 million"]
    assert population.measure.name == "Population of Azerbaijan" and population.proposed  # awaits a reviewer
    assert "99 years" not in figures  # no matching measure: only suggested, in the report
    arash = Appearance.objects.get(claim__text__contains="Arash-2")
    assert arash.voice == Voice.REPORTS and arash.claim.claimant is None
    lines = "\n".join(result.lines())
    assert "suggested measure: duration of" in lines and "no matching measure" in lines
    assert "'Close to 15 million' = about 15 million; suggested measure: Azeris in north-western Iran" in lines


def test_it_is_idempotent_per_article_url(reviewer):
    ingest_article(text=NAKHCHIVAN, url="https://news.example/story", by=reviewer, limit=5)
    again = ingest_article(text=NAKHCHIVAN, url="https://NEWS.example/story#top", by=reviewer, limit=5)
    assert again.created_claims == 0 and not again.article_created
    assert Article.objects.count() == 1 and Claim.objects.count() == 3


def test_it_needs_a_reviewer(staff_without_group):
    with pytest.raises(NotAllowed):
        ingest_article(text=NAKHCHIVAN, url="https://news.example/story", by=staff_without_group)
    assert not Article.objects.exists()


def test_it_matches_measures_only_in_a_compatible_unit():
    km = Measure(name="Length of the transit corridor", slug="corridor-length", unit="km")
    years = Measure(name="Term of the corridor rights", slug="term", unit="year")
    assert match_measure("length of transit corridor", "km", [km, years]) == km
    assert match_measure("length of transit corridor", "percent", [km, years]) is None
    assert match_measure("corridor", "km", [km, years]) is None  # one shared word is not enough


@needs_seeds
def test_it_finds_the_foundation_figures_in_the_seed_articles(superuser):
    call_command("load_demo", verbosity=0)
    out = io.StringIO()
    for name, url in (
        ("003_756a443308609a60.txt", "https://seed.example/003"),
        ("000_3efd370b78738b1c.txt", "https://seed.example/000"),
    ):
        call_command(
            "ingest_article", str(SEEDS / name), "--url", url, "--date", "2026-03-09", "--limit", "12", stdout=out
        )
    report = out.getvalue()
    for quoted in (
        "approximate 15-18 million",
        "Close to 15 million",
        "roughly 10.5 million",
        "46.4%",
        "99 years",
        "43-km",
        "roughly 450 km",
    ):
        assert f"figure {quoted!r} = " in report
    # Only a figure of the same quantity is filed, and then as a proposal for a reviewer to confirm;
    # "share of Israeli oil imports" is not (for sure) Azerbaijan's share of Israel's crude oil imports.
    proposed = Figure.objects.filter(appearance__article__url__startswith="https://seed.example/")
    assert {(f.quoted_text, f.measure.slug, f.proposed) for f in proposed} == {
        ("roughly 10.5 million", "population-of-azerbaijan", True)
    }
    assert Claim.objects.filter(
        status=ClaimStatus.NEW, text__contains="Arash-2", appearances__voice=Voice.REPORTS
    ).exists()


@pytest.fixture
def plain_static(settings):
    """Admin templates without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.mark.usefixtures("plain_static")
def test_it_serves_the_admin_page_to_reviewers(client, reviewer, staff_without_group):
    url = reverse("claims-ingest-article")
    client.force_login(staff_without_group)
    assert client.get(url).status_code == 403
    client.force_login(reviewer)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "url": "https://news.example/pasted",
            "outlet": "Paste News",
            "authors": "A. Writer, B. Writer",
            "published_on": "2026-03-09",
            "kind": "news",
            "limit": 5,
            "text": NAKHCHIVAN,
        },
    )
    assert response.status_code == 200
    assert b"3 new claims" in response.content
    article = Article.objects.get(url="https://news.example/pasted")
    assert article.authors.count() == 2
    assert Claim.history.filter(history_user=reviewer).count() == 3


def test_it_sends_anonymous_visitors_of_the_admin_page_to_login(client):
    response = client.get(reverse("claims-ingest-article"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# 104 characters of slug before the sentences part ways: their slugs share the first 100.
LONG_OPENING = (
    "The state oil company of Azerbaijan reported that its crude exports to Israel and to Italy over the last full year"
)


def test_it_ingests_claims_whose_slugs_share_their_first_100_characters(client, reviewer):
    text = "\n".join(f"{LONG_OPENING} rose by {n}0 percent, to {n}.5 million tonnes." for n in range(1, 5))
    client.force_login(reviewer)
    response = client.post(
        reverse("claims-ingest-article"),
        {"url": "https://news.example/oil", "kind": "news", "limit": 10, "text": text},
    )
    assert response.status_code == 200
    assert b"4 new claims" in response.content, response.content.decode()[-3000:]
    slugs = list(Claim.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 4 and all(len(slug) <= 100 for slug in slugs)
