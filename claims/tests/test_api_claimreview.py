"""ClaimReview JSON-LD for a claim and the DataFeed of all published reviews: published only."""

import json

import pytest
from django.db.models import Max

from claims import selectors, services
from claims.claimreview import normalise_review
from claims.models import Claim, Verdict
from claims.tests.api_world import client_for

pytestmark = pytest.mark.django_db


def _feed(client=None):
    response = (client or client_for()).get("/api/v1/claimreview/feed/")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def test_it_serves_claimreview_by_suffix_accept_header_and_link(world):
    client = client_for()
    by_suffix = client.get("/api/v1/claims/azeris-in-iran.jsonld")
    by_accept = client.get("/api/v1/claims/azeris-in-iran/", HTTP_ACCEPT="application/ld+json")
    by_link = client.get("/api/v1/claims/azeris-in-iran/claimreview/")
    assert by_suffix["Content-Type"].startswith("application/ld+json")
    assert by_accept["Content-Type"].startswith("application/ld+json")
    assert by_suffix.json() == by_accept.json() == by_link.json()
    review = by_suffix.json()
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == world.public_claim.text
    assert review["reviewRating"]["ratingValue"] == 4
    assert review["reviewRating"]["alternateName"] == "Mostly true"
    assert review["itemReviewed"]["author"]["name"] == "Public Claimant"
    assert review["url"] == "http://testserver/claims/azeris-in-iran/"


def test_it_round_trips_through_the_claimreview_reader(world):
    review = client_for().get("/api/v1/claims/azeris-in-iran.jsonld").json()
    normalised = normalise_review(review)
    assert normalised.rating == "mostly-true"
    assert normalised.claim_text == world.public_claim.text
    assert normalised.claim_identifier == "azeris-in-iran"
    assert normalised.appearance_urls == (world.public_article.url,)


def test_it_has_no_claimreview_for_hidden_or_withdrawn_claims(world, reviewer, editor):
    assert client_for().get("/api/v1/claims/hidden-pipeline-claim.jsonld").status_code == 404
    assert client_for(reviewer).get("/api/v1/claims/hidden-pipeline-claim.jsonld").status_code == 404  # no verdict
    services.withdraw_verdict(verdict=world.public_verdict, by=editor, reason="Retracted.")
    assert client_for().get("/api/v1/claims/azeris-in-iran/claimreview/").status_code == 404
    assert _feed()["dataFeedElement"] == []


def test_it_feeds_only_current_published_reviews(world, reviewer, editor, second_editor, ratings):
    submitted = services.submit_verdict(verdict=world.hidden_verdict, by=reviewer)
    assert submitted.status == "submitted"
    correction = services.draft_correction(
        verdict=world.public_verdict, by=reviewer, rating=ratings["mixed"], correction_note="New data."
    )
    services.publish_verdict(verdict=services.submit_verdict(verdict=correction, by=reviewer), by=second_editor)
    feed = _feed()
    assert feed["@type"] == "DataFeed"
    items = [element["item"][0] for element in feed["dataFeedElement"]]
    assert [item["reviewRating"]["alternateName"] for item in items] == ["Mixed"]
    assert "zorkmid" not in json.dumps(feed)
    staff_items = [element["item"][0] for element in _feed(client_for(reviewer))["dataFeedElement"]]
    assert staff_items == items  # staff get the public feed too: drafts are never exported


def test_the_feed_dates_itself_by_its_last_change_and_answers_304_when_unchanged(
    world, reviewer, second_editor, ratings
):
    client = client_for()
    first = client.get("/api/v1/claimreview/feed/")
    modified = first["Last-Modified"]
    feed = json.loads(b"".join(first.streaming_content))
    newest_public_edit = max(
        Claim.objects.filter(status__in=["published", "withdrawn"]).aggregate(at=Max("updated_at"))["at"],
        Verdict.objects.exclude(status__in=["draft", "submitted"]).aggregate(at=Max("updated_at"))["at"],
    )
    assert feed["dateModified"] == newest_public_edit.isoformat()
    again = client.get("/api/v1/claimreview/feed/", HTTP_IF_MODIFIED_SINCE=modified)
    assert again.status_code == 304 and not again.content
    assert _feed()["dateModified"] == feed["dateModified"]  # a later request does not change it
    services.withdraw_verdict(verdict=world.public_verdict, by=second_editor, reason="Source retracted.")
    changed = client.get("/api/v1/claimreview/feed/")
    assert changed.status_code == 200
    assert json.loads(b"".join(changed.streaming_content))["dateModified"] > feed["dateModified"]


def test_it_leaves_demo_examples_out_unless_configured(world, reviewer, editor, ratings, settings):
    from claims.tests import factories

    example = factories.ClaimFactory(slug="demo-example")
    verdict = services.create_verdict(claim=example, rating=ratings["true"], summary="x", by=reviewer, is_example=True)
    services.publish_verdict(verdict=services.submit_verdict(verdict=verdict, by=reviewer), by=editor)
    settings.FACTCHECK_EXPORT_EXAMPLE_REVIEWS = False
    assert len(_feed()["dataFeedElement"]) == 1
    assert client_for().get("/api/v1/claims/demo-example.jsonld").status_code == 404
    settings.FACTCHECK_EXPORT_EXAMPLE_REVIEWS = True
    assert len(_feed()["dataFeedElement"]) == 2


def test_it_builds_the_same_document_for_the_reader_site_without_a_request(world, settings):
    settings.FACTCHECK_SITE_URL = "https://factcheck.example.org"
    claim = selectors.claim_detail(None).get(slug="azeris-in-iran")
    document = selectors.claimreview_for_claim(claim)
    assert document["url"] == "https://factcheck.example.org/claims/azeris-in-iran/"
