"""Security headers on every response, and production settings that pass `check --deploy`."""

import json
import re

import pytest

from claims.tests.test_settings import run_python

PRODUCTION_ENV = dict(
    DJANGO_DEBUG="0",
    DJANGO_SECRET_KEY="s" * 60 + "-from-the-environment",
    DJANGO_ALLOWED_HOSTS="factcheck.example.org",
    DATABASE_URL="postgres://factcheck:db-password-from-env@db.example.org:5432/factcheck",
)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/login/", "/no-such-page/"])
def test_it_sends_the_security_headers_on_every_response(client, path):
    response = client.get(path)

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self';" in csp  # no 'unsafe-inline', no 'unsafe-eval', no CDN
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_it_never_allows_inline_scripts_even_where_inline_styles_are_relaxed(client):
    for path in ("/api/v1/docs/", "/admin/login/"):
        csp = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self';" in csp
        assert "unsafe-eval" not in csp


def test_it_uses_secure_cookies_hsts_and_ssl_redirect_in_production():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "n: getattr(s, n) for n in ['DEBUG', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS', 'SECRET_KEY']} | "
        "{'DB_PASSWORD': s.DATABASES['default']['PASSWORD']}))"
    )
    result = run_python(code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)

    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    # Secrets come from the environment, not from the code.
    assert values["SECRET_KEY"] == PRODUCTION_ENV["DJANGO_SECRET_KEY"]
    assert values["DB_PASSWORD"] == "db-password-from-env"


def test_it_shares_failed_login_counters_between_processes_in_production():
    """Without CACHE_URL the counters go to a database table, never to one process's memory."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES.get('rate_limits', {}).get('BACKEND', 'postgresql table'))"
    )
    assert run_python(code, **PRODUCTION_ENV).stdout.strip() == "postgresql table"
    shared = run_python(code, **PRODUCTION_ENV, CACHE_URL="redis://cache.example.org:6379/0")
    assert shared.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)
DATA_SCRIPT_TYPES = (b"application/ld+json", b"application/json")


def executable_inline_scripts(html: bytes) -> list[bytes]:
    """Inline <script> elements the CSP would block (JSON data blocks are never executed)."""
    return [attrs for attrs in INLINE_SCRIPT.findall(html) if not any(t in attrs for t in DATA_SCRIPT_TYPES)]


@pytest.mark.django_db
def test_it_serves_pages_that_need_no_inline_script(client, editor, reviewer, ratings):
    from claims.tests import factories

    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    pages = ["/", "/claims/", f"/claims/{claim.slug}/", "/corrections/", "/methodology/", "/api/v1/docs/"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert executable_inline_scripts(response.content) == [], page
    client.force_login(editor)
    for page in ["/admin/", "/admin/claims/claim/", f"/admin/claims/claim/{claim.pk}/change/"]:
        assert executable_inline_scripts(client.get(page).content) == [], page


@pytest.mark.django_db
def test_it_serves_swagger_ui_from_this_origin_with_its_script_as_a_file(client):
    page = client.get("/api/v1/docs/").content.decode()
    sources = re.findall(r'<script src="([^"]+)"', page)

    assert sources and all(src.startswith("/") for src in sources)  # no CDN
    init = client.get("/api/v1/docs/?script")
    assert init.status_code == 200
    assert "javascript" in init["Content-Type"]
    assert "SwaggerUIBundle" in init.content.decode()


INLINE_STYLE = re.compile(rb"<style[\s>]|\sstyle\s*=", re.IGNORECASE)


@pytest.mark.django_db
def test_it_serves_reader_pages_that_need_no_inline_style(client):
    """Reader pages run under `style-src 'self'`: a style attribute or <style> block would be
    dropped by the browser (rating colours come from /ratings.css, charts use SVG attributes)."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    pages = [
        "/",
        "/claims/",
        "/claims/?q=azeri",
        "/claims/azeri-population-of-iran-15-18-million/",
        "/sources/paul-antonopoulos/",
        "/sources/west-asia-desk/",
        "/measures/azeri-population-of-iran/",
        "/corrections/",
        "/methodology/",
        "/no-such-page/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code in (200, 404), page
        assert "style-src 'self';" in response["Content-Security-Policy"], page
        assert INLINE_STYLE.findall(response.content) == [], page
