"""The two-person rule on content: whoever publishes a verdict wrote none of what readers will see
(its rating, summary, rationale or evidence), whichever path the writing took (API, admin,
services); and nothing moves evidence, appearances or figures under a public record."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.choices import VerdictStatus
from claims.models import Evidence, Verdict
from claims.tests import factories
from claims.tests.api_world import client_for

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


# --- Nothing is moved under a public record ---------------------------------------------------


@pytest.fixture
def draft_and_published(reviewer, editor, ratings):
    draft = services.create_verdict(
        claim=factories.ClaimFactory(),
        rating=ratings["false"],
        summary="A draft.",
        by=reviewer,
        evidence=[{"url": "https://draft.example.org/", "title": "DRAFT-ONLY evidence"}],
    )
    public_claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    return draft, public_claim.published_verdict


def _public_evidence_titles(verdict):
    return [item["title"] for item in client_for().get(f"/api/v1/verdicts/{verdict.pk}/").json()["evidence"]]


def test_it_does_not_let_the_evidence_admin_move_evidence_onto_a_published_verdict(
    client, reviewer, draft_and_published
):
    draft, published = draft_and_published
    evidence = draft.evidence.get()
    client.force_login(reviewer)
    url = reverse("admin:claims_evidence_change", args=[evidence.pk])
    assert 'name="verdict"' not in client.get(url).content.decode()  # shown, not editable

    response = client.post(url, {"verdict": published.pk, "url": evidence.url, "title": evidence.title})
    assert response.status_code in (200, 302)
    assert Evidence.objects.get(pk=evidence.pk).verdict_id == draft.pk
    assert "DRAFT-ONLY evidence" not in _public_evidence_titles(published)


def test_it_offers_new_evidence_only_to_verdicts_still_being_written(client, reviewer, draft_and_published):
    draft, published = draft_and_published
    client.force_login(reviewer)
    add = reverse("admin:claims_evidence_add")
    refused = client.post(add, {"verdict": published.pk, "url": "https://late.example.org/", "title": "LATE"})
    assert refused.status_code == 200
    assert "verdict" in refused.context["adminform"].form.errors
    assert not Evidence.objects.filter(title="LATE").exists()

    added = client.post(add, {"verdict": draft.pk, "url": "https://fine.example.org/", "title": "Fine"})
    assert added.status_code == 302
    assert Evidence.objects.get(title="Fine").verdict_id == draft.pk


def test_it_refuses_to_move_a_row_to_another_parent_in_the_services_rule():
    evidence = Evidence(pk=1)
    with pytest.raises(ValidationError) as refused:
        services.refuse_move(evidence, ["verdict", "title"])
    assert list(refused.value.message_dict) == ["verdict"]
    services.refuse_move(Evidence(), ["verdict"])  # a new row has no parent to leave


def test_it_keeps_appearances_and_figures_where_they_were_recorded_in_the_admin(client, reviewer, editor, ratings):
    public_claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    hidden = factories.FigureFactory(quoted_text="HIDDEN figure")
    hidden_appearance = hidden.appearance
    public_appearance = factories.AppearanceFactory(claim=public_claim)
    client.force_login(reviewer)

    # The appearance's own page: its claim and article are shown, not editable.
    url = reverse("admin:claims_appearance_change", args=[hidden_appearance.pk])
    page = client.get(url).content.decode()
    assert 'name="claim"' not in page and 'name="article"' not in page
    client.post(
        url,
        {
            "claim": public_claim.pk,
            "quote": hidden_appearance.quote,
            "voice": hidden_appearance.voice,
            "figures-TOTAL_FORMS": "0",
            "figures-INITIAL_FORMS": "0",
            "figures-MIN_NUM_FORMS": "0",
            "figures-MAX_NUM_FORMS": "1000",
        },
    )
    assert type(hidden_appearance).objects.get(pk=hidden_appearance.pk).claim_id == hidden_appearance.claim_id

    # The figure's own page: its appearance is shown, not editable.
    url = reverse("admin:claims_figure_change", args=[hidden.pk])
    assert 'name="appearance"' not in client.get(url).content.decode()
    client.post(url, {"appearance": public_appearance.pk, "measure": hidden.measure_id, "quoted_text": "x", "low": 1})
    assert type(hidden).objects.get(pk=hidden.pk).appearance_id == hidden_appearance.pk
    assert "HIDDEN figure" not in client_for().get(f"/api/v1/claims/{public_claim.slug}/").content.decode()


def test_it_refuses_an_inline_appearance_moved_to_another_article(client, reviewer, editor, ratings):
    from claims.tests.test_derived_data import _claim_change_data

    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    appearance = factories.AppearanceFactory(claim=claim)
    secret_article = factories.ArticleFactory(title="SECRET article of a hidden claim")
    factories.AppearanceFactory(article=secret_article)
    client.force_login(reviewer)
    url = reverse("admin:claims_claim_change", args=[claim.pk])

    response = client.post(url, _claim_change_data(claim, **{"appearances-0-article": secret_article.pk}))
    assert response.status_code == 200
    assert "not moved to another article" in response.content.decode()
    appearance.refresh_from_db()
    assert appearance.article_id != secret_article.pk
    assert b"SECRET article" not in client_for().get("/api/v1/articles/").content
