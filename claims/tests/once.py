"""Data built once for the tests of a module, and the users behind conftest.py's role fixtures.

Building a world through the services costs seconds; tests that only read it share one. A
module-scoped fixture named `*_once` builds it inside `shared_data`: a transaction that stays open
while the module's tests run, each in its own savepoint (pytest-django's `db`), and is rolled back
after the module's last test. What a test writes is undone after it, as with Django's
`TestCase.setUpTestData`, and each test gets its own copy of the Python objects (`per_test_copy`,
copy.deepcopy as setUpTestData does), so changing an attribute does not leak either.

The data lives until the module's last test, so the module's tests that do not use it run first
(`order_shared_last`, called by conftest.py): they still start from an empty database.

    @pytest.fixture(scope="module")
    def catalogue_once(request, django_db_setup, django_db_blocker):
        with shared_data(request, django_db_blocker):
            yield build_catalogue(reviewer=role_user("reviewer"), ratings=rating_scale())

    @pytest.fixture
    def catalogue(request, catalogue_once):
        return per_test_copy(request, catalogue_once)
"""

from __future__ import annotations

import copy
from contextlib import contextmanager

import pytest

SHARED_SUFFIX = "_once"

# The users behind the role fixtures: username and how make_user builds them.
ROLE_USERS = {
    "reviewer": ("rita-reviewer", {"group": "Reviewers"}),
    "editor": ("eddie-editor", {"group": "Editors"}),
    "second_editor": ("erin-editor", {"group": "Editors"}),
    "superuser": ("sue-super", {"superuser": True}),
    "staff_without_group": ("sam-staff", {}),
    "plain_user": ("pat-public", {"staff": False}),
}


def make_user(user_model, username, *, group=None, staff=True, superuser=False):
    """A user with password "pw-<username>"; the existing one when shared data already holds it
    (so `reviewer` in a test is the author of the shared world's verdicts)."""
    from django.contrib.auth.models import Group

    existing = user_model.objects.filter(username=username).first()
    if existing is not None:
        return existing
    user = user_model.objects.create_user(
        username=username, password="pw-" + username, is_staff=staff or superuser, is_superuser=superuser
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def role_user(role, user_model=None):
    """The user the role fixture of that name returns."""
    from django.contrib.auth import get_user_model

    username, options = ROLE_USERS[role]
    return make_user(user_model or get_user_model(), username, **options)


def rating_scale():
    """The seeded scale by slug: true, mostly-true, mixed, mostly-false, false, unverifiable."""
    from claims.models import RatingLevel

    return {level.slug: level for level in RatingLevel.objects.all()}


@contextmanager
def shared_data(request, django_db_blocker):
    """Open the transaction for data shared by the tests of `request`'s module (a `*_once` fixture).

    Tests that use the data must not be transactional: it is never committed, so other connections
    (a live server, threads) cannot see it. Writes compute embeddings only in a module marked
    `matching`, as conftest.py's per-test switch does."""
    from django.db import transaction
    from django.test import override_settings

    matching = request.node.get_closest_marker("matching") is not None
    with django_db_blocker.unblock(), override_settings(FACTCHECK_MATCHING_EMBED_ON_WRITE=matching):
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as TestCase's class-wide atomic: durable blocks may nest in it
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def per_test_copy(request, shared):
    """`shared` for the requesting test, in its own copy; refused to a transactional test."""
    marker = request.node.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    transactional = {"transactional_db", "live_server", "django_db_reset_sequences"} & set(request.fixturenames)
    if transactional or kwargs.get("transaction") or kwargs.get("reset_sequences"):
        pytest.fail(
            f"`{request.fixturename}` is shared by the module's tests and never committed; a transactional "
            "test builds its own data"
        )
    request.getfixturevalue("db")
    return copy.deepcopy(shared)


def _shared_fixtures(item):
    return tuple(sorted(name for name in getattr(item, "fixturenames", ()) if name.endswith(SHARED_SUFFIX)))


def order_shared_last(items):
    """Within each run of one module's tests, those without shared data first, then those with it
    (stable otherwise); a module may share one data set."""
    start = 0
    while start < len(items):
        module = getattr(items[start], "module", None)
        end = start
        while end < len(items) and getattr(items[end], "module", None) is module:
            end += 1
        run = items[start:end]
        kinds = {_shared_fixtures(item) for item in run} - {()}
        if len(kinds) > 1:
            raise pytest.UsageError(
                f"{items[start].nodeid.split('::')[0]} uses more than one shared data set {sorted(kinds)}: "
                "the first would still be in the database while the second's tests run"
            )
        run.sort(key=lambda item: bool(_shared_fixtures(item)))
        items[start:end] = run
        start = end
