"""Bad input never breaks the API or the import: malformed JSON, wrong content types, NUL bytes,
deep nesting, overlong fields, path tricks. Each gets a clear 4xx (or a clean command error)."""

import pytest
from django.core.management import CommandError, call_command, get_commands
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Claim


@pytest.fixture
def api(reviewer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer).key}")
    return client


def post_raw(api, body: bytes, content_type="application/json"):
    return api.generic("POST", "/api/v1/claims/", body, content_type=content_type, HTTP_ACCEPT="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "unterminated',
        b"[1, 2,",
        b'{"text": NaN}',
        b"\xff\xfe not utf-8",
        b"[" * 5000 + b"]" * 5000,  # deep nesting
        b"",
    ],
    ids=["unterminated", "truncated-array", "nan", "bad-encoding", "deep-nesting", "empty"],
)
def test_it_answers_400_to_malformed_json(api, body):
    response = post_raw(api, body)

    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert not Claim.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x"])
def test_it_answers_415_to_a_wrong_content_type(api, content_type):
    response = post_raw(api, b'{"text": "A claim in the wrong wrapper."}', content_type=content_type)

    assert response.status_code in (400, 415), response.content
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_it_refuses_nul_bytes_and_overlong_text_with_field_errors(api):
    nul = api.post("/api/v1/claims/", {"text": "Oil share is 40%\x00 of imports."}, format="json")
    long = api.post("/api/v1/claims/", {"text": "x" * 2001}, format="json")

    assert nul.status_code == 400, nul.content
    assert long.status_code == 400 and "text" in long.json()
    assert not Claim.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["../../etc/passwd", "/etc/passwd", "/proc/self/environ", "claims/../../../etc/shadow"]
)
def test_it_imports_nothing_from_a_path_trick(path):
    if "import_claimreview" not in get_commands():
        pytest.skip("the ClaimReview import command is not in this tree yet")

    with pytest.raises(CommandError):
        call_command("import_claimreview", path, "--no-progress")

    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_it_exposes_no_api_operation_that_takes_a_server_path(client):
    """Imports read server files only from the command line (the operator's shell); the API import
    takes the document itself (a JSON body or an uploaded file), never a path on the server."""
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    suspicious = {"path", "filename", "filepath", "directory"}
    for name, component in schema["components"]["schemas"].items():
        assert not suspicious & set(component.get("properties", {})), name
    import_paths = [path for path in schema["paths"] if "import" in path]
    assert import_paths == ["/api/v1/import/claimreview/"]
    upload = schema["paths"][import_paths[0]]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert upload["properties"]["file"] == {"type": "string", "format": "binary"}


def test_it_treats_a_path_sent_to_the_import_endpoint_as_data_not_a_file_to_open(editor):
    from rest_framework.test import APIClient

    from claims.models import Claim

    api = APIClient()
    api.force_authenticate(editor)
    for trick in ("../../etc/passwd", "/etc/passwd", "file:///etc/passwd"):
        response = api.post("/api/v1/import/claimreview/", {"path": trick, "file": trick}, format="json")
        assert response.status_code in (200, 400), response.content
        assert b"root:" not in response.content
    assert not Claim.objects.exists()


NUL_QUERIES = [
    ("/claims/?source=a%00b", "source"),
    ("/claims/?q=oil%00", "q"),
    ("/claims/?rating=tr%00ue", "rating"),
    ("/sources/public-claimant/?page=1%00", "page"),
    ("/api/v1/claims/?claimant=a%00b", "claimant"),
    ("/api/v1/sources/?q=a%00b", "q"),
    ("/api/v1/articles/?author=a%00b", "author"),
    ("/api/v1/claims/?a%00b=1", "a\\x00b"),
    ("/api/v1/claims/azeris%00-in-iran/", "path"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name"), NUL_QUERIES)
def test_it_answers_a_nul_in_a_query_parameter_with_400_naming_it(client, reviewer, url, name):
    from claims.tests import factories

    factories.SourceFactory(slug="public-claimant")
    for user in (None, reviewer):
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 400, (url, response.status_code)
        if url.startswith("/api/"):
            assert response.json() == {name: ["NUL characters are not allowed."]}
        else:
            assert f"{name}: NUL characters are not allowed." in response.content.decode()


@pytest.mark.django_db
def test_it_answers_a_nul_in_an_admin_search_or_form_with_400(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/admin/claims/claim/?q=oil%00").status_code == 400
    response = client.post("/admin/claims/claim/add/", {"text": "A claim\x00", "status": "new"})
    assert response.status_code == 400
    assert "text: NUL" in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"text": "A claim about oil.", "topics\x00": []}, "topics\\x00"),
        ({"text": "A claim about oil.", "topics": ["energy\x00"]}, "topics.0"),
        ({"text": "A claim about oil.", "extra": {"deep": ["x\x00"]}}, "extra.deep.0"),
        (["a\x00"], "0"),
        ("a\x00", "non_field_errors"),
    ],
)
def test_it_answers_a_nul_anywhere_in_a_json_body_with_400_naming_where(api, body, where):
    response = api.post("/api/v1/claims/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {where: ["NUL characters are not allowed."]}
    assert not Claim.objects.exists()
