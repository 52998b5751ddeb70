import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_it_gives_reviewers_no_publishing_rights(reviewer, editor):
    assert reviewer.has_perm("claims.add_verdict")
    assert not reviewer.has_perm("claims.publish_verdict")
    assert editor.has_perm("claims.publish_verdict")
    assert editor.has_perm("claims.withdraw_verdict")


def test_it_creates_both_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Reviewers", "Editors"}
