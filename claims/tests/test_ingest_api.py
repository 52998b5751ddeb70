"""POST /api/v1/import/claimreview/: editors import a file or a JSON body; nothing else gets in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from claims.models import Claim, Verdict

pytestmark = pytest.mark.django_db

URL = "/api/v1/import/claimreview/"
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture
def api():
    return APIClient()


def test_it_imports_an_uploaded_datafeed_for_an_editor(api, editor):
    api.force_authenticate(editor)
    upload = SimpleUploadedFile("feed.json", (FIXTURES / "datafeed.json").read_bytes(), "application/json")
    response = api.post(URL, {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["skipped"]) == (2, 1)
    assert body["skipped_items"][0]["position"] == "dataFeedElement[2].item[0]"
    assert {h.history_user for h in Verdict.history.all()} == {editor}


def test_it_imports_a_json_body_and_json_lines(api, editor):
    api.force_authenticate(editor)
    body = (FIXTURES / "single_http_context.json").read_bytes()
    response = api.post(URL, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["created"] == 1
    lines = (FIXTURES / "reviews.jsonl").read_bytes()
    response = api.post(URL, lines, content_type="application/x-ndjson")
    assert response.status_code == 200 and response.json()["created"] == 3
    again = api.post(URL, body, content_type="application/json")
    assert again.json()["unchanged"] == 1 and Claim.objects.count() == 4


def test_it_refuses_a_malformed_file_with_nothing_written(api, editor):
    api.force_authenticate(editor)
    response = api.post(URL, (FIXTURES / "truncated.json").read_bytes(), content_type="application/json")
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]
    assert not Claim.objects.exists()
    assert api.post(URL, b"", content_type="application/json").status_code == 400


@pytest.mark.parametrize("who", [None, "plain_user", "staff_without_group", "reviewer"])
def test_it_is_for_editors_only(api, request, who):
    if who:
        api.force_authenticate(request.getfixturevalue(who))
    response = api.post(URL, json.dumps({"url": "https://x.example/1"}), content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Claim.objects.exists()


def test_it_refuses_an_oversized_upload(api, editor, settings):
    settings.FACTCHECK_IMPORT_MAX_BYTES = 100
    api.force_authenticate(editor)
    response = api.post(URL, (FIXTURES / "datafeed.json").read_bytes(), content_type="application/json")
    assert response.status_code == 413 and not Claim.objects.exists()


def test_it_accepts_bodies_above_the_general_limit_up_to_the_import_limit(api, editor, settings):
    """The site-wide body limit (2 MiB) must not cut the import endpoint below its own limit."""
    api.force_authenticate(editor)
    assert settings.FACTCHECK_BODY_LIMITS_BY_PATH[URL] > settings.FACTCHECK_MAX_BODY_BYTES
    review = json.loads((FIXTURES / "single_http_context.json").read_bytes())
    padding = "x" * (settings.FACTCHECK_MAX_BODY_BYTES + 1024)
    review["reviewBody"] = padding  # an unknown, ignored field makes the body large
    response = api.post(URL, json.dumps(review), content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    assert response.json()["created"] == 1
    elsewhere = api.post("/api/v1/claims/", json.dumps({"text": padding}), content_type="application/json")
    assert elsewhere.status_code == 413


def _review_line(url: str) -> bytes:
    return json.dumps({"@type": "ClaimReview", "url": url, "claimReviewed": "A claim.", "reviewRating": {}}).encode()


@pytest.mark.parametrize(
    ("name", "body", "content_type"),
    [
        ("objects", b'{"a":' * 1000 + b"1" + b"}" * 1000, "application/json"),  # 6 KB, one line
        ("arrays", b"[" * 1000 + b"]" * 1000, "application/json"),  # 2 KB
        ("pretty", b'{\n"itemReviewed":' + b"[" * 1000 + b"]" * 1000 + b"\n}", "application/json"),
        ("inside an item", b'{"url": "https://a.example/1", "claimReviewed": "x", "itemReviewed": '
         + b"[" * 1000 + b"]" * 1000 + b"}", "application/json"),
        ("json lines", _review_line("https://a.example/1") + b"\n" + b'{"a":' * 1000 + b"1" + b"}" * 1000 + b"\n",
         "application/x-ndjson"),
    ],
    ids=lambda value: value if isinstance(value, str) and not value.startswith("application/") else "",
)  # fmt: skip
def test_a_deeply_nested_body_is_refused_with_400_and_nothing_written(api, editor, name, body, content_type):
    api.force_authenticate(editor)
    response = api.post(URL, body, content_type=content_type)
    assert response.status_code == 400, response.content
    assert "nested more than 64 levels deep" in response.json()["detail"]
    assert not Claim.objects.exists()


def test_ordinary_nesting_still_imports(api, editor):
    api.force_authenticate(editor)
    deep_but_fine = {
        "@type": "DataFeed",
        "dataFeedElement": [{"item": [json.loads(_review_line("https://a.example/2"))]}],
    }
    node = deep_but_fine["dataFeedElement"][0]["item"][0]
    node["itemReviewed"] = {"author": {"x": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}}  # 26 levels in all
    response = api.post(URL, json.dumps(deep_but_fine).encode(), content_type="application/json")
    assert response.status_code == 200 and response.json()["created"] == 1, response.content


def test_relative_review_urls_resolve_against_the_base_url_given(api, editor):
    api.force_authenticate(editor)
    body = json.dumps({"@type": "ClaimReview", "url": "/checks/42", "claimReviewed": "A claim.",
                       "reviewRating": {"alternateName": "False"}}).encode()  # fmt: skip
    refused = api.post(URL + "?base_url=javascript:alert(1)", body, content_type="application/json")
    assert refused.status_code == 400 and "base_url" in refused.json()
    response = api.post(URL + "?base_url=https://desk.example/feed/page.html", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["created"] == 1, response.content
    assert Verdict.objects.get().review_url == "https://desk.example/checks/42"
