"""Shared pytest fixtures: users for every role, the rating scale, and small data builders."""

import pytest
from django.contrib.auth.models import Group

from claims.models import RatingLevel


def _make_user(django_user_model, username, *, group=None, staff=True, superuser=False):
    user = django_user_model.objects.create_user(
        username=username, password="pw-" + username, is_staff=staff or superuser, is_superuser=superuser
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reviewer(django_user_model):
    return _make_user(django_user_model, "rita-reviewer", group="Reviewers")


@pytest.fixture
def editor(django_user_model):
    return _make_user(django_user_model, "eddie-editor", group="Editors")


@pytest.fixture
def second_editor(django_user_model):
    return _make_user(django_user_model, "erin-editor", group="Editors")


@pytest.fixture
def superuser(django_user_model):
    return _make_user(django_user_model, "sue-super", superuser=True)


@pytest.fixture
def staff_without_group(django_user_model):
    return _make_user(django_user_model, "sam-staff")


@pytest.fixture
def plain_user(django_user_model):
    return _make_user(django_user_model, "pat-public", staff=False)


@pytest.fixture
def ratings(db):
    """The seeded scale by slug: true, mostly-true, mixed, mostly-false, false, unverifiable."""
    return {level.slug: level for level in RatingLevel.objects.all()}
