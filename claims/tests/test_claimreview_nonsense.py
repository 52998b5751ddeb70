"""Nonsense ratings and dates never import as real verdicts: an item whose only rating is not one
is refused with the reason, an impossible date is left empty with a warning, each per item."""

from __future__ import annotations

import json

import pytest

from claims.claimreview import InvalidReview, normalise_review, rate
from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.models import Claim, Verdict


def review(url="https://checks.example/1", rating=None, **extra) -> dict:
    item = {"@type": "ClaimReview", "url": url, "claimReviewed": "Oil exports doubled in 2025.", **extra}
    if rating is not None:
        item["reviewRating"] = {"@type": "Rating", **rating}
    return item


@pytest.mark.parametrize(
    ("rating", "reason"),
    [
        ({"ratingValue": 1e308, "bestRating": 1e-308}, r"ratingValue 1e\+308 is outside its scale"),
        ({"ratingValue": 0.5, "bestRating": 1e-308, "worstRating": 0}, "is not a rating scale"),
        ({"ratingValue": 3, "bestRating": 1e12}, "is not a rating scale"),
        ({"ratingValue": "abc"}, "ratingValue 'abc' is not a number"),
        ({"ratingValue": 9, "bestRating": 5, "worstRating": 1}, "outside its scale"),
        ({"ratingValue": -1e308}, "outside its scale"),
        ({"ratingValue": 3, "bestRating": 3, "worstRating": 3}, "is not a rating scale"),
        ({"ratingValue": 2, "bestRating": "five"}, "bestRating 'five' is not a number"),
    ],
)
def test_a_nonsense_number_without_a_label_is_refused_with_the_reason(rating, reason):
    with pytest.raises(InvalidReview, match=reason):
        normalise_review(review(rating=rating))


def test_a_known_label_beside_a_nonsense_number_decides_with_a_warning():
    normalised = normalise_review(review(rating={"alternateName": "False", "ratingValue": 1e308}))
    assert normalised.rating == "false"
    assert "outside its scale" in normalised.warnings[0]


def test_an_unknown_label_is_kept_as_unverifiable_with_the_reason():
    normalised = normalise_review(review(rating={"alternateName": "abc"}))
    assert (normalised.rating, normalised.rating_label) == ("unverifiable", "abc")
    assert "rating label 'abc' is not one we can place on our scale" in normalised.warnings[0]


def test_sound_numbers_still_rate():
    assert rate(None, value=9, best=10, worst=0) == ("true", None)
    assert rate(None, value="2", best="6", worst="1") == ("mostly-false", None)


@pytest.mark.parametrize("date", ["99999-99-99", "9999-12-31", "2026-02-30", "1066-10-14"])
def test_an_impossible_review_date_is_left_empty_with_a_warning(date):
    normalised = normalise_review(review(rating={"alternateName": "False"}, datePublished=date))
    assert normalised.review_date is None
    assert normalised.warnings and normalised.warnings[0].startswith("datePublished:")


def test_an_old_claim_date_is_kept_but_a_future_one_is_not():
    old = normalise_review(review(rating={"alternateName": "False"}, itemReviewed={"datePublished": "1948-05-14"}))
    assert str(old.claim_date) == "1948-05-14"
    future = normalise_review(review(rating={"alternateName": "False"}, itemReviewed={"datePublished": "9999-01-01"}))
    assert future.claim_date is None and "impossible date" in future.warnings[0]


@pytest.mark.django_db
def test_the_import_reports_each_refused_item_and_stores_no_impossible_date(ratings):
    items = [
        review("https://checks.example/huge", {"ratingValue": 1e308, "bestRating": 1e-308}),
        review("https://checks.example/abc", {"ratingValue": "abc"}),
        review("https://checks.example/ok", {"alternateName": "False"}, datePublished="99999-99-99"),
    ]
    data = "".join(json.dumps(item) + "\n" for item in items).encode()
    report = import_claimreview([ImportInput.from_bytes("items.jsonl", data)])
    assert (report.created, report.skipped) == (1, 2)
    reasons = dict(report.skipped_items)
    assert "ratingValue 1e+308 is outside its scale" in reasons["line 1"]
    assert "ratingValue 'abc' is not a number" in reasons["line 2"]
    assert report.first_warnings == [("line 3", "datePublished: unreadable date '99999-99-99'; left empty")]
    assert list(Verdict.objects.values_list("review_url", flat=True)) == ["https://checks.example/ok"]
    assert Claim.objects.count() == 1
    assert Verdict.objects.get().published_at.year < 9999
