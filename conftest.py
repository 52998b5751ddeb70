"""Shared pytest fixtures: users for every role, the rating scale, small data builders, and data
built once for the tests of a module (`world`; how: claims/tests/once.py)."""

import os

import pytest
from hypothesis import settings as hypothesis_settings

from claims.tests.once import order_shared_last, per_test_copy, rating_scale, role_user, shared_data

# No per-example deadline (a shared 2-core machine makes timings noisy); in CI the examples are
# derandomised so a run is reproducible.
hypothesis_settings.register_profile("factcheck", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "factcheck")


@pytest.fixture
def reviewer(django_user_model):
    return role_user("reviewer", django_user_model)


@pytest.fixture
def editor(django_user_model):
    return role_user("editor", django_user_model)


@pytest.fixture
def second_editor(django_user_model):
    return role_user("second_editor", django_user_model)


@pytest.fixture
def superuser(django_user_model):
    return role_user("superuser", django_user_model)


@pytest.fixture
def staff_without_group(django_user_model):
    return role_user("staff_without_group", django_user_model)


@pytest.fixture
def plain_user(django_user_model):
    return role_user("plain_user", django_user_model)


@pytest.fixture
def ratings(db):
    """The seeded scale by slug: true, mostly-true, mixed, mostly-false, false, unverifiable."""
    return rating_scale()


# --- Reference rows seeded by migrations (rating scale, groups) -------------------------------
# A transactional test (threads, live server) ends with a TRUNCATE of every table, which also
# removes the rows the data migrations seeded. With --reuse-db that emptiness would outlive the
# run. So the seeds are re-applied (idempotently) when the test database is set up, re-serialised
# for tests marked serialized_rollback=True, and re-applied once more when the session ends.


def reseed_reference_rows():
    """Run the seeding migrations' functions again, with the migrations' own (historical) models."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    state_apps = MigrationLoader(connection).project_state().apps
    importlib.import_module("claims.migrations.0002_rating_scale").seed_scale(state_apps, None)
    importlib.import_module("claims.migrations.0003_groups").create_groups(state_apps, None)
    translations = importlib.import_module("claims.migrations.0014_i18nadmin_rating_translations")
    translations.seed_translations(state_apps, None)
    translations.grant_permissions(state_apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connections

    with django_db_blocker.unblock():
        reseed_reference_rows()
        for connection in connections.all(initialized_only=True):
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        reseed_reference_rows()


@pytest.fixture
def seed_dir():
    """The shared seed articles (claims/tests/seeds.py): skip without them, fail when required."""
    from claims.tests.seeds import require_seeds

    return require_seeds()


@pytest.fixture(autouse=True)
def _fresh_rating_texts():
    """Rating levels' translations read by one test (claims/rating_text.py) are rolled back with it."""
    from claims import rating_text

    rating_text.clear()
    yield
    rating_text.clear()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Cached reader pages (claims/page_cache.py) must not outlive a test: its rows are rolled back."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request activates its page's language in the thread and leaves it there: each test starts
    in the default language, so a URL built after a /fa/ request in an earlier test is English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _embeddings_only_where_tested(request):
    """Computing embeddings on write loads a ~150 MB model and costs ~20 ms a claim: tests that are
    not about matching leave the vectors empty (as with FACTCHECK_MATCHING_EMBED_ON_WRITE off).
    Tests marked `matching` run the real model on every write."""
    from django.test import override_settings

    on = request.node.get_closest_marker("matching") is not None
    with override_settings(FACTCHECK_MATCHING_EMBED_ON_WRITE=on):
        yield


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing():
    """Users are created with claims/tests/hashers.py's hasher (same algorithm, fewer rounds)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["claims.tests.hashers.QuickPBKDF2PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counters live in the cache; start every test from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- Data built once for the tests of a module (claims/tests/once.py) ----------------------------


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    order_shared_last(items)  # after pytest-django's ordering by database use


@pytest.fixture(scope="module")
def world_once(request, django_db_setup, django_db_blocker):
    """claims/tests/api_world.py's world, built once per module (tests use `world`)."""
    from claims.tests.api_world import build_world

    with shared_data(request, django_db_blocker):
        yield build_world(reviewer=role_user("reviewer"), editor=role_user("editor"), ratings=rating_scale())


@pytest.fixture
def world(request, world_once):
    """One public and one hidden claim with their sources, articles, figures and verdicts
    (claims/tests/api_world.py), shared by the module's tests; each test's writes are rolled back.
    A module with a world of its own overrides `world_once`."""
    return per_test_copy(request, world_once)


@pytest.fixture(scope="module")
def demo_once(request, django_db_setup, django_db_blocker):
    """The demo data (`manage.py load_demo`), loaded once per module (tests use `demo`)."""
    from django.core.management import call_command

    with shared_data(request, django_db_blocker):
        call_command("load_demo", verbosity=0)
        yield


@pytest.fixture
def demo(request, demo_once):
    """The demo data (`manage.py load_demo`), shared by the module's tests; each test's writes are
    rolled back."""
    per_test_copy(request, demo_once)
