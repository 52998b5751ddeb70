"""Settings come from the environment and fail loudly when production values are missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.database import parse_database_url

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE="factcheck.settings", **env_overrides)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_it_refuses_production_without_a_secret_key():
    result = run_python(
        "import django; django.setup()",
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="example.org",
        DATABASE_URL="postgres://u:p@db.example.org/factcheck",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_it_refuses_production_without_allowed_hosts():
    result = run_python(
        "import django; django.setup()",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://u:p@db.example.org/factcheck",
    )
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_it_honours_database_url():
    code = "from django.conf import settings as s; d = s.DATABASES['default']; print(d['NAME'], d['HOST'], d['PORT'])"
    result = run_python(code, DJANGO_DEBUG="1", DATABASE_URL="postgres://alice:secret@db.example.org:6543/facts")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["facts", "db.example.org", "6543"]


def test_it_rejects_a_non_postgres_database_url():
    result = run_python("import django; django.setup()", DJANGO_DEBUG="1", DATABASE_URL="sqlite:///x.db")
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr


def test_parse_database_url_reads_socket_hosts_and_escapes():
    parsed = parse_database_url("postgresql://postgres:p%40ss@/factcheck?host=/tmp/pg&sslmode=disable")
    assert parsed["HOST"] == "/tmp/pg"
    assert parsed["PASSWORD"] == "p@ss"
    assert parsed["OPTIONS"] == {"sslmode": "disable"}


def test_check_deploy_is_clean_with_production_settings():
    env = dict(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 64 + "-production-secret",
        DJANGO_ALLOWED_HOSTS="factcheck.example.org",
        DATABASE_URL="postgres://u:p@db.example.org/factcheck",
    )
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **env,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_it_says_what_is_missing_in_one_line_from_manage_py():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org", DATABASE_URL="postgres://u:p@db.example.org/x")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert result.stderr.startswith("manage.py: DJANGO_SECRET_KEY is not set")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["abc", "1.5", "-0.1", "NaN"])
def test_it_refuses_a_tolerance_that_is_not_a_fraction_at_start_up(value):
    result = run_python("import django; django.setup()", DJANGO_DEBUG="1", FACTCHECK_APPROXIMATE_TOLERANCE=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured: FACTCHECK_APPROXIMATE_TOLERANCE must be" in result.stderr


def test_it_reads_the_tolerance_once_as_a_decimal():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(repr(settings.FACTCHECK_APPROXIMATE_TOLERANCE))",
        DJANGO_DEBUG="1",
        FACTCHECK_APPROXIMATE_TOLERANCE="0.1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Decimal('0.1')"
