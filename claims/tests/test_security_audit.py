"""Audit: every change is in the history with its user; nothing published is hard-deleted."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from claims import services
from claims.choices import VerdictStatus
from claims.models import Claim, Evidence, Verdict
from claims.tests import factories


@pytest.mark.django_db
def test_it_records_each_claim_and_verdict_change_with_its_user(reviewer, editor, ratings):
    claim = services.create_claim(text="Azerbaijan supplies 40% of Israel's oil.", by=reviewer)
    verdict = services.create_verdict(claim=claim, rating=ratings["mixed"], summary="Partly.", by=reviewer)
    verdict = services.update_verdict(verdict=verdict, by=reviewer, expected_version=1, summary="Partly so.")
    verdict = services.submit_verdict(verdict=verdict, by=reviewer)
    verdict = services.publish_verdict(verdict=verdict, by=editor)
    services.withdraw_verdict(verdict=verdict, by=editor, reason="The cited report was retracted.")

    verdict_history = list(Verdict.history.filter(id=verdict.pk).order_by("history_date"))
    assert [(h.status, h.history_user) for h in verdict_history] == [
        (VerdictStatus.DRAFT, reviewer),
        (VerdictStatus.DRAFT, reviewer),
        (VerdictStatus.SUBMITTED, reviewer),
        (VerdictStatus.PUBLISHED, editor),
        (VerdictStatus.WITHDRAWN, editor),
    ]
    claim_history = Claim.history.filter(id=claim.pk).order_by("history_date")
    assert all(h.history_user is not None for h in claim_history)
    assert [h.history_user for h in claim_history][-1] == editor


@pytest.mark.django_db
def test_it_records_figures_appearances_and_evidence_with_their_user(reviewer, ratings):
    claim = services.create_claim(text="Iran has 30 million Azeris.", by=reviewer)
    appearance = services.add_appearance(
        claim=claim, article=factories.ArticleFactory(), by=reviewer, quote="30 million"
    )
    measure = factories.MeasureFactory()
    figure = services.record_figure(
        appearance=appearance, measure=measure, by=reviewer, quoted_text="30 million", low=30_000_000, high=30_000_000
    )
    verdict = services.create_verdict(claim=claim, rating=ratings["false"], summary="No.", by=reviewer)
    evidence = services.add_evidence(
        verdict=verdict, by=reviewer, url="https://stats.example.org/census", title="Census"
    )

    for obj in (appearance, figure, evidence):
        rows = type(obj).history.filter(id=obj.pk)
        assert rows.count() == 1
        assert rows.get().history_user == reviewer


@pytest.mark.django_db
def test_it_records_admin_changes_to_sources_with_the_user(client, editor):
    source = factories.SourceFactory(name="Caucasus Review")
    client.force_login(editor)

    response = client.get(f"/admin/claims/source/{source.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["description"] = "Regional outlet."
    saved = client.post(f"/admin/claims/source/{source.pk}/change/", data)

    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    latest = source.history.order_by("-history_date").first()
    assert latest.description == "Regional outlet."
    assert latest.history_user == editor


@pytest.mark.django_db
@pytest.mark.parametrize("final_state", ["published", "withdrawn", "superseded"])
def test_it_refuses_to_hard_delete_a_public_verdict(reviewer, editor, ratings, final_state):
    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    verdict = claim.published_verdict
    if final_state == "withdrawn":
        services.withdraw_verdict(verdict=verdict, by=editor, reason="Retracted source.")
    elif final_state == "superseded":
        correction = services.draft_correction(verdict=verdict, by=reviewer, correction_note="New data.")
        services.publish_verdict(verdict=services.submit_verdict(verdict=correction, by=reviewer), by=editor)
    verdict.refresh_from_db()
    assert verdict.status == final_state

    with pytest.raises(ProtectedError), transaction.atomic():
        verdict.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Verdict.objects.filter(pk=verdict.pk).delete()
    assert Verdict.objects.filter(pk=verdict.pk).exists()


@pytest.mark.django_db
def test_it_refuses_to_hard_delete_a_public_claim_or_the_evidence_of_a_public_verdict(reviewer, editor, ratings):
    claim = factories.ClaimFactory()
    draft = services.create_verdict(
        claim=claim, rating=ratings["true"], summary="Yes.", by=reviewer,
        evidence=[{"url": "https://data.example.org/x", "title": "Dataset"}],
    )  # fmt: skip
    services.publish_verdict(verdict=services.submit_verdict(verdict=draft, by=reviewer), by=editor)

    with pytest.raises(ProtectedError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Evidence.objects.filter(verdict=draft).delete()
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert Evidence.objects.filter(verdict=draft).count() == 1


@pytest.mark.django_db
def test_it_still_lets_reviewers_discard_unpublished_drafts(reviewer, ratings):
    claim = factories.ClaimFactory()
    draft = services.create_verdict(claim=claim, rating=ratings["true"], summary="Draft.", by=reviewer)

    draft_id = draft.pk
    draft.delete()

    assert not Verdict.objects.filter(pk=draft_id).exists()
    assert Verdict.history.filter(id=draft_id, history_type="-").exists()  # the deletion is audited too


@pytest.mark.django_db
def test_it_offers_no_delete_button_for_a_public_claim_in_the_admin(client, superuser, reviewer, editor, ratings):
    published = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"])
    new = factories.ClaimFactory()
    client.force_login(superuser)

    public_page = client.get(reverse("admin:claims_claim_change", args=[published.pk]))
    assert public_page.status_code == 200
    assert b'class="deletelink"' not in public_page.content
    assert client.get(reverse("admin:claims_claim_delete", args=[published.pk])).status_code == 403
    assert b'class="deletelink"' in client.get(reverse("admin:claims_claim_change", args=[new.pk])).content
    # Nor a ✗ next to the claimant, an article or a source in the inlines: those are protected rows.
    assert b"delete-related" not in public_page.content
    assert b"change-related" in public_page.content  # the pencil and + stay
