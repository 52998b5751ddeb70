"""The Google Fact Check Tools–compatible search (`GET /api/v1alpha1/claims:search`), checked field
by field against Google's documented shape (developers.google.com/fact-check/tools/api/reference/
rest/v1alpha1/claims/search and the Claim / ClaimReview / Publisher resources it returns)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.models import Claim, Verdict
from claims.tests.api_world import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1alpha1/claims:search"
RATE_LIMIT = 1  # the throttle's counter (claims_ratecounter), as in test_api_queries
GOOGLE_ANSWER = Path(__file__).parent / "fixtures" / "claimreview" / "google_factcheck.json"

# Google's documented members, nothing else: FactCheckedClaimSearchResponse, Claim, ClaimReview, Publisher.
RESPONSE_FIELDS = {"claims", "nextPageToken"}
CLAIM_FIELDS = {"text", "claimant", "claimDate", "claimReview"}
REVIEW_FIELDS = {"publisher", "url", "title", "reviewDate", "textualRating", "languageCode"}
PUBLISHER_FIELDS = {"name", "site"}
PARAMETERS = {"query", "languageCode", "reviewPublisherSiteFilter", "maxAgeDays", "pageSize", "pageToken", "offset"}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")  # google.protobuf.Timestamp, RFC 3339 UTC

IMPORTED_URL = "https://www.politifact.example/factchecks/2026/jan/05/ports-pants/"
IMPORTED = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": IMPORTED_URL,
    "datePublished": "2026-01-05",
    "headline": "No, the new port does not out-handle the whole Caspian",
    "inLanguage": "en-US",
    "author": {"@type": "Organization", "name": "PolitiFact", "url": "https://www.politifact.example/"},
    "claimReviewed": "The new port handles more cargo than every other Caspian port combined.",
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A Minister"},
                     "datePublished": "2025-12-30"},
    "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire!"},
}  # fmt: skip


@pytest.fixture(scope="module")
def world_once(world_once, django_db_blocker):
    with django_db_blocker.unblock():
        report = import_claimreview([ImportInput.from_bytes("one.json", json.dumps(IMPORTED).encode())])
    assert report.created == 1, report.lines()
    return world_once


def search(user=None, **params):
    return client_for(user).get(URL, params)


def error_of(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == status and error["status"] == code and error["message"]
    if field is not None:
        (detail,) = error["details"]
        assert detail["@type"] == "type.googleapis.com/google.rpc.BadRequest"
        assert field in {violation["field"] for violation in detail["fieldViolations"]}, detail
    return error


def assert_google_shape(body: dict) -> None:
    assert set(body) <= RESPONSE_FIELDS
    for claim in body.get("claims", []):
        assert set(claim) <= CLAIM_FIELDS and {"text", "claimReview"} <= set(claim), claim
        assert "claimDate" not in claim or TIMESTAMP.match(claim["claimDate"])
        assert claim["claimReview"], claim
        for review in claim["claimReview"]:
            assert set(review) <= REVIEW_FIELDS and {"publisher", "url", "textualRating"} <= set(review), review
            assert set(review["publisher"]) == PUBLISHER_FIELDS, review
            assert "reviewDate" not in review or TIMESTAMP.match(review["reviewDate"])
            assert all(isinstance(value, str) for key, value in review.items() if key != "publisher")


def test_it_answers_our_own_review_field_by_field(world):
    response = search(query="Azeris Iran")
    assert response.status_code == 200, response.content
    body = response.json()
    assert_google_shape(body)
    assert body == {
        "claims": [
            {
                "text": "More ethnic Azeris live in Iran than in Azerbaijan itself.",
                "claimant": "Public Claimant",
                "claimDate": "2026-03-09T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "Factcheck", "site": "testserver"},
                        "url": "http://testserver/claims/azeris-in-iran/",
                        "title": "More ethnic Azeris live in Iran than in Azerbaijan itself.",
                        "reviewDate": world.public_verdict.published_at.astimezone(dt.UTC).strftime(
                            "%Y-%m-%dT%H:%M:%SZ"
                        ),
                        "textualRating": "Mostly true",
                        "languageCode": "en",
                    }
                ],
            }
        ]
    }


def test_an_imported_review_keeps_its_publisher_label_title_and_language(world):
    body = search(query="Caspian port cargo").json()
    assert_google_shape(body)
    (claim,) = body["claims"]
    assert claim == {
        "text": "The new port handles more cargo than every other Caspian port combined.",
        "claimant": "A Minister",
        "claimDate": "2025-12-30T00:00:00Z",
        "claimReview": [
            {
                "publisher": {"name": "PolitiFact", "site": "politifact.example"},
                "url": IMPORTED_URL,
                "title": "No, the new port does not out-handle the whole Caspian",
                "reviewDate": "2026-01-05T00:00:00Z",
                "textualRating": "Pants on Fire!",
                "languageCode": "en-US",
            }
        ],
    }


def test_a_google_answer_imported_here_comes_back_as_google_gave_it(reviewer, editor, ratings):
    """A program reading Google's answer reads ours: every review of Google's own sample answer,
    imported, is answered with the same members and values."""
    report = import_claimreview([ImportInput.from_path(str(GOOGLE_ANSWER))])
    assert report.created >= 3, report.lines()
    google = json.loads(GOOGLE_ANSWER.read_text())
    ours = {}
    sites = {review["publisher"]["site"] for claim in google["claims"] for review in claim["claimReview"]}
    for site in sites:
        token = None
        while True:
            params = {"reviewPublisherSiteFilter": site, "pageSize": 1} | ({"pageToken": token} if token else {})
            body = search(**params).json()
            assert_google_shape(body)
            for claim in body.get("claims", []):
                for review in claim["claimReview"]:
                    assert review["publisher"]["site"] == site
                    ours[review["url"]] = (claim, review)
            token = body.get("nextPageToken")
            if not token:
                break
    checked = 0
    for claim in google["claims"]:
        for review in claim["claimReview"]:
            if review["url"] not in ours:
                continue  # the importer refused it (its own test says why)
            our_claim, our_review = ours[review["url"]]
            assert our_review == review
            assert our_claim["text"] == claim["text"]
            assert our_claim.get("claimant") == claim.get("claimant")
            if "claimDate" in claim:  # without one, the importer dates the claim by its review
                assert our_claim["claimDate"] == claim["claimDate"]
            checked += 1
    assert checked == report.created


def test_nothing_unpublished_is_found_even_by_staff(world, reviewer, editor, settings):
    for user in (None, reviewer, editor):
        assert search(user, query="zorkmids pipeline").json() == {}
    # a claim in review with a draft verdict, and a published claim whose only verdict is ours but
    # an example (kept from aggregators), are not fact-checked claims to Google's readers
    settings.FACTCHECK_EXPORT_EXAMPLE_REVIEWS = False
    assert len(search(query="Azeris Iran").json()["claims"]) == 1
    Verdict.objects.filter(pk=world.public_verdict.pk).update(is_example=True)
    assert search(query="Azeris Iran").json() == {}
    settings.FACTCHECK_EXPORT_EXAMPLE_REVIEWS = True
    assert len(search(query="Azeris Iran").json()["claims"]) == 1


def test_it_filters_by_review_publisher_site(world):
    theirs = search(reviewPublisherSiteFilter="politifact.example").json()
    assert [c["claimReview"][0]["publisher"]["name"] for c in theirs["claims"]] == ["PolitiFact"]
    # the scheme, "www." and a path are tolerated, as a user pastes them
    assert search(reviewPublisherSiteFilter="https://www.politifact.example/x").json() == theirs
    ours = search(reviewPublisherSiteFilter="testserver").json()
    assert [c["text"] for c in ours["claims"]] == ["More ethnic Azeris live in Iran than in Azerbaijan itself."]
    assert search(reviewPublisherSiteFilter="nytimes.com").json() == {}
    assert search(query="Azeris Iran", reviewPublisherSiteFilter="politifact.example").json() == {}


def test_it_restricts_by_language_ignoring_the_region(world):
    Claim.objects.filter(slug="azeris-in-iran").update(language="pt-PT")
    assert len(search(query="Azeris Iran", languageCode="pt-BR").json()["claims"]) == 1
    assert len(search(query="Azeris Iran", languageCode="pt").json()["claims"]) == 1
    assert search(query="Azeris Iran", languageCode="en-US").json() == {}
    assert search(query="Azeris Iran", languageCode="ptx").json() == {}


def test_max_age_counts_the_newer_of_claim_date_and_review_date(world):
    # our review was published just now: recent, whatever the claim's date
    assert len(search(query="Azeris Iran", maxAgeDays=1).json()["claims"]) == 1
    old = timezone.now() - dt.timedelta(days=400)
    Verdict.objects.filter(pk=world.public_verdict.pk).update(published_at=old)
    Claim.objects.filter(slug="azeris-in-iran").update(first_seen=old.date())
    assert search(query="Azeris Iran", maxAgeDays=30).json() == {}
    assert len(search(query="Azeris Iran", maxAgeDays=500).json()["claims"]) == 1
    Claim.objects.filter(slug="azeris-in-iran").update(first_seen=timezone.now().date())
    assert len(search(query="Azeris Iran", maxAgeDays=30).json()["claims"]) == 1


@pytest.fixture
def many(reviewer, editor, ratings):
    items = [
        {**IMPORTED, "url": f"https://checker.example/{n}", "claimReviewed": f"Caspian tanker number {n} sank."}
        for n in range(7)
    ]
    report = import_claimreview([ImportInput.from_bytes("many.json", json.dumps(items).encode())])
    assert report.created == 7, report.lines()


def test_page_tokens_walk_every_result_once_by_keyset(many):
    seen, token, pages = [], None, 0
    while True:
        params = {"query": "Caspian tanker", "pageSize": 3} | ({"pageToken": token} if token else {})
        with CaptureQueriesContext(connection) as queries:
            body = search(**params).json()
        (page_sql,) = [q["sql"] for q in queries.captured_queries if 'FROM "claims_claim"' in q["sql"]]
        assert "OFFSET" not in page_sql.upper() and "LIMIT 4" in page_sql.upper(), page_sql
        assert_google_shape(body)
        seen += [claim["text"] for claim in body["claims"]]
        pages += 1
        token = body.get("nextPageToken")
        if not token:
            break
    assert pages == 3 and len(seen) == len(set(seen)) == 7
    assert len(search(query="Caspian tanker").json()["claims"]) == 7  # Google's default page: 10


def test_offset_starts_later_and_is_bounded(many):
    everything = [c["text"] for c in search(query="Caspian tanker").json()["claims"]]
    later = search(query="Caspian tanker", offset=5, pageSize=1).json()
    assert [c["text"] for c in later["claims"]] == everything[5:6]
    following = search(query="Caspian tanker", pageSize=1, pageToken=later["nextPageToken"]).json()
    assert [c["text"] for c in following["claims"]] == everything[6:7]
    # with a token the offset is not considered (as Google documents)
    again = search(query="Caspian tanker", pageSize=1, offset=3, pageToken=later["nextPageToken"]).json()
    assert again == following
    error_of(search(query="Caspian tanker", offset=1001), 400, "INVALID_ARGUMENT", "offset")
    error_of(search(query="Caspian tanker", offset=-1), 400, "INVALID_ARGUMENT", "offset")


def test_a_page_costs_two_queries_whatever_its_size(many, django_assert_num_queries):
    for size in (1, 7):
        # the rate counter, the page of claims (claimant joined), their reviews
        with django_assert_num_queries(RATE_LIMIT + 2):
            body = search(query="Caspian tanker", pageSize=size).json()
        assert len(body["claims"]) == size


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "query"),
        ({"query": "  "}, "query"),
        ({"query": "x" * 501}, "query"),
        ({"query": "port", "pageSize": "ten"}, "pageSize"),
        ({"query": "port", "pageSize": 0}, "pageSize"),
        ({"query": "port", "pageSize": 101}, "pageSize"),
        ({"query": "port", "maxAgeDays": 0}, "maxAgeDays"),
        ({"query": "port", "maxAgeDays": "soon"}, "maxAgeDays"),
        ({"query": "port", "languageCode": "english please"}, "languageCode"),
        ({"reviewPublisherSiteFilter": "http://"}, "reviewPublisherSiteFilter"),
        ({"query": "port", "pageToken": "forged"}, "pageToken"),
        ({"query": "port", "pageToken": base64.urlsafe_b64encode(b'{"k":["rank",true],"v":"x","id":1}').decode()},
         "pageToken"),
        # a token made for another ordering (no query: newest first) is refused, not misread
        ({"query": "port", "pageToken": base64.urlsafe_b64encode(b'{"k":["first_seen",true],"v":null,"id":1}')
          .decode()}, "pageToken"),
    ],
)  # fmt: skip
def test_bad_parameters_answer_400_in_googles_error_shape(world, params, field):
    error_of(search(**params), 400, "INVALID_ARGUMENT", field)


def test_other_errors_keep_googles_shape_too(world, settings):
    error = error_of(client_for().post(URL, {}), 405, "UNIMPLEMENTED")
    assert "details" not in error


def test_it_is_in_the_openapi_document_with_googles_parameters_and_shape(world):
    schema = client_for().get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1alpha1/claims:search"]["get"]
    assert {p["name"] for p in operation["parameters"] if p["in"] == "query"} == PARAMETERS
    components = schema["components"]["schemas"]

    def properties(ref):
        return components[ref["$ref"].split("/")[-1]]["properties"]

    response = properties(operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(response) == RESPONSE_FIELDS
    claim = properties(response["claims"]["items"])
    assert set(claim) == CLAIM_FIELDS
    review = properties(claim["claimReview"]["items"])
    assert set(review) == REVIEW_FIELDS
    assert set(properties(review["publisher"])) == PUBLISHER_FIELDS
    error = properties(operation["responses"]["400"]["content"]["application/json"]["schema"])
    assert set(error) == {"error"}
    assert {"code", "message", "status", "details"} == set(properties(error["error"]))


def test_googles_standard_parameters_such_as_the_api_key_are_accepted_and_ignored(world):
    """A client of Google's API sends its `key` (and may send `prettyPrint`, `fields`...)."""
    plain = search(query="Azeris Iran").json()
    assert search(query="Azeris Iran", key="AIza-not-needed-here", prettyPrint="false").json() == plain


def test_the_colon_may_come_percent_encoded(world):
    """Some HTTP clients encode the ":" of `claims:search` in the path."""
    plain = search(query="Azeris Iran").json()
    assert client_for().get("/api/v1alpha1/claims%3Asearch", {"query": "Azeris Iran"}).json() == plain
