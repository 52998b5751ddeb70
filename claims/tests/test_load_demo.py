"""load_demo builds the dataset the foundation issue asks for, and a second run changes nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command

from claims.choices import VerdictStatus
from claims.models import Claim, Figure, Verdict

pytestmark = pytest.mark.django_db


def table_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("claims").get_models()}


def test_it_is_idempotent():
    call_command("load_demo", verbosity=0)
    first = table_counts()
    call_command("load_demo", verbosity=0)
    assert table_counts() == first
    assert first["claims.Claim"] >= 12


def test_it_contains_the_seed_figures():
    call_command("load_demo", verbosity=0)
    quoted = set(Figure.objects.values_list("quoted_text", flat=True))
    assert {
        "approximate 15-18 million",
        "close to 15 million",
        "roughly 10.5 million",
        "46.4%",
        "99 years",
        "43-km",
        "roughly 450 km",
    } <= quoted
    assert Claim.objects.filter(text__icontains="Arash-2").exists()
    assert Claim.objects.filter(appearances__article__kind="comment").exists()


def test_it_has_verdicts_in_every_state_all_marked_as_examples():
    call_command("load_demo", verbosity=0)
    states = set(Verdict.objects.values_list("status", flat=True))
    assert {VerdictStatus.DRAFT, VerdictStatus.SUBMITTED, VerdictStatus.PUBLISHED, VerdictStatus.SUPERSEDED} <= states
    assert not Verdict.objects.filter(is_example=False).exists()
    corrected = Verdict.objects.get(status=VerdictStatus.PUBLISHED, supersedes__isnull=False)
    assert corrected.correction_note
    assert corrected.approver != corrected.author


def test_published_claims_point_at_their_published_verdict():
    call_command("load_demo", verbosity=0)
    for claim in Claim.objects.filter(status="published"):
        assert claim.published_verdict.status == VerdictStatus.PUBLISHED
        assert claim.published_verdict.claim_id == claim.pk


def test_it_records_history_with_the_acting_user():
    call_command("load_demo", verbosity=0)
    record = Verdict.history.filter(status=VerdictStatus.PUBLISHED).first()
    assert record.history_user.username == "demo-editor"
