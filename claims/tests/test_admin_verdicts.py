"""Verdicts in the admin: drafting, submitting, the two-person rule, withdrawal, corrections,
stale edits and history, each driven as the role that does it."""

import pytest
from django.urls import reverse

from claims import services
from claims.choices import ClaimStatus, VerdictStatus
from claims.models import Evidence, Verdict
from claims.tests import factories

pytestmark = pytest.mark.django_db


def _change(verdict):
    return reverse("admin:claims_verdict_change", args=[verdict.pk])


def _url(name, verdict):
    return reverse(f"admin:claims_verdict_{name}", args=[verdict.pk])


def _evidence_management(prefix="evidence", total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def submitted(reviewer, ratings):
    verdict = services.create_verdict(
        claim=factories.ClaimFactory(), rating=ratings["mostly-false"], summary="Double other estimates.", by=reviewer
    )
    return services.submit_verdict(verdict=verdict, by=reviewer)


@pytest.fixture
def published(submitted, editor):
    return services.publish_verdict(verdict=submitted, by=editor)


def test_it_drafts_a_verdict_with_evidence_through_the_service(client, reviewer, ratings):
    claim = factories.ClaimFactory()
    client.force_login(reviewer)
    add = reverse("admin:claims_verdict_add")
    assert f'value="{claim.pk}" selected' in client.get(add, {"claim": claim.pk}).content.decode()
    response = client.post(
        add,
        {
            "claim": claim.pk,
            "rating": ratings["mixed"].pk,
            "summary": "Estimates vary.",
            "rationale": "",
            **_evidence_management(total=1),
            "evidence-0-url": "https://stats.example.org/census",
            "evidence-0-title": "Census tables",
        },
    )
    assert response.status_code == 302
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.status, verdict.author, verdict.version) == (VerdictStatus.DRAFT, reviewer, 1)
    assert verdict.evidence.get().title == "Census tables"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW  # create_verdict moved it into review


def test_it_submits_a_draft_from_its_page(client, reviewer, ratings):
    verdict = services.create_verdict(claim=factories.ClaimFactory(), rating=ratings["true"], summary="S.", by=reviewer)
    client.force_login(reviewer)
    page = client.get(_change(verdict)).content.decode()
    assert "Submit for approval" in page and _url("publish", verdict) not in page
    client.post(_url("submit", verdict), {"wf_version": verdict.version})
    verdict.refresh_from_db()
    assert verdict.status == VerdictStatus.SUBMITTED


def test_it_never_lets_a_reviewer_publish(client, reviewer, submitted):
    client.force_login(reviewer)
    assert "Waiting for an editor" in client.get(_change(submitted)).content.decode()
    assert client.post(_url("publish", submitted), {"wf_version": submitted.version}).status_code == 403
    actions = client.get(reverse("admin:claims_verdict_changelist")).content.decode()
    assert "publish_selected" not in actions
    submitted.refresh_from_db()
    assert submitted.status == VerdictStatus.SUBMITTED


def test_it_hides_publish_from_the_editor_who_wrote_it_and_refuses_it_anyway(client, editor, ratings):
    verdict = services.create_verdict(claim=factories.ClaimFactory(), rating=ratings["true"], summary="S.", by=editor)
    verdict = services.submit_verdict(verdict=verdict, by=editor)
    client.force_login(editor)
    page = client.get(_change(verdict)).content.decode()
    assert "another editor must publish it (two-person rule)" in page
    assert _url("publish", verdict) not in page
    response = client.post(_url("publish", verdict), {"wf_version": verdict.version})
    assert "Two-person rule" in response.content.decode()
    response = client.post(
        reverse("admin:claims_verdict_changelist"),
        {"action": "publish_selected", "_selected_action": [verdict.pk], "index": 0},
        follow=True,
    )
    assert any("Two-person rule" in str(m) for m in response.context["messages"])
    verdict.refresh_from_db()
    assert verdict.status == VerdictStatus.SUBMITTED and verdict.approver is None


def test_it_lets_another_editor_publish(client, editor, submitted):
    client.force_login(editor)
    page = client.get(_change(submitted)).content.decode()
    assert f'formaction="{_url("publish", submitted)}"' in page
    response = client.post(_url("publish", submitted), {"wf_version": submitted.version})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.approver) == (VerdictStatus.PUBLISHED, editor)
    assert submitted.claim.published_verdict_id == submitted.pk


def test_it_refuses_a_stale_publish(client, editor, reviewer, submitted):
    stale_version = submitted.version
    services.update_verdict(verdict=submitted, by=reviewer, expected_version=stale_version, summary="Changed.")
    client.force_login(editor)
    response = client.post(_url("publish", submitted), {"wf_version": stale_version})
    assert "you edited version" in response.content.decode()
    submitted.refresh_from_db()
    # The edit sent it back to draft (it must be submitted again); the stale publish changed nothing.
    assert (submitted.status, submitted.approver) == (VerdictStatus.DRAFT, None)


def test_it_requires_a_public_note_to_withdraw(client, second_editor, published):
    client.force_login(second_editor)
    assert "Withdraw…" in client.get(_change(published)).content.decode()
    response = client.post(_url("withdraw", published), {"wf_version": published.version, "note": "  "})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    published.refresh_from_db()
    assert published.status == VerdictStatus.PUBLISHED
    response = client.post(
        _url("withdraw", published), {"wf_version": published.version, "note": "The source was retracted."}
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert (published.status, published.withdrawal_reason) == (VerdictStatus.WITHDRAWN, "The source was retracted.")
    assert published.claim.status == ClaimStatus.WITHDRAWN


def test_it_keeps_reviewers_from_withdrawing(client, reviewer, published):
    client.force_login(reviewer)
    assert "Withdraw…" not in client.get(_change(published)).content.decode()
    assert client.get(_url("withdraw", published)).status_code == 403
    assert client.post(_url("withdraw", published), {"wf_version": 1, "note": "x"}).status_code == 403


def test_it_drafts_a_correction_with_its_note_and_publishing_it_supersedes(
    client, reviewer, second_editor, published, ratings
):
    client.force_login(reviewer)
    form = {"wf_version": published.version, "rating": ratings["false"].pk, "summary": "Worse than thought."}
    response = client.post(_url("correct", published), {**form, "note": ""})
    assert "This field is required" in response.content.decode()
    response = client.post(_url("correct", published), {**form, "note": "New census data."})
    correction = Verdict.objects.get(correction_note="New census data.")
    assert response["Location"] == _change(correction)
    services.submit_verdict(verdict=correction, by=reviewer)
    client.force_login(second_editor)
    client.post(_url("publish", correction), {"wf_version": correction.version + 1})
    correction.refresh_from_db()
    published.refresh_from_db()
    assert correction.status == VerdictStatus.PUBLISHED and published.status == VerdictStatus.SUPERSEDED


def test_a_correction_drafted_in_the_admin_keeps_the_evidence_and_history_names_who_removed_it(
    client, reviewer, editor, second_editor, ratings
):
    verdict = services.create_verdict(
        claim=factories.ClaimFactory(), rating=ratings["mostly-false"], summary="Double other estimates.",
        by=reviewer, evidence=[
            {"url": "https://stats.example.org/census", "title": "Census tables", "publisher": "Statistics Office"},
            {"url": "https://archive.example.org/survey", "title": "Household survey"},
        ],
    )  # fmt: skip
    published = services.publish_verdict(verdict=services.submit_verdict(verdict=verdict, by=reviewer), by=editor)
    client.force_login(reviewer)
    page = client.get(_url("correct", published)).content.decode()
    assert "Evidence carried over" in page and "Census tables" in page and "Household survey" in page
    form = {"wf_version": published.version, "rating": ratings["false"].pk, "summary": "Worse.", "note": "New data."}
    client.post(_url("correct", published), form)
    correction = Verdict.objects.get(correction_note="New data.")
    copies = list(correction.evidence.order_by("id"))
    assert [(e.url, e.title, e.publisher) for e in copies] == [
        ("https://stats.example.org/census", "Census tables", "Statistics Office"),
        ("https://archive.example.org/survey", "Household survey", ""),
    ]
    change = client.get(_change(correction)).content.decode()
    assert 'value="https://stats.example.org/census"' in change  # editable in the evidence inline
    data = {
        "rating": ratings["false"].pk, "summary": "Worse.", "rationale": "", "version": correction.version,
        "evidence-TOTAL_FORMS": "2", "evidence-INITIAL_FORMS": "2", "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for n, item in enumerate(copies):
        data |= {f"evidence-{n}-id": item.pk, f"evidence-{n}-verdict": correction.pk, f"evidence-{n}-url": item.url}
        data |= {f"evidence-{n}-title": item.title, f"evidence-{n}-publisher": item.publisher}
    data |= {"evidence-1-title": "Household survey 2025", "evidence-0-DELETE": "on"}
    response = client.post(_change(correction), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [e.title for e in correction.evidence.all()] == ["Household survey 2025"]
    assert Evidence.history.get(id=copies[0].pk, history_type="-").history_user == reviewer
    assert Evidence.history.filter(id=copies[1].pk, history_type="~").latest("history_date").history_user == reviewer
    change = client.get(_change(correction)).content.decode()
    assert "evidence removed in this correction" in change.lower()
    assert "Census tables</a> — removed by rita-reviewer" in change
    assert [e.title for e in published.evidence.all()] == ["Census tables", "Household survey"]
    # A verdict that corrects nothing has no such row.
    assert "evidence removed in this correction" not in client.get(_change(published)).content.decode().lower()


def test_it_refuses_a_stale_edit_with_a_form_error(client, reviewer, ratings):
    verdict = services.create_verdict(
        claim=factories.ClaimFactory(), rating=ratings["true"], summary="Old.", by=reviewer
    )
    client.force_login(reviewer)
    page = client.get(_change(verdict)).content.decode()
    assert 'type="hidden" name="version" value="1"' in page
    services.update_verdict(verdict=verdict, by=reviewer, expected_version=1, summary="Someone else's edit.")
    data = {
        "rating": ratings["true"].pk,
        "summary": "My edit.",
        "rationale": "",
        "version": 1,
        **_evidence_management(),
    }
    response = client.post(_change(verdict), data)
    assert response.status_code == 200
    assert "changed since you opened it" in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.summary == "Someone else's edit." and verdict.version == 2
    response = client.post(_change(verdict), {**data, "version": 2})
    assert response.status_code == 302
    verdict.refresh_from_db()
    assert (verdict.summary, verdict.version) == ("My edit.", 3)


def test_it_never_changes_status_by_editing_the_field(client, reviewer, ratings):
    verdict = services.create_verdict(claim=factories.ClaimFactory(), rating=ratings["true"], summary="S.", by=reviewer)
    client.force_login(reviewer)
    data = {
        "rating": ratings["true"].pk,
        "summary": "S2",
        "version": 1,
        "status": "published",
        **_evidence_management(),
    }
    client.post(_change(verdict), data)
    verdict.refresh_from_db()
    assert verdict.status == VerdictStatus.DRAFT and verdict.summary == "S2"


def test_it_makes_published_verdicts_read_only(client, second_editor, published, ratings):
    client.force_login(second_editor)
    page = client.get(_change(published)).content.decode()
    assert 'name="summary"' not in page
    data = {"rating": ratings["true"].pk, "summary": "Rewritten.", "version": published.version}
    assert client.post(_change(published), data).status_code == 403


def test_it_records_who_changed_what_in_the_history(client, reviewer, second_editor, published):
    client.force_login(second_editor)
    client.post(_url("withdraw", published), {"wf_version": published.version, "note": "Retracted."})
    records = list(published.history.order_by("history_date"))
    assert [r.status for r in records] == ["draft", "submitted", "published", "withdrawn"]
    assert [r.history_user for r in records] == [reviewer, reviewer, published.approver, second_editor]
    page = client.get(reverse("admin:claims_verdict_history", args=[published.pk])).content.decode()
    assert second_editor.username in page and "Retracted." in page


def test_it_disables_reverting_from_the_history(client, second_editor, published):
    client.force_login(second_editor)
    record = published.history.order_by("history_date").first()  # the draft
    url = reverse("admin:claims_verdict_simple_history", args=[published.pk, record.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"summary": "x"}).status_code == 403
    published.refresh_from_db()
    assert published.status == VerdictStatus.PUBLISHED


def test_a_bulk_action_names_ten_refusals_and_counts_the_rest_as_the_claims_queue_does(client, editor, ratings):
    verdicts = []
    for n in range(12):
        verdict = services.create_verdict(
            claim=factories.ClaimFactory(), rating=ratings["true"], summary=f"Own verdict {n}.", by=editor
        )
        verdicts.append(services.submit_verdict(verdict=verdict, by=editor))
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_verdict_changelist"),
        {"action": "publish_selected", "_selected_action": [v.pk for v in verdicts], "index": 0},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert sum("Two-person rule" in line for line in shown) == 10
    assert "… and 2 more refused." in shown
    assert Verdict.objects.filter(pk__in=[v.pk for v in verdicts], status=VerdictStatus.SUBMITTED).count() == 12
