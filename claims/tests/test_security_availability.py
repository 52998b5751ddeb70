"""A database that cannot be reached gives 503 + Retry-After, never a 500 with a traceback.

The app runs in a child process pointed at a port where nothing listens (a real refused
connection, nothing mocked). The restart-under-load case is scripts/fault_db_restart.py.
"""

import json

import pytest

from claims.tests.test_settings import run_python

UNREACHABLE = dict(
    DJANGO_SECRET_KEY="u" * 60,
    DJANGO_ALLOWED_HOSTS="factcheck.example.org",
    DATABASE_URL="postgres://factcheck:pw@127.0.0.1:9/factcheck",
    DATABASE_POOL_TIMEOUT="1",
    DJANGO_LOG_LEVEL="CRITICAL",
)

PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="factcheck.example.org")
out = []
for method, path, accept in [
    ("get", "/claims/some-claim/", "text/html"),
    ("get", "/claims/some-claim/", "application/json"),
    ("get", "/api/v1/claims/", "application/json"),
    ("post", "/admin/login/", "text/html"),
]:
    data = {"username": "rita", "password": "guess"} if method == "post" else None
    r = getattr(client, method)(path, data, secure=True, HTTP_ACCEPT=accept)
    out.append({"path": path, "status": r.status_code, "retry_after": r.get("Retry-After"),
                "type": r.get("Content-Type"), "body": r.content.decode()})
print(json.dumps(out))
"""


@pytest.mark.parametrize("debug", ["0", "1"])
def test_it_answers_503_with_retry_after_when_the_database_is_unreachable(debug):
    result = run_python(PROBE, DJANGO_DEBUG=debug, **UNREACHABLE)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])

    for answer in answers:
        assert answer["status"] == 503, answer
        assert answer["retry_after"] == "5"
        assert "Traceback" not in answer["body"]
        assert "OperationalError" not in answer["body"]
        assert "127.0.0.1" not in answer["body"]  # no connection details leak
    assert answers[1]["type"] == "application/json"
    assert json.loads(answers[1]["body"]) == {
        "detail": "The database is temporarily unavailable. Please try again shortly."
    }
    assert answers[0]["type"].startswith("text/html")
