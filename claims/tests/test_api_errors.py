"""Every bad request answers a 4xx with a JSON message (field-level where there is a field)."""

import base64
import json

import pytest
from django.test import override_settings

from claims.tests.api_world import client_for

pytestmark = pytest.mark.django_db


def _figure(world, **changes):
    payload = {
        "appearance": world.hidden_figure.appearance_id,
        "measure": "secret-measure",
        "quoted_text": "10-12",
        "low": "10",
        "high": "12",
    }
    return {**payload, **changes}


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/api/v1/figures/", {"low": "20", "high": "10"}, "high"),
        ("/api/v1/figures/", {"low": None, "high": None, "quoted_text": "a great many"}, "low"),
        ("/api/v1/figures/", {"low": "ten"}, "low"),
        ("/api/v1/figures/", {"qualifier": "roughly"}, "qualifier"),
        ("/api/v1/figures/", {"measure": "no-such-measure"}, "measure"),
        ("/api/v1/figures/", {"rank": "deprecated"}, "rank_reason"),
        ("/api/v1/figures/", {"low": "1e30"}, "low"),
    ],
)
def test_it_rejects_bad_figures_field_by_field(world, reviewer, path, payload, field):
    response = client_for(reviewer).post(path, _figure(world, **payload), format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_it_rejects_an_unknown_rating(world, reviewer):
    response = client_for(reviewer).post(
        "/api/v1/verdicts/",
        {"claim": "hidden-pipeline-claim", "rating": "pants-on-fire", "summary": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "rating" in response.json()


@pytest.mark.parametrize("url", ["not a url", "ftp//broken", "javascript:alert(1)"])
def test_it_rejects_bad_urls(world, reviewer, url):
    evidence = client_for(reviewer).post(
        "/api/v1/evidence/", {"verdict": world.hidden_verdict.pk, "url": url, "title": "t"}, format="json"
    )
    assert evidence.status_code == 400
    assert "url" in evidence.json()
    article = client_for(reviewer).post("/api/v1/articles/", {"url": url}, format="json")
    assert article.status_code == 400
    assert "url" in article.json()


def test_it_rejects_a_duplicate_article_url_and_appearance(world, reviewer):
    client = client_for(reviewer)
    duplicate = client.post("/api/v1/articles/", {"url": world.public_article.url}, format="json")
    assert duplicate.status_code == 400
    assert "url" in duplicate.json()
    appearance = client.post(
        "/api/v1/appearances/", {"claim": "azeris-in-iran", "article": world.public_article.pk}, format="json"
    )
    assert appearance.status_code == 400
    assert "article" in appearance.json()


def test_it_rejects_oversize_text_with_the_limit(world, reviewer):
    response = client_for(reviewer).post("/api/v1/claims/", {"text": "x" * 2001}, format="json")
    assert response.status_code == 400
    assert "2000" in response.json()["text"][0]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_it_refuses_an_oversize_body_with_413(world, reviewer):
    response = client_for(reviewer).post(
        "/api/v1/claims/", '{"text": "' + "x" * 2000 + '"}', content_type="application/json"
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


@pytest.mark.parametrize("body", ['{"text": ', "[1, 2", '{"text": NaN}', "\xff\xfe"])
def test_it_answers_malformed_json_with_400(world, reviewer, body):
    response = client_for(reviewer).post("/api/v1/claims/", body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_it_answers_a_json_array_body_with_400(world, reviewer):
    response = client_for(reviewer).post("/api/v1/claims/", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_it_answers_a_wrong_content_type_with_415(world, reviewer, content_type):
    response = client_for(reviewer).post("/api/v1/claims/", "text=hello", content_type=content_type)
    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("rating=pants-on-fire", "rating"),
        ("status=archived", "status"),
        ("first_seen_after=yesterday", "first_seen_after"),
        ("first_seen_before=2026-13-01", "first_seen_before"),
        ("disputed=maybe", "disputed"),
        ("rating_min=high", "rating_min"),
        ("topic=no-such-topic", "topic"),
        ("ordering=-secret_column", "ordering"),
        ("ordering=rank", "ordering"),
        ("page_size=ten", "page_size"),
        ("page_size=0", "page_size"),
    ],
)
def test_it_answers_unknown_claim_filter_values_with_400(world, query, field):
    response = client_for().get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/sources/?kind=alien", "kind"),
        ("/api/v1/sources/?country=Azerbaijan", "country"),
        ("/api/v1/sources/?score_min=2", "score_min"),
        ("/api/v1/measures/?conflict_state=angry", "conflict_state"),
        ("/api/v1/figures/?qualifier=roughly", "qualifier"),
        ("/api/v1/articles/?kind=blog", "kind"),
        ("/api/v1/verdicts/?status=secret", "status"),
        ("/api/v1/sources/?ordering=password", "ordering"),
    ],
)
def test_it_answers_unknown_filter_values_on_other_lists_with_400(world, path, field):
    response = client_for().get(path)
    assert response.status_code == 400
    assert field in response.json()


def test_it_answers_a_forged_cursor_with_400(world):
    forged = [
        base64.urlsafe_b64encode(json.dumps({"k": ["first_seen", True], "v": value, "id": 1}).encode()).decode()
        for value in ("abc", [1], {"x": 1}, {"d": "2020-99-01"})
    ]
    for cursor in ("garbage", "eyJrIjpbImlkIix0cnVlXX0=", "e30=", *forged):
        response = client_for().get(f"/api/v1/claims/?cursor={cursor}")
        assert response.status_code == 400
        assert "Invalid cursor" in response.json()["cursor"][0]


def test_it_answers_unknown_pages_and_methods_in_json(world, reviewer):
    assert client_for().get("/api/v1/sources/?page=99").status_code == 404
    assert client_for(reviewer).delete("/api/v1/claims/azeris-in-iran/").status_code == 405
    assert client_for(reviewer).put("/api/v1/claims/azeris-in-iran/", {}, format="json").status_code == 405
    assert client_for().get("/api/v1/claims/azeris-in-iran/", HTTP_ACCEPT="text/csv").status_code == 406


def test_it_answers_workflow_mistakes_with_field_messages(world, reviewer, editor):
    client = client_for(reviewer)
    resubmit = client.post(f"/api/v1/verdicts/{world.public_verdict.pk}/submit/", {}, format="json")
    assert resubmit.status_code == 400
    assert "status" in resubmit.json()
    publish_draft = client_for(editor).post(f"/api/v1/verdicts/{world.hidden_verdict.pk}/publish/", {}, format="json")
    assert publish_draft.status_code == 400
    assert "status" in publish_draft.json()
    no_note = client_for(editor).post(f"/api/v1/verdicts/{world.public_verdict.pk}/correct/", {}, format="json")
    assert no_note.status_code == 400
    assert "correction_note" in no_note.json()


@pytest.mark.parametrize(
    ("path", "parameters"),
    [
        ("/api/v1/claims/", {"first_seen_after": "yesterday"}),
        ("/api/v1/claims/", {"first_seen_after": "2026-01-01", "first_seen_before": "soon"}),
        ("/api/v1/verdicts/", {"published_after": "last week"}),
        ("/api/v1/figures/", {"point_in_time_before": "later"}),
    ],
)
def test_a_bad_range_parameter_is_named_as_sent(world, reviewer, path, parameters):
    response = client_for(reviewer).get(path, parameters)
    assert response.status_code == 400
    bad = {name for name, value in parameters.items() if not value[:4].isdigit()}
    assert set(response.json()) == bad


@pytest.mark.parametrize(
    "path", ["/api/v1/claims/", "/api/v1/verdicts/", "/api/v1/evidence/", "/api/v1/sources/", "/api/v1/measures/"]
)
def test_a_page_size_over_the_limit_is_refused_naming_it(world, reviewer, path):
    client = client_for(reviewer)
    response = client.get(path, {"page_size": 500})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["At most 200 per page."]}
    assert client.get(path, {"page_size": 200}).status_code == 200
    assert client.get(path, {"page_size": 0}).status_code == 400


def test_the_schema_documents_the_page_size_limit_on_every_list(world):
    import yaml

    schema = yaml.safe_load(client_for().get("/api/v1/schema/").content)
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["name"] == "page_size":
                assert parameter["schema"]["maximum"] == 200, path


@pytest.mark.parametrize("text", [123, 1.5, True, ["a claim"], {"text": "a claim"}])
def test_text_must_be_a_string(world, reviewer, text):
    response = client_for(reviewer).post("/api/v1/claims/", {"text": text}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["text"]
    update = client_for(reviewer).patch("/api/v1/claims/hidden-pipeline-claim/", {"text": text}, format="json")
    assert update.status_code == 400 and list(update.json()) == ["text"]


def test_reviewers_and_editors_create_measures_through_the_api(world, reviewer, editor):
    from claims.models import Measure

    body = {"name": "Oil exports of Azerbaijan", "unit": "count", "description": "Crude, per year."}
    assert client_for().post("/api/v1/measures/", body, format="json").status_code in (401, 403)
    created = client_for(reviewer).post("/api/v1/measures/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["slug"] == "oil-exports-of-azerbaijan" and created.json()["unit"] == "count"
    measure = Measure.objects.get(slug="oil-exports-of-azerbaijan")
    assert measure.history.get().history_user == reviewer
    again = client_for(editor).post("/api/v1/measures/", body, format="json")
    assert again.status_code == 201 and again.json()["slug"] == "oil-exports-of-azerbaijan-2"
    bad_unit = client_for(editor).post("/api/v1/measures/", {**body, "unit": "furlongs"}, format="json")
    assert bad_unit.status_code == 400 and list(bad_unit.json()) == ["unit"]
    taken = client_for(editor).post("/api/v1/measures/", {**body, "slug": "oil-exports-of-azerbaijan"}, format="json")
    assert taken.status_code == 400 and list(taken.json()) == ["slug"]
    figure = client_for(reviewer).post(
        "/api/v1/figures/",
        {
            "appearance": world.hidden_figure.appearance_id,
            "measure": "oil-exports-of-azerbaijan",
            "quoted_text": "25 million",
            "low": "25000000",
            "high": "25000000",
        },
        format="json",
    )
    assert figure.status_code == 201, figure.content


@pytest.mark.parametrize(
    "ordering", ["first_seen,-id", "-first_seen,id", "first_seen,created_at", "id,first_seen", "first_seen,nope"]
)
def test_it_refuses_an_ordering_a_cursor_list_cannot_keep_instead_of_dropping_part_of_it(world, ordering):
    response = client_for().get(f"/api/v1/claims/?ordering={ordering}")
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_it_keeps_every_field_of_an_ordering_it_accepts(world):
    newest = client_for().get("/api/v1/claims/?ordering=-first_seen").json()["results"]
    with_tie = client_for().get("/api/v1/claims/?ordering=-first_seen,-id").json()["results"]
    assert [c["slug"] for c in with_tie] == [c["slug"] for c in newest]
    by_name = client_for().get("/api/v1/sources/?ordering=name,-id")
    assert by_name.status_code == 200
    names = [s["name"] for s in by_name.json()["results"]]
    assert names == sorted(names)
