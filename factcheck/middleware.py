"""Project-wide safety middleware: security headers, early body-size refusal, and a clean 503
when PostgreSQL is unreachable.

Order in settings.MIDDLEWARE matters: `RequestSizeLimitMiddleware` runs before anything reads the
body; `DatabaseUnavailableMiddleware` sits outermost among the app middleware so that its
`process_exception` sees database errors raised by views (including lazily loaded sessions and
users). Database errors raised outside views (e.g. saving the session after the view) reach
`factcheck.views.server_error`, which applies the same rule.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils import translation

logger = logging.getLogger("factcheck.availability")

DATABASE_DOWN_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
try:  # the pool's own timeout when every connection is busy or the server is unreachable
    from psycopg_pool import PoolTimeout

    DATABASE_DOWN_ERRORS += (PoolTimeout,)
except ImportError:  # pragma: no cover - psycopg[pool] is a pinned requirement
    pass


def wants_json(request: HttpRequest) -> bool:
    """API clients get JSON errors; browsers get a page."""
    api_prefix = getattr(settings, "FACTCHECK_API_PREFIX", "/api/")
    return request.path.startswith(api_prefix) or "application/json" in request.headers.get("Accept", "")


def error_response(request: HttpRequest, *, status: int, title: str, detail: str, **headers) -> HttpResponse:
    if wants_json(request):
        response = JsonResponse({"detail": detail}, status=status)
    else:
        context = {"status": status, "title": title, "detail": detail, "site_name": settings.FACTCHECK_SITE_NAME}
        html = loader.render_to_string("errors/error.html", context)
        response = HttpResponse(html, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    response["Cache-Control"] = "no-store"
    return response


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, no traceback: the database is restarting or unreachable."""
    return error_response(
        request,
        status=503,
        title="Temporarily unavailable",
        detail="The database is temporarily unavailable. Please try again shortly.",
        Retry_After=str(settings.FACTCHECK_RETRY_AFTER_SECONDS),
    )


def is_database_down(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_DOWN_ERRORS)


class DatabaseUnavailableMiddleware:
    """Turn connection-level database errors into 503 + Retry-After instead of a 500.

    Django's pool hands out connections per request and discards broken ones when they are
    returned, so once PostgreSQL is back the next requests succeed without restarting the app.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_down(exception):
            return None
        logger.warning("database unavailable on %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a body larger than FACTCHECK_MAX_BODY_BYTES from its Content-Length, before reading it.

    Django enforces DATA_UPLOAD_MAX_MEMORY_SIZE only when a form body is parsed; API parsers read
    the stream themselves, so the limit is applied here for every request, early and cheaply.
    A request without Content-Length (chunked) gets no body at all under WSGI, so it needs no check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.FACTCHECK_BODY_LIMITS_BY_PATH.get(request.path_info, settings.FACTCHECK_MAX_BODY_BYTES)
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw_length)
        except ValueError:
            return error_response(
                request, status=400, title="Bad request", detail="The Content-Length header is not a number."
            )
        if length < 0:
            return error_response(request, status=400, title="Bad request", detail="Negative Content-Length.")
        if length > limit:
            return error_response(
                request,
                status=413,
                title="Request too large",
                detail=f"The request body is {length} bytes; the limit is {limit} bytes.",
            )
        return self.get_response(request)


NUL_MESSAGE = "NUL characters are not allowed."


def nul_parameter(pairs) -> str | None:
    """The first parameter whose name or value holds a NUL character (PostgreSQL text cannot)."""
    for name, values in pairs:
        if "\x00" in name:
            return name.replace("\x00", "\\x00")
        if any("\x00" in value for value in values):
            return name
    return None


class NulCharacterMiddleware:
    """Refuse a NUL character in the path, a query parameter or a form field with a 400 naming
    it, before any view hands it to the database (where it is a DataError, so a 500).

    Form bodies are checked for the site and admin (Django parses them once; the CSRF check would
    parse them anyway). API bodies are JSON, checked by the API's parser (`claims/api/parsers.py`);
    uploaded files are data, not text fields, and are left to their importers.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            return self._refuse(request, "path")
        name = nul_parameter(request.GET.lists())
        if name is None and request.method == "POST" and not wants_json(request):
            if request.content_type in self.FORM_TYPES:
                name = nul_parameter(request.POST.lists())
        if name is not None:
            return self._refuse(request, name)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, name):
        if wants_json(request):
            response = JsonResponse({name: [NUL_MESSAGE]}, status=400)
            response["Cache-Control"] = "no-store"
            return response
        return error_response(request, status=400, title="Bad request", detail=f"{name}: {NUL_MESSAGE}")


def build_csp(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (Django's
    SecurityMiddleware covers HSTS, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy).

    The policy allows scripts, styles, fonts and images only from this origin (plus data: images);
    no inline script runs (JSON-LD `<script type="application/ld+json">` is data, never executed).
    A path prefix in FACTCHECK_CSP_PATH_OVERRIDES may relax single directives (Swagger UI ships
    one inline <style> block). A view that sets its own Content-Security-Policy keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.default_policy = build_csp(settings.FACTCHECK_CSP)
        self.overrides = [
            (prefix, build_csp({**settings.FACTCHECK_CSP, **changes}))
            for prefix, changes in settings.FACTCHECK_CSP_PATH_OVERRIDES.items()
        ]
        self.permissions_policy = settings.FACTCHECK_PERMISSIONS_POLICY

    def policy_for(self, path: str) -> str:
        for prefix, policy in self.overrides:
            if path.startswith(prefix):
                return policy
        return self.default_policy

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy_for(request.path)
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """The reader site's language comes from its URL (English unprefixed, /fa/... for Persian);
    the admin, the API and the language switcher's endpoint have no prefix, and follow the
    switcher's cookie or Accept-Language instead.

    Django's own middleware, when i18n_patterns leaves the default language unprefixed, treats
    every unprefixed path as English, which would pin the admin and the API's messages to English.
    """

    def process_request(self, request):
        super().process_request(request)
        if translation.get_language_from_path(request.path_info) or _is_reader_path(request):
            return
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()


def _is_reader_path(request) -> bool:
    """Whether the path is a page of the reader site (an unknown path gets the site's 404 page)."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return True
    return match.namespace == "claims"
