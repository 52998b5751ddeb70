"""The two-person rule on content: whoever publishes a verdict wrote none of what readers will see
(its rating, summary, rationale or evidence), whichever path the writing took (API, admin,
services); and nothing moves evidence, appearances or figures under a public record."""

import pytest
from django.urls import reverse

from claims import services
from claims.choices import VerdictStatus
from claims.models import Evidence, Verdict
from claims.tests import factories
from claims.tests.api_world import _fresh_throttle_counts, client_for  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(reviewer, ratings):
    verdict = services.create_verdict(
        claim=factories.ClaimFactory(),
        rating=ratings["false"],
        summary="The reviewer's summary.",
        rationale="The reviewer's rationale.",
        by=reviewer,
        evidence=[{"url": "https://stats.example.org/a", "title": "Reviewer's source"}],
    )
    return services.submit_verdict(verdict=verdict, by=reviewer)


def _publish(user, verdict):
    return client_for(user).post(f"/api/v1/verdicts/{verdict.pk}/publish/", {}, format="json")


def test_it_refuses_to_let_an_editor_publish_a_verdict_they_rewrote_through_the_api(submitted, editor, second_editor):
    path = f"/api/v1/verdicts/{submitted.pk}/"
    edited = client_for(editor).patch(
        path, {"summary": "The editor's summary.", "rating": "true", "rationale": "Mine now."}, format="json"
    )
    assert edited.status_code == 200, edited.json()
    assert edited.json()["status"] == "draft"  # what was submitted is not what would be published

    assert _publish(editor, submitted).status_code == 400  # a draft is not published by anyone
    resubmitted = client_for(editor).post(f"/api/v1/verdicts/{submitted.pk}/submit/", {}, format="json")
    assert resubmitted.status_code == 200, resubmitted.json()

    alone = _publish(editor, submitted)
    assert alone.status_code == 403
    assert "Two-person rule" in alone.json()["detail"]
    assert Verdict.objects.get(pk=submitted.pk).status == VerdictStatus.SUBMITTED

    published = _publish(second_editor, submitted)
    assert published.status_code == 200, published.json()
    assert published.json()["summary"] == "The editor's summary."


def test_it_keeps_who_wrote_what_in_the_verdicts_history(submitted, reviewer, editor):
    services.update_verdict(verdict=submitted, by=editor, expected_version=submitted.version, summary="Rewritten.")

    rows = Verdict.history.filter(id=submitted.pk).order_by("history_date", "history_id")
    assert [(row.history_user, row.status, row.summary) for row in rows] == [
        (reviewer, VerdictStatus.DRAFT, "The reviewer's summary."),
        (reviewer, VerdictStatus.SUBMITTED, "The reviewer's summary."),
        (editor, VerdictStatus.DRAFT, "Rewritten."),
    ]
    assert rows.last().history_change_reason == "Edited summary after submission: back to draft"
    assert services.content_authors(submitted) == {reviewer.pk, editor.pk}


def test_it_counts_an_edit_of_a_draft_by_another_editor_as_writing_it(reviewer, editor, second_editor, ratings):
    verdict = services.create_verdict(claim=factories.ClaimFactory(), rating=ratings["true"], summary="S.", by=reviewer)
    verdict = services.update_verdict(verdict=verdict, by=editor, expected_version=1, rationale="Editor's words.")
    verdict = services.submit_verdict(verdict=verdict, by=reviewer)

    with pytest.raises(services.NotAllowed, match="Two-person rule"):
        services.publish_verdict(verdict=verdict, by=editor)
    assert services.publish_verdict(verdict=verdict, by=second_editor).status == VerdictStatus.PUBLISHED


def test_it_does_not_reopen_a_submitted_verdict_for_an_edit_that_changes_nothing(submitted, editor):
    same = services.update_verdict(
        verdict=submitted, by=editor, expected_version=submitted.version, summary=submitted.summary
    )
    assert same.status == VerdictStatus.SUBMITTED
    assert services.publish_verdict(verdict=same, by=editor).status == VerdictStatus.PUBLISHED


@pytest.mark.parametrize("how", ["add", "change", "remove"])
def test_it_treats_evidence_as_content_of_the_verdict(how, submitted, editor, second_editor):
    evidence = submitted.evidence.get()
    client = client_for(editor)
    if how == "add":
        response = client.post(
            "/api/v1/evidence/",
            {"verdict": submitted.pk, "url": "https://editor.example.org/", "title": "Editor's source"},
            format="json",
        )
        assert response.status_code == 201, response.json()
    elif how == "change":
        response = client.patch(f"/api/v1/evidence/{evidence.pk}/", {"title": "Editor's title"}, format="json")
        assert response.status_code == 200, response.json()
    else:
        assert client.delete(f"/api/v1/evidence/{evidence.pk}/").status_code == 204

    submitted.refresh_from_db()
    assert submitted.status == VerdictStatus.DRAFT
    services.submit_verdict(verdict=submitted, by=editor)
    with pytest.raises(services.NotAllowed, match="Two-person rule"):
        services.publish_verdict(verdict=submitted, by=editor)
    assert services.publish_verdict(verdict=submitted, by=second_editor).status == VerdictStatus.PUBLISHED


def _admin_form(verdict, evidence, **overrides):
    data = {
        "rating": verdict.rating_id,
        "summary": verdict.summary,
        "rationale": verdict.rationale,
        "version": verdict.version,
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "1",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
        "evidence-0-id": evidence.pk,
        "evidence-0-verdict": verdict.pk,
        "evidence-0-url": evidence.url,
        "evidence-0-title": evidence.title,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("edit", ["summary", "evidence-0-title"])
def test_it_applies_the_same_rule_to_edits_made_in_the_admin(edit, client, submitted, editor, second_editor):
    client.force_login(editor)
    change = reverse("admin:claims_verdict_change", args=[submitted.pk])
    response = client.post(change, _admin_form(submitted, submitted.evidence.get(), **{edit: "The editor's words"}))
    assert response.status_code == 302, response.content.decode()[:2000]

    submitted.refresh_from_db()
    assert submitted.status == VerdictStatus.DRAFT
    services.submit_verdict(verdict=submitted, by=second_editor)
    page = client.get(change).content.decode()
    assert "another editor must publish it (two-person rule)" in page
    assert reverse("admin:claims_verdict_publish", args=[submitted.pk]) not in page
    with pytest.raises(services.NotAllowed, match="Two-person rule"):
        services.publish_verdict(verdict=submitted, by=editor)


def test_it_removes_evidence_in_the_admin_through_the_service(client, submitted, editor):
    evidence = submitted.evidence.get()
    client.force_login(editor)
    change = reverse("admin:claims_verdict_change", args=[submitted.pk])
    response = client.post(change, _admin_form(submitted, evidence, **{"evidence-0-DELETE": "on"}))
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert Evidence.history.filter(id=evidence.pk, history_type="-").get().history_user == editor
    submitted.refresh_from_db()
    assert submitted.status == VerdictStatus.DRAFT
