"""Factcheck settings: one file, driven by environment variables (see README "Configuration").

DEBUG is off unless DJANGO_DEBUG=1. With DEBUG off the app refuses to start without
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS. With DATABASE_URL unset an embedded PostgreSQL
under var/ is used.
"""

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from factcheck.database import embedded_database_url, parse_database_url
from factcheck.env import env_bool, env_fraction, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FACTCHECK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. In production (DJANGO_DEBUG off) the secret key must come "
            "from the environment; for development set DJANGO_DEBUG=1."
        )
    # Development only: generate once and keep it under var/ so sessions survive restarts.
    key_file = VAR_DIR / "dev_secret_key"
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. In production (DJANGO_DEBUG off) list the host names "
        "the site is served under, comma-separated."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "claims.admin_apps.FactcheckAdminConfig",  # django.contrib.admin, with the reviewers' workspace
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "procrastinate.contrib.django",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "factcheck.middleware.SecurityHeadersMiddleware",
    "factcheck.middleware.RequestSizeLimitMiddleware",
    "factcheck.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside DatabaseUnavailableMiddleware: a replica's 503 is answered again from the primary.
    "factcheck.replicas.ReplicaMiddleware",
    "factcheck.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (so a missing slash is added to the prefixed URL).
    "factcheck.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "factcheck.login_throttle.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "claims.context_processors.site",
                "claims.context_processors.languages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or embedded_database_url(VAR_DIR)


def _database(url: str, *, pool_timeout: int, connect_timeout: int | None = None) -> dict:
    db = parse_database_url(url)
    if env_bool("DATABASE_POOL", True):
        # Django's built-in psycopg 3 pool; CONN_MAX_AGE must stay 0 with it.
        db["OPTIONS"]["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 1),
            "max_size": env_int("DATABASE_POOL_MAX", 8),
            "timeout": pool_timeout,
        }
    if connect_timeout:
        db["OPTIONS"].setdefault("connect_timeout", connect_timeout)
    # Prepared statements for the queries the API compiles once per process (claims/compiled.py): psycopg
    # prepares them on first use on each connection, so PostgreSQL plans them once. Only those queries use
    # server-side parameters; Django's own cursors never prepare. Turn off behind a pooler in transaction
    # mode that does not track prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
    # Their plans are generic (`plan_cache_mode`, which only applies to prepared statements): with the
    # default `auto`, PostgreSQL kept re-planning the next-page query for each cursor value (2.4 ms
    # against 1.3 ms with the generic plan, the same index range scan).
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        db["OPTIONS"]["prepare_threshold"] = 0
        db["OPTIONS"]["options"] = " ".join(
            filter(None, [db["OPTIONS"].get("options"), "-c plan_cache_mode=force_generic_plan"])
        )
    else:
        db["OPTIONS"]["prepare_threshold"] = None
    # With the pool, health checks make it test each connection as it is handed out (one empty round
    # trip), so after a database restart no request gets a dead connection.
    db["CONN_HEALTH_CHECKS"] = True
    return db


_default_db = _database(DATABASE_URL, pool_timeout=env_int("DATABASE_POOL_TIMEOUT", 10))
_default_db["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME", "test_factcheck")}
DATABASES = {"default": _default_db}
# Read replicas (factcheck/replicas.py): anonymous reads go to a healthy one, everything else to the
# primary. A replica that does not answer must fail fast, so that the request falls back in time.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])
for _number, _url in enumerate(DATABASE_REPLICA_URLS):
    DATABASES[f"replica_{_number}"] = {
        **_database(_url, pool_timeout=env_int("DATABASE_REPLICA_POOL_TIMEOUT", 2), connect_timeout=2),
        "TEST": {"MIRROR": "default"},
    }
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["factcheck.replicas.ReplicaRouter"]
FACTCHECK_REPLICA_MAX_LAG_SECONDS = env_int("FACTCHECK_REPLICA_MAX_LAG_SECONDS", 5)
FACTCHECK_REPLICA_CHECK_SECONDS = env_int("FACTCHECK_REPLICA_CHECK_SECONDS", 2)
FACTCHECK_REPLICA_PIN_SECONDS = env_int("FACTCHECK_REPLICA_PIN_SECONDS", 30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (CACHE_URL for a shared cache across processes; local memory otherwise) ------------
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL and CACHE_URL.startswith("memcached://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": CACHE_URL.removeprefix("memcached://"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered reader pages for anonymous readers (claims/page_cache.py): the shared cache when there
# is one, otherwise a small per-process cache (bounded so a web worker stays well under 150 MB).
# Invalidation does not depend on the backend: pages are keyed by a generation kept in PostgreSQL.
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": "pages"}
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 200},
    }
)
FACTCHECK_PAGE_CACHE_SECONDS = env_int("FACTCHECK_PAGE_CACHE_SECONDS", 60)
# API rate-limit and failed-login counters (factcheck/rate_counter.py): the shared cache when there
# is one, otherwise an unlogged PostgreSQL table (no cache entry needed), so every process agrees.
if CACHE_URL:
    CACHES["rate_limits"] = {**CACHES["default"], "KEY_PREFIX": "rate"}

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# ModelBackend that refuses, before checking the password, once over the failed-login limit.
AUTHENTICATION_BACKENDS = ["factcheck.login_throttle.ThrottledModelBackend"]
# Failed logins: per username + client address, and per address, over a sliding window (seconds).
FACTCHECK_LOGIN_FAILURE_LIMIT = env_int("FACTCHECK_LOGIN_FAILURE_LIMIT", 5)
FACTCHECK_LOGIN_IP_FAILURE_LIMIT = env_int("FACTCHECK_LOGIN_IP_FAILURE_LIMIT", 50)
FACTCHECK_LOGIN_FAILURE_WINDOW = env_int("FACTCHECK_LOGIN_FAILURE_WINDOW", 15 * 60)
# Behind exactly one trusted reverse proxy, the META key carrying the client address
# (e.g. HTTP_X_FORWARDED_FOR); empty means REMOTE_ADDR.
FACTCHECK_CLIENT_IP_HEADER = env_str("FACTCHECK_CLIENT_IP_HEADER", "")

# Django 6.0's default; opting in now silences the transition warning for form URL fields.
FORMS_URLFIELD_ASSUME_HTTPS = True

LANGUAGE_CODE = "en"
# The languages the site and the admin are shown in, named in their own language for the switcher.
# The reader site's URLs carry the language (/fa/claims/...; English unprefixed, see
# docs/ARCHITECTURE.md "Languages"); the admin and the API follow the cookie / Accept-Language.
LANGUAGES = [
    ("en", "English"),
    ("fa", "فارسی"),
    ("az", "Azərbaycanca"),
    ("ru", "Русский"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers follow each language's Django formats; English keeps the day-month-year
# wording the site has always used (factcheck/formats/en/formats.py).
FORMAT_MODULE_PATH = ["factcheck.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (whitenoise: compressed, hashed names) ------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "factcheck.storage.ForgivingManifestStaticFilesStorage"},
}

# --- Request limits -------------------------------------------------------------------------
# Any body over this is refused with 413 from its Content-Length, before it is read
# (factcheck.middleware.RequestSizeLimitMiddleware); form parsing has the same cap.
FACTCHECK_MAX_BODY_BYTES = env_int("FACTCHECK_MAX_BODY_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = FACTCHECK_MAX_BODY_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = FACTCHECK_MAX_BODY_BYTES
# Seconds a client is told to wait (Retry-After) when the database is unavailable (503).
FACTCHECK_RETRY_AFTER_SECONDS = env_int("FACTCHECK_RETRY_AFTER_SECONDS", 5)

# --- Security headers (production values whenever DEBUG is off) ------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 12 * 60 * 60)
# Content-Security-Policy (factcheck.middleware.SecurityHeadersMiddleware): same-origin only, no
# inline script; JSON-LD <script type="application/ld+json"> is data and is never executed.
FACTCHECK_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Swagger UI's page (drf-spectacular) carries one inline <style> block; the admin's change list
# adds one when a model has no actions. Inline styles only, never inline scripts.
FACTCHECK_CSP_PATH_OVERRIDES = {
    "/api/v1/docs/": {"style-src": "'self' 'unsafe-inline'"},
    "/admin/": {"style-src": "'self' 'unsafe-inline'"},
}
FACTCHECK_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.IsReviewerOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "claims.api.filtersets.FilterBackend",
        "claims.api.filtersets.StrictOrderingFilter",
    ],
    # JSON only (anything else is 415), with the body-size limit enforced (413).
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.LimitedJSONParser"],
    # orjson writes the same JSON as DRF's renderer, several times faster on big pages. No
    # browsable API: it needs inline scripts, which the CSP refuses (claims/api/renderers.py).
    "DEFAULT_RENDERER_CLASSES": ["claims.api.renderers.ORJSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "claims.api.renderers.ContentNegotiation",
    "EXCEPTION_HANDLER": "claims.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.throttling.AnonRateThrottle",
        "claims.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("FACTCHECK_THROTTLE_ANON", "120/min"),
        "user": env_str("FACTCHECK_THROTTLE_USER", "600/min"),
        "tips": env_str("FACTCHECK_THROTTLE_TIPS", "10/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.StandardPageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Factcheck API",
    "DESCRIPTION": "Published claims, verdicts, sources and figures; writes for reviewers and editors.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.choices.ClaimStatus",
        "VerdictStatusEnum": "claims.choices.VerdictStatus",
        "SourceKindEnum": "claims.choices.SourceKind",
        "ArticleKindEnum": "claims.choices.ArticleKind",
        "ConflictStateEnum": "claims.choices.ConflictState",
        "QualifierEnum": "claims.choices.Qualifier",
        "RankEnum": "claims.choices.Rank",
        "VoiceEnum": "claims.choices.Voice",
        "WebhookEventEnum": "claims.intake.models.WebhookEvent",
        "DeliveryStatusEnum": "claims.intake.models.DeliveryStatus",
    },
}

# Every operation also documents the project-wide error answers (400/401/403/404/413/415/429/503).
SPECTACULAR_SETTINGS.setdefault("POSTPROCESSING_HOOKS", ["drf_spectacular.hooks.postprocess_schema_enums"])
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"].append("factcheck.openapi.document_error_responses")
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"].append("factcheck.openapi.forbid_unknown_request_fields")
# Read-only fields are documented but not required: some are shown to staff only, and nested
# forms leave out list-only annotations (e.g. appearances_count).
SPECTACULAR_SETTINGS.setdefault("COMPONENT_NO_READ_ONLY_REQUIRED", True)

# --- Domain settings ------------------------------------------------------------------------
# ClaimReview export: the publishing organisation, the reviews' language, and the site's base URL
# for links built outside a request (management commands).
FACTCHECK_ORGANISATION_NAME = env_str("FACTCHECK_ORGANISATION_NAME", "Factcheck")
# The reader site's name (header, page titles, sharing cards) and the home page's tagline: a
# newsroom deploying Factcheck sets its own (one text for every language; the default tagline is
# translated).
FACTCHECK_SITE_NAME = env_str("FACTCHECK_SITE_NAME", FACTCHECK_ORGANISATION_NAME)
FACTCHECK_SITE_TAGLINE = env_str("FACTCHECK_SITE_TAGLINE") or gettext_lazy(
    "Claims about Iran, Azerbaijan, Armenia and their neighbours."
)
FACTCHECK_CLAIMREVIEW_LANGUAGE = env_str("FACTCHECK_CLAIMREVIEW_LANGUAGE", "en")
# Matching: compute a claim's sentence embedding when it is written (off: leave it to
# `manage.py embed_claims`, e.g. for a big import on a small machine).
FACTCHECK_MATCHING_EMBED_ON_WRITE = env_bool("FACTCHECK_MATCHING_EMBED_ON_WRITE", True)
# ClaimReview import: a review of a claim already stored (or earlier in the import) joins that
# claim (off: every new review makes its own claim, as a plain copy of the files would).
FACTCHECK_IMPORT_GROUPING = env_bool("FACTCHECK_IMPORT_GROUPING", True)
FACTCHECK_SITE_URL = env_str("FACTCHECK_SITE_URL", "http://127.0.0.1:8000")
# Outgoing mail (the tip line's confirmations and verdict messages): Django's SMTP backend. In
# development without EMAIL_HOST messages are printed to the console instead.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Factcheck <tips@localhost>")
# Demo verdicts (is_example) are exported as ClaimReview only when this is on (default: in DEBUG),
# so that examples never reach fact-check aggregators from a production site.
FACTCHECK_EXPORT_EXAMPLE_REVIEWS = env_bool("FACTCHECK_EXPORT_EXAMPLE_REVIEWS", DEBUG)
# Largest ClaimReview file the staff import endpoint accepts; bigger files go through the command.
FACTCHECK_IMPORT_MAX_BYTES = env_int("FACTCHECK_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# Paths allowed a larger body than FACTCHECK_MAX_BODY_BYTES (checked by RequestSizeLimitMiddleware).
FACTCHECK_BODY_LIMITS_BY_PATH = {
    "/api/v1/import/claimreview/": FACTCHECK_IMPORT_MAX_BYTES,
    "/admin/import-claimreview/": FACTCHECK_IMPORT_MAX_BYTES,  # the same import from the admin
}
# Approximate figures are widened by this fraction before conflicts are judged (a Decimal in [0, 1)).
FACTCHECK_APPROXIMATE_TOLERANCE = env_fraction("FACTCHECK_APPROXIMATE_TOLERANCE", "0.05")
# Credibility: recency half-life in days (0 disables recency weighting).
FACTCHECK_CREDIBILITY_HALF_LIFE_DAYS = env_int("FACTCHECK_CREDIBILITY_HALF_LIFE_DAYS", 0)

# --- Background jobs (procrastinate, claims/intake/jobs.py) -----------------------------------
# Jobs live in the default database; workers are `manage.py procrastinate worker` processes.
PROCRASTINATE_IMPORT_PATHS = ["claims.intake.jobs"]
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = ""
# Outbound requests (claims/intake/fetch.py) go only to public addresses; hosts listed here
# (comma-separated, e.g. 127.0.0.1 for tests) are exempt.
FACTCHECK_FETCH_ALLOW_HOSTS = env_list("FACTCHECK_FETCH_ALLOW_HOSTS", [])
# Webhooks: attempts per delivery (exponential backoff from the base delay, doubled each retry),
# and consecutive failed attempts after which a subscription is disabled.
FACTCHECK_WEBHOOK_MAX_ATTEMPTS = env_int("FACTCHECK_WEBHOOK_MAX_ATTEMPTS", 6)
FACTCHECK_WEBHOOK_RETRY_SECONDS = env_int("FACTCHECK_WEBHOOK_RETRY_SECONDS", 30)
FACTCHECK_WEBHOOK_MAX_FAILURES = env_int("FACTCHECK_WEBHOOK_MAX_FAILURES", 15)
FACTCHECK_WEBHOOK_TIMEOUT_SECONDS = env_int("FACTCHECK_WEBHOOK_TIMEOUT_SECONDS", 10)
FACTCHECK_EMAIL_MAX_ATTEMPTS = env_int("FACTCHECK_EMAIL_MAX_ATTEMPTS", 6)
FACTCHECK_EMAIL_RETRY_SECONDS = env_int("FACTCHECK_EMAIL_RETRY_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
