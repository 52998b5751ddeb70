"""Factcheck settings: one file, driven by environment variables (see README "Configuration").

DEBUG is off unless DJANGO_DEBUG=1. With DEBUG off the app refuses to start without
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS. With DATABASE_URL unset an embedded PostgreSQL
under var/ is used.
"""

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from factcheck.database import embedded_database_url, parse_database_url
from factcheck.env import env_bool, env_int, env_list, env_str

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
    "django.contrib.admin",
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
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or embedded_database_url(VAR_DIR)
_default_db = parse_database_url(DATABASE_URL)
if env_bool("DATABASE_POOL", True):
    # Django's built-in psycopg 3 pool; CONN_MAX_AGE must stay 0 with it.
    _default_db["OPTIONS"]["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 1),
        "max_size": env_int("DATABASE_POOL_MAX", 8),
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
    }
_default_db["CONN_HEALTH_CHECKS"] = True
_default_db["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME", "test_factcheck")}
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (CACHE_URL for a shared cache across processes; local memory otherwise) ------------
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and CACHE_URL.startswith("redis://"):
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

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (whitenoise: compressed, hashed names) ------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "factcheck.storage.ForgivingManifestStaticFilesStorage"},
}

# --- Request limits -------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("FACTCHECK_MAX_BODY_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Security headers (production values whenever DEBUG is off) ------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
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
        "django_filters.rest_framework.DjangoFilterBackend",
        "claims.api.filtersets.StrictOrderingFilter",
    ],
    # JSON only (anything else is 415), with the body-size limit enforced (413).
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.LimitedJSONParser"],
    "EXCEPTION_HANDLER": "claims.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("FACTCHECK_THROTTLE_ANON", "120/min"),
        "user": env_str("FACTCHECK_THROTTLE_USER", "600/min"),
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
    },
}

# --- Domain settings ------------------------------------------------------------------------
# ClaimReview export: the publishing organisation, the reviews' language, and the site's base URL
# for links built outside a request (management commands).
FACTCHECK_ORGANISATION_NAME = env_str("FACTCHECK_ORGANISATION_NAME", "Factcheck")
FACTCHECK_CLAIMREVIEW_LANGUAGE = env_str("FACTCHECK_CLAIMREVIEW_LANGUAGE", "en")
FACTCHECK_SITE_URL = env_str("FACTCHECK_SITE_URL", "http://127.0.0.1:8000")
# Demo verdicts (is_example) are exported as ClaimReview only when this is on (default: in DEBUG),
# so that examples never reach fact-check aggregators from a production site.
FACTCHECK_EXPORT_EXAMPLE_REVIEWS = env_bool("FACTCHECK_EXPORT_EXAMPLE_REVIEWS", DEBUG)
# Approximate figures are widened by this fraction before conflicts are judged.
FACTCHECK_APPROXIMATE_TOLERANCE = env_str("FACTCHECK_APPROXIMATE_TOLERANCE", "0.05")
# Credibility: recency half-life in days (0 disables recency weighting).
FACTCHECK_CREDIBILITY_HALF_LIFE_DAYS = env_int("FACTCHECK_CREDIBILITY_HALF_LIFE_DAYS", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
