"""An imported review keeps its own voice: its publisher's label, name and URL are shown beside our
normalised class, exported as written, and never marked up or fed as one of our own reviews."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.models import Verdict
from claims.tests.api_world import client_for

pytestmark = pytest.mark.django_db

REVIEW_URL = "https://www.politifact.example/factchecks/2026/jan/05/ports-pants/"
IMPORTED = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": REVIEW_URL,
    "datePublished": "2026-01-05",
    "author": {"@type": "Organization", "name": "PolitiFact", "url": "https://www.politifact.example/"},
    "claimReviewed": "The new port handles more cargo than every other Caspian port combined.",
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A Minister"}},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 6, "worstRating": 1,
                     "alternateName": "Pants on Fire!"},
}  # fmt: skip


@pytest.fixture
def imported(world):
    report = import_claimreview([ImportInput.from_bytes("one.json", json.dumps(IMPORTED).encode())])
    assert report.created == 1, report.lines()
    return Verdict.objects.select_related("claim", "organisation").get(review_url=REVIEW_URL)


def test_the_claim_page_shows_the_original_label_and_publisher_and_links_their_review(client, imported):
    page = client.get(imported.claim.get_absolute_url()).content.decode()
    assert "“Pants on Fire!”" in page
    assert "PolitiFact" in page
    assert f'href="{REVIEW_URL}"' in page
    assert "on our scale: False" in page
    # theirs, not ours: no ClaimReview markup on our page, and no claim to our two-person rule
    assert "application/ld+json" not in page
    assert "two-person rule applies to our own verdicts, not to imported ones" in page


def test_our_own_claim_page_still_carries_its_claimreview(client, world, imported):
    page = client.get(world.public_claim.get_absolute_url()).content.decode()
    assert "application/ld+json" in page
    assert "read their review" not in page


def test_the_api_gives_the_original_label_publisher_and_review_url(imported, world):
    data = client_for().get(f"/api/v1/claims/{imported.claim.slug}/").json()
    verdict = data["verdicts"][0]
    assert verdict["rating"]["slug"] == "false"
    assert verdict["is_imported"] is True
    assert verdict["original_rating_label"] == "Pants on Fire!"
    assert verdict["publisher"] == {"name": "PolitiFact", "homepage": "https://www.politifact.example/"}
    assert verdict["review_url"] == REVIEW_URL
    listed = {item["slug"]: item for item in client_for().get("/api/v1/claims/").json()["results"]}
    assert (listed[imported.claim.slug]["verdict_label"], listed[imported.claim.slug]["verdict_publisher"]) == (
        "Pants on Fire!",
        "PolitiFact",
    )
    assert (listed["azeris-in-iran"]["verdict_label"], listed["azeris-in-iran"]["verdict_publisher"]) == (
        "Mostly true",
        None,
    )
    ours = client_for().get(f"/api/v1/verdicts/{world.public_verdict.pk}/").json()
    assert (ours["is_imported"], ours["publisher"], ours["review_url"]) == (False, None, None)


def test_exports_write_the_original_label_under_their_name(imported, capsys):
    review = client_for().get(f"/api/v1/claims/{imported.claim.slug}/claimreview/").json()
    assert review["reviewRating"]["alternateName"] == "Pants on Fire!"
    assert review["author"]["name"] == "PolitiFact"
    assert review["url"] == REVIEW_URL
    call_command("export_claimreview", "--format", "jsonl")  # writes to the process's stdout
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    exported = next(line for line in lines if line["url"] == REVIEW_URL)
    assert exported["reviewRating"]["alternateName"] == "Pants on Fire!"
    assert exported["author"]["name"] == "PolitiFact"


def test_our_datafeeds_list_only_our_own_reviews(imported, world, capsys):
    response = client_for().get("/api/v1/claimreview/feed/")
    feed = json.loads(b"".join(response.streaming_content))
    urls = [element["item"][0]["url"] for element in feed["dataFeedElement"]]
    assert urls == [f"http://testserver{world.public_claim.get_absolute_url()}"]
    call_command("export_claimreview")
    command_feed = json.loads(capsys.readouterr().out)
    command_urls = [element["item"][0]["url"] for element in command_feed["dataFeedElement"]]
    assert REVIEW_URL not in command_urls
    assert len(command_urls) == 1


def test_footer_and_methodology_tell_our_verdicts_from_imported_ones(client, db):
    page = client.get("/methodology/").content.decode()
    assert "Every verdict is approved by a second editor" not in page
    assert "Every verdict of ours is approved by a second editor" in page
    assert "Reviews from other fact-checkers" in page
    assert "the two-person rule above applies to our own verdicts only" in page


def test_the_claim_list_shows_an_imported_review_as_theirs(client, imported, world):
    page = client.get("/claims/").content.decode()
    assert "Rated “Pants on Fire!” by PolitiFact (their review, imported)" in page
    assert page.count("(their review, imported)") == 1  # our own verdict is not marked so


def test_the_home_page_shows_an_imported_review_as_theirs(client, imported, world):
    page = client.get("/").content.decode()
    assert "Rated “Pants on Fire!” by PolitiFact (their review, imported)" in page
    assert page.count("(their review, imported)") == 1


@pytest.mark.parametrize("url", ["javascript://%0aalert(1)", "/checks/relative-only"])
def test_a_review_url_kept_as_written_is_shown_as_text_never_linked(client, world, url):
    item = {**IMPORTED, "url": url, "author": {"@type": "Organization", "name": "Desk"}}
    report = import_claimreview([ImportInput.from_bytes("one.json", json.dumps(item).encode())])
    assert report.created == 1 and report.warnings == 1, report.lines()
    claim = Verdict.objects.select_related("claim").get(review_url=url).claim
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "read their review" not in page
    assert f'href="{url}"' not in page
    assert "their review's address, as given" in page


def test_an_imported_label_and_publisher_are_escaped_everywhere_they_show(client, world):
    payload = '<img src=x onerror="alert(1)">'
    item = {**IMPORTED, "author": {"@type": "Organization", "name": f"Desk {payload}", "url": "https://desk.example/"},
            "reviewRating": {"@type": "Rating", "alternateName": f"False {payload}"}}  # fmt: skip
    assert import_claimreview([ImportInput.from_bytes("one.json", json.dumps(item).encode())]).created == 1
    claim = Verdict.objects.select_related("claim").get(review_url=REVIEW_URL).claim
    for path in (claim.get_absolute_url(), "/claims/", "/"):
        page = client.get(path).content.decode()
        assert "<img src=x" not in page, path
        assert "&lt;img src=x" in page, path
