"""The OpenAPI document validates and Swagger UI is served from local static files."""

import re

import pytest
import yaml
from openapi_spec_validator import validate

from claims.tests.api_world import client_for
from claims.tests.once import per_test_copy, shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema_once(request, django_db_setup, django_db_blocker):
    with shared_data(request, django_db_blocker):
        response = client_for().get("/api/v1/schema/")
        assert response.status_code == 200
        yield yaml.safe_load(response.content)


@pytest.fixture
def schema(request, schema_once):
    return per_test_copy(request, schema_once)


def test_it_serves_a_valid_openapi_3_document(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_it_documents_every_endpoint_with_filters_and_auth(schema):
    paths = schema["paths"]
    for path in (
        "/api/v1/claims/",
        "/api/v1/claims/{slug}/",
        "/api/v1/claims/{slug}/claimreview/",
        "/api/v1/claimreview/feed/",
        "/api/v1/verdicts/{id}/publish/",
        "/api/v1/verdicts/{id}/withdraw/",
        "/api/v1/sources/",
        "/api/v1/measures/{slug}/",
        "/api/v1/figures/{id}/",
    ):
        assert path in paths, path
    claim_filters = {p["name"] for p in paths["/api/v1/claims/"]["get"]["parameters"]}
    assert {"q", "rating", "claimant", "outlet", "topic", "measure", "disputed", "cursor", "ordering"} <= claim_filters
    assert {"first_seen_after", "first_seen_before", "has_verdict", "status"} <= claim_filters
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    patch = paths["/api/v1/verdicts/{id}/"]["patch"]
    assert "If-Match" in {p["name"] for p in patch["parameters"]}
    assert {"409", "412"} <= set(patch["responses"])
    figure_request = schema["components"]["schemas"]["FigureWriteRequest"]
    assert {"appearance", "measure", "quoted_text"} <= set(figure_request["required"])


def test_it_serves_swagger_ui_from_local_static_files_only(client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # as in development: no collectstatic in tests
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r'"(https?://[^"]+)"', html)
    # Hashed (swagger-ui-bundle.<hash>.js) once collectstatic has run, plain before.
    assert any(re.search(r"swagger-ui-bundle(\.[0-9a-f]+)?\.js$", url) for url in urls)
    for url in urls:
        assert not url.startswith(("http://", "https://", "//")), url
    for url in urls:
        if url.startswith("/static/"):
            assert client.get(url).status_code == 200, url


def test_it_answers_options_on_every_api_page_without_a_5xx(editor):
    from django.urls import reverse

    for url in ("/api/v1/docs/", "/api/v1/schema/", "/api/v1/", "/api/v1/claims/", reverse("api:claimreview-feed")):
        for user in (None, editor):
            response = client_for(user).options(url)
            assert response.status_code == 200, (url, response.status_code)
            assert "GET" in response["Allow"]


# A fresh process: drf-spectacular's lazy loading happens on the first build only. Without the
# rate limits (their counters are in PostgreSQL) the schema view touches no database for an
# anonymous reader, so the process needs none.
FIRST_BUILD_RACE = """
import threading
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
setup_test_environment()
override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}).enable()
barrier = threading.Barrier(16)
codes = []
def read():
    client = Client(raise_request_exception=False)
    barrier.wait()
    codes.append(client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").status_code)
threads = [threading.Thread(target=read) for _ in range(16)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(codes))
"""


@pytest.mark.parametrize("run", range(3))
def test_the_first_concurrent_schema_reads_of_a_fresh_process_all_succeed(run):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "DJANGO_SETTINGS_MODULE": "factcheck.settings", "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", FIRST_BUILD_RACE], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == str([200] * 16), result.stderr[-3000:]


def test_every_request_body_refuses_unknown_fields_in_the_schema(schema):
    requests = {name: c for name, c in schema["components"]["schemas"].items() if name.endswith("Request")}
    assert {"ClaimWriteRequest", "PatchedClaimUpdateRequest", "MeasureWriteRequest"} <= set(requests)
    assert all(component["additionalProperties"] is False for component in requests.values())
