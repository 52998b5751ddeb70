"""Merging duplicate claims (claims/services/merging.py) and splitting a mistaken merge: what moves,
the permanent redirects of the merged claim's page and API URL, recomputed credibility and
conflict states, history, the record feed, the refusals, the API endpoint and the admin pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import services, site_selectors
from claims.choices import ClaimStatus, ConflictState, VerdictStatus, Voice
from claims.models import Appearance, Claim, Figure, Measure, MergeRecord, Source, Verdict
from claims.services import NotAllowed
from claims.tests import factories
from claims.tests.factories import published_claim

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def appearance_with_figure(claim, *, outlet, measure, low, high, quoted):
    appearance = factories.AppearanceFactory(
        claim=claim, article=factories.ArticleFactory(outlet=outlet), voice=Voice.ASSERTS
    )
    factories.FigureFactory(appearance=appearance, measure=measure, low=low, high=high, quoted_text=quoted)
    return appearance


@pytest.fixture
def world(reviewer, editor, ratings):
    """A published survivor (outlet A says 10-12) and an unpublished duplicate with a draft verdict
    (outlet B says 30-31 of the same measure: a conflict once both are public)."""
    outlet_a = factories.SourceFactory(name="Outlet A")
    outlet_b = factories.SourceFactory(name="Outlet B")
    measure = factories.MeasureFactory(name="Azeri population")
    survivor = factories.ClaimFactory(text="Iran has ten to twelve million Azeris.")
    appearance_with_figure(survivor, outlet=outlet_a, measure=measure, low=10, high=12, quoted="10-12")
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claim=survivor)
    duplicate = factories.ClaimFactory(text="Between ten and twelve million Azeris live in Iran.")
    topic = factories.TopicFactory(name="Demography", slug="demography")
    duplicate.topics.add(topic)
    moved = appearance_with_figure(duplicate, outlet=outlet_b, measure=measure, low=30, high=31, quoted="30-31")
    draft = services.create_verdict(claim=duplicate, rating=ratings["mixed"], summary="Unclear.", by=reviewer)
    return {
        "survivor": Claim.objects.get(pk=survivor.pk),
        "duplicate": Claim.objects.get(pk=duplicate.pk),
        "outlet_a": outlet_a,
        "outlet_b": outlet_b,
        "measure": measure,
        "topic": topic,
        "appearance": moved,
        "draft": draft,
    }


def refreshed(obj):
    obj.refresh_from_db()
    return obj


# --- Merging -------------------------------------------------------------------------------


def test_it_moves_appearances_figures_verdicts_and_topics_to_the_survivor(world, editor):
    survivor, duplicate = world["survivor"], world["duplicate"]
    record = services.merge_claims(merged=duplicate, into=survivor, by=editor, note="Same population claim.")
    assert refreshed(world["appearance"]).claim_id == survivor.pk
    assert Figure.objects.filter(appearance__claim=survivor).count() == 2
    assert refreshed(world["draft"]).claim_id == survivor.pk
    assert world["topic"] in survivor.topics.all()
    duplicate.refresh_from_db()
    assert duplicate.status == ClaimStatus.MERGED
    survivor.refresh_from_db()
    assert survivor.status == ClaimStatus.PUBLISHED and survivor.published_verdict is not None
    assert (record.merged_id, record.survivor_id, record.merged_by_id) == (duplicate.pk, survivor.pk, editor.pk)
    assert record.moved["appearances"] == [world["appearance"].pk]
    assert record.moved["topics"] == [world["topic"].pk]
    # Nobody lists, matches or counts a merged claim: it is only a redirect.
    assert not Claim.objects.visible_to(editor).filter(pk=duplicate.pk).exists()


def test_it_recomputes_credibility_and_the_conflict_state(world, editor):
    measure, outlet_b = world["measure"], world["outlet_b"]
    assert refreshed(measure).conflict_state == ConflictState.SINGLE_SOURCE  # the duplicate is not public
    assert refreshed(outlet_b).rated_claims_count == 0
    services.merge_claims(merged=world["duplicate"], into=world["survivor"], by=editor)
    # Outlet B's figure now belongs to a published claim: it counts, conflicts and rates its outlet.
    measure = Measure.objects.get(pk=measure.pk)
    assert measure.conflict_state == ConflictState.DISPUTED
    outlet_b = Source.objects.get(pk=outlet_b.pk)
    assert outlet_b.rated_claims_count == 1 and outlet_b.rating_counts == {"false": 1}
    assert outlet_b.credibility_computed_at is not None


def test_a_published_duplicate_keeps_its_verdict_published_on_the_survivor(reviewer, editor, second_editor, ratings):
    duplicate = published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["false"], text="The corridor is 43 km."
    )
    verdict = duplicate.published_verdict
    old_claimant = duplicate.claimant
    assert refreshed(old_claimant).rated_claims_count == 1
    survivor = factories.ClaimFactory(text="The corridor is forty-three kilometres long.")
    services.merge_claims(merged=duplicate, into=survivor, by=second_editor)
    survivor.refresh_from_db()
    verdict.refresh_from_db()
    assert (survivor.status, survivor.published_verdict_id) == (ClaimStatus.PUBLISHED, verdict.pk)
    assert (verdict.status, verdict.claim_id, verdict.approver_id) == (VerdictStatus.PUBLISHED, survivor.pk, editor.pk)
    # The verdict now rates the survivor's claimant, no longer the merged claim's.
    assert refreshed(old_claimant).rated_claims_count == 0
    assert refreshed(survivor.claimant).rated_claims_count == 1
    # Readers' record of changes announces the merge, and the feed carries it.
    events = site_selectors.record_events(AnonymousUser(), limit=10)
    assert [e.kind for e in events][:2] == ["merged", "published"]
    assert events[0].merge.survivor_id == survivor.pk
    feed = api().get("/feed/").content.decode()
    assert f"Merged: {duplicate.text}" in feed and survivor.get_absolute_url() in feed


def test_a_merge_of_unpublished_claims_is_not_in_the_public_record(world, editor):
    record = services.merge_claims(merged=world["duplicate"], into=world["survivor"], by=editor)
    assert record.was_public is False
    assert all(e.kind != "merged" for e in site_selectors.record_events(AnonymousUser(), limit=10))


def test_history_records_who_merged_what_and_when(world, editor):
    survivor, duplicate = world["survivor"], world["duplicate"]
    record = services.merge_claims(merged=duplicate, into=survivor, by=editor)
    merged_row = Claim.history.filter(id=duplicate.pk).order_by("-history_id").first()
    survivor_row = Claim.history.filter(id=survivor.pk).order_by("-history_id").first()
    assert (merged_row.history_user_id, merged_row.status) == (editor.pk, ClaimStatus.MERGED)
    assert merged_row.history_change_reason == f"Merged into claim {survivor.pk} ({survivor.slug})"
    assert survivor_row.history_user_id == editor.pk
    assert survivor_row.history_change_reason == f"Claim {duplicate.pk} ({duplicate.slug}) merged into this one"
    appearance_row = Appearance.history.filter(id=world["appearance"].pk).order_by("-history_id").first()
    assert (appearance_row.claim_id, appearance_row.history_user_id) == (survivor.pk, editor.pk)
    assert appearance_row.history_change_reason == f"Merged claim {duplicate.pk} into claim {survivor.pk}"
    verdict_row = Verdict.history.filter(id=world["draft"].pk).order_by("-history_id").first()
    assert (verdict_row.claim_id, verdict_row.history_user_id) == (survivor.pk, editor.pk)
    (record_row,) = MergeRecord.history.filter(id=record.pk)
    assert (record_row.history_user_id, record_row.history_type) == (editor.pk, "+")


# --- Redirects -----------------------------------------------------------------------------


def test_the_merged_claims_page_and_api_url_redirect_permanently(world, editor, client):
    survivor, duplicate = world["survivor"], world["duplicate"]
    services.merge_claims(merged=duplicate, into=survivor, by=editor)
    client.force_login(editor)
    page = client.get(f"/claims/{duplicate.slug}/")
    assert (page.status_code, page["Location"]) == (301, f"/claims/{survivor.slug}/")
    for key in (duplicate.slug, str(duplicate.pk)):
        response = api(editor).get(f"/api/v1/claims/{key}/")
        assert (response.status_code, response["Location"]) == (301, f"/api/v1/claims/{survivor.slug}/")
    followed = api(editor).get(f"/api/v1/claims/{duplicate.slug}/", follow=True)
    assert followed.status_code == 200 and followed.json()["slug"] == survivor.slug


def test_readers_are_redirected_only_from_claims_they_could_see(world, editor, reviewer, ratings, client):
    survivor, duplicate = world["survivor"], world["duplicate"]
    services.merge_claims(merged=duplicate, into=survivor, by=editor)
    # The duplicate was never public: its slug means nothing to a reader.
    assert client.get(f"/claims/{duplicate.slug}/").status_code == 404
    assert api().get(f"/api/v1/claims/{duplicate.slug}/").status_code == 404
    public = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="A public duplicate.")
    unpublished = factories.ClaimFactory(text="Its unpublished twin.")
    services.merge_claims(merged=public, into=unpublished, by=editor)  # the survivor takes the verdict
    response = client.get(f"/claims/{public.slug}/")
    assert (response.status_code, response["Location"]) == (301, f"/claims/{unpublished.slug}/")
    response = api().get(f"/api/v1/claims/{public.slug}/claimreview/?x=1")
    assert (response.status_code, response["Location"]) == (301, f"/api/v1/claims/{unpublished.slug}/claimreview/?x=1")
    # A claim asked for by id under the API is sent to its slug URL, when the reader may see it.
    response = api().get(f"/api/v1/claims/{unpublished.pk}/")
    assert (response.status_code, response["Location"]) == (301, f"/api/v1/claims/{unpublished.slug}/")
    assert api().get(f"/api/v1/claims/{world['duplicate'].pk}/").status_code == 404


def test_the_redirect_costs_a_fixed_number_of_queries(world, editor, django_assert_num_queries):
    services.merge_claims(merged=world["duplicate"], into=world["survivor"], by=editor)
    client = api(editor)
    client.get("/api/v1/claims/")  # warm the token user and compiled queries
    # The token user, its groups and the compiled detail lookup (3 statements) find nothing; then
    # the merged claim by slug, the chain (its merge, no merge of the survivor) and the survivor.
    # A longer chain costs one query per link.
    with django_assert_num_queries(8):
        response = client.get(f"/api/v1/claims/{world['duplicate'].slug}/")
    assert response.status_code == 301


# --- Chains --------------------------------------------------------------------------------


def test_merging_into_a_merged_claim_follows_to_the_final_survivor(editor):
    a, b, c, d = (factories.ClaimFactory(text=f"Claim {name} about the corridor.") for name in "abcd")
    services.merge_claims(merged=a, into=b, by=editor)
    services.merge_claims(merged=b, into=c, by=editor)
    record = services.merge_claims(merged=d, into=a, by=editor)  # a lives in b, b in c
    assert record.survivor_id == c.pk
    response = api(editor).get(f"/api/v1/claims/{a.slug}/")
    assert (response.status_code, response["Location"]) == (301, f"/api/v1/claims/{c.slug}/")
    with pytest.raises(ValidationError, match="into itself"):
        services.merge_claims(merged=c, into=a, by=editor)


# --- Split ---------------------------------------------------------------------------------


def test_split_restores_the_merged_claim_with_what_it_brought(world, editor, second_editor, client):
    survivor, duplicate, measure = world["survivor"], world["duplicate"], world["measure"]
    survivor_before = (survivor.status, survivor.published_verdict_id)
    record = services.merge_claims(merged=duplicate, into=survivor, by=editor)
    assert refreshed(measure).conflict_state == ConflictState.DISPUTED
    services.split_merge(merge=record, by=second_editor)
    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert duplicate.status == ClaimStatus.IN_REVIEW
    assert (survivor.status, survivor.published_verdict_id) == survivor_before
    assert refreshed(world["appearance"]).claim_id == duplicate.pk
    assert refreshed(world["draft"]).claim_id == duplicate.pk
    assert world["topic"] not in survivor.topics.all() and world["topic"] in duplicate.topics.all()
    assert refreshed(measure).conflict_state == ConflictState.SINGLE_SOURCE
    assert refreshed(world["outlet_b"]).rated_claims_count == 0
    record.refresh_from_db()
    assert (record.split_by_id, record.is_active) == (second_editor.pk, False)
    assert Claim.history.filter(id=duplicate.pk).order_by("-history_id").first().history_user_id == second_editor.pk
    client.force_login(editor)
    assert client.get(f"/claims/{duplicate.slug}/").status_code == 200
    with pytest.raises(ValidationError, match="split already"):
        services.split_merge(merge=record, by=editor)
    # Split, the claim may be merged again.
    services.merge_claims(merged=duplicate, into=survivor, by=editor)


def test_split_gives_a_published_verdict_back(reviewer, editor, second_editor, ratings):
    duplicate = published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], text="Oil share is 40%.")
    verdict_pk = duplicate.published_verdict_id
    survivor = factories.ClaimFactory(text="Forty percent of the oil comes from there.")
    record = services.merge_claims(merged=duplicate, into=survivor, by=second_editor)
    services.split_merge(merge=record, by=second_editor)
    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert (duplicate.status, duplicate.published_verdict_id) == (ClaimStatus.PUBLISHED, verdict_pk)
    assert (survivor.status, survivor.published_verdict_id) == (ClaimStatus.NEW, None)
    assert refreshed(duplicate.claimant).rated_claims_count == 1
    assert refreshed(survivor.claimant).rated_claims_count == 0


def test_split_waits_for_a_later_merge_of_the_survivor(editor):
    a, b, c = (factories.ClaimFactory(text=f"Claim {name}.") for name in "abc")
    first = services.merge_claims(merged=a, into=b, by=editor)
    second = services.merge_claims(merged=b, into=c, by=editor)
    with pytest.raises(ValidationError, match="split that merge first"):
        services.split_merge(merge=first, by=editor)
    services.split_merge(merge=second, by=editor)
    services.split_merge(merge=first, by=editor)
    assert refreshed(a).status == ClaimStatus.NEW


# --- Refusals ------------------------------------------------------------------------------


def test_only_editors_merge_and_split(world, reviewer, editor):
    with pytest.raises(NotAllowed):
        services.merge_claims(merged=world["duplicate"], into=world["survivor"], by=reviewer)
    record = services.merge_claims(merged=world["duplicate"], into=world["survivor"], by=editor)
    with pytest.raises(NotAllowed):
        services.split_merge(merge=record, by=reviewer)


def test_it_refuses_a_self_merge(world, editor):
    with pytest.raises(ValidationError, match="into itself"):
        services.merge_claims(merged=world["duplicate"], into=world["duplicate"], by=editor)
    assert not MergeRecord.objects.exists()


def test_it_refuses_a_claim_with_a_verdict_under_review(world, reviewer, editor):
    services.submit_verdict(verdict=world["draft"], by=reviewer)
    with pytest.raises(ValidationError, match="under review"):
        services.merge_claims(merged=world["duplicate"], into=world["survivor"], by=editor)
    assert refreshed(world["appearance"]).claim_id == world["duplicate"].pk


def test_it_refuses_two_published_verdicts(reviewer, editor, ratings):
    one = published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], text="One.")
    two = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="Two.")
    with pytest.raises(ValidationError, match="Both claims have a published verdict"):
        services.merge_claims(merged=one, into=two, by=editor)


def test_the_author_of_a_published_verdict_may_not_move_it_two_person_rule(editor, second_editor, ratings):
    duplicate = published_claim(reviewer=editor, editor=second_editor, rating=ratings["false"], text="By Eddie.")
    survivor = factories.ClaimFactory(text="Said otherwise.")
    with pytest.raises(NotAllowed, match="Two-person rule"):
        services.merge_claims(merged=duplicate, into=survivor, by=editor)
    services.merge_claims(merged=duplicate, into=survivor, by=second_editor)


def test_it_refuses_appearances_in_one_article_in_different_voices(editor):
    article = factories.ArticleFactory()
    one, two = factories.ClaimFactory(text="First."), factories.ClaimFactory(text="Second.")
    factories.AppearanceFactory(claim=one, article=article, voice=Voice.ASSERTS)
    factories.AppearanceFactory(claim=two, article=article, voice=Voice.REPORTS)
    with pytest.raises(ValidationError, match="different voices"):
        services.merge_claims(merged=one, into=two, by=editor)


def test_appearances_in_the_same_article_fold_their_figures_together_and_split_apart(editor):
    article, measure = factories.ArticleFactory(), factories.MeasureFactory()
    one, two = factories.ClaimFactory(text="First."), factories.ClaimFactory(text="Second.")
    kept = factories.AppearanceFactory(claim=two, article=article)
    folded = factories.AppearanceFactory(claim=one, article=article)
    figure = factories.FigureFactory(appearance=folded, measure=measure)
    record = services.merge_claims(merged=one, into=two, by=editor)
    assert refreshed(figure).appearance_id == kept.pk
    assert refreshed(folded).claim_id == one.pk  # stays behind, emptied, for the split
    services.split_merge(merge=record, by=editor)
    assert refreshed(figure).appearance_id == folded.pk


# --- API -----------------------------------------------------------------------------------


def test_the_api_merges_for_editor_tokens(world, editor, django_assert_max_num_queries):
    survivor, duplicate = world["survivor"], world["duplicate"]
    with django_assert_max_num_queries(60):
        response = api(editor).post(
            f"/api/v1/claims/{duplicate.pk}/merge/", {"into": survivor.pk, "note": "Same."}, format="json"
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["claim"]["slug"] == duplicate.slug and body["into"]["slug"] == survivor.slug
    assert body["moved"] == {"appearances": 1, "folded_figures": 0, "verdicts": 1, "topics": 1, "tips": 0}
    assert body["merged_by"] == editor.username
    assert MergeRecord.objects.get(pk=body["id"]).note == "Same."


def test_the_api_refuses_with_clear_errors(world, reviewer, editor):
    survivor, duplicate = world["survivor"], world["duplicate"]
    url = f"/api/v1/claims/{duplicate.slug}/merge/"
    assert api(reviewer).post(url, {"into": survivor.pk}, format="json").status_code == 403
    assert api().post(url, {"into": survivor.pk}, format="json").status_code in (401, 403)
    response = api(editor).post(url, {"into": duplicate.slug}, format="json")
    assert response.status_code == 400 and "into itself" in response.json()["into"][0]
    response = api(editor).post(url, {"into": "no-such-claim"}, format="json")
    assert (response.status_code, response.json()) == (400, {"into": ["No such claim."]})
    assert api(editor).post(url, {}, format="json").status_code == 400
    assert api(editor).post("/api/v1/claims/no-such/merge/", {"into": survivor.pk}, format="json").status_code == 404
    assert not MergeRecord.objects.exists()


def test_the_merge_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/claims/{slug}/merge/"]["post"]
    assert "Merge a duplicate claim" in operation["summary"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ClaimMergeRequest")
    request = schema["components"]["schemas"]["ClaimMergeRequest"]
    assert request["required"] == ["into"] and set(request["properties"]) == {"into", "note"}
    answer = schema["components"]["schemas"]["ClaimMergeResult"]
    assert {"id", "merged_at", "merged_by", "claim", "into", "moved"} <= set(answer["properties"])
    assert set(operation["responses"]) >= {"200", "400", "403", "404"}


# --- Admin ---------------------------------------------------------------------------------


def test_the_admin_confirmation_page_lists_what_will_move_and_merges_on_confirm(world, editor, client):
    survivor, duplicate = world["survivor"], world["duplicate"]
    client.force_login(editor)
    url = f"/admin/claims/claim/{duplicate.pk}/merge/"
    page = client.get(url, {"into": survivor.slug})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Merge into: Iran has ten to twelve million Azeris." in html
    assert "Demography" in html and "Mixed — Draft" in html
    assert not MergeRecord.objects.exists()  # showing the plan changes nothing
    done = client.post(url, {"into": survivor.pk, "confirm": "yes", "note": "Same."})
    assert done.status_code == 302 and done["Location"] == f"/admin/claims/claim/{survivor.pk}/change/"
    record = MergeRecord.objects.get()
    change = client.get(f"/admin/claims/claim/{survivor.pk}/change/").content.decode()
    assert "merged into this claim" in change
    split_page = client.get(f"/admin/claims/mergerecord/{record.pk}/split/")
    assert split_page.status_code == 200 and "Split this merge" in split_page.content.decode()
    assert client.post(f"/admin/claims/mergerecord/{record.pk}/split/", {"confirm": "yes"}).status_code == 302
    assert refreshed(record).split_at is not None


def test_the_admin_refuses_non_editors_and_shows_service_refusals(world, reviewer, editor, client):
    client.force_login(reviewer)
    assert client.get(f"/admin/claims/claim/{world['duplicate'].pk}/merge/").status_code == 403
    services.submit_verdict(verdict=world["draft"], by=reviewer)
    client.force_login(editor)
    page = client.post(
        f"/admin/claims/claim/{world['duplicate'].pk}/merge/", {"into": world["survivor"].pk, "confirm": "yes"}
    )
    assert page.status_code == 200 and "under review" in page.content.decode()
    assert not MergeRecord.objects.exists()


def test_nothing_new_attaches_to_a_merged_claim(world, reviewer, editor, ratings):
    duplicate = world["duplicate"]
    services.merge_claims(merged=duplicate, into=world["survivor"], by=editor)
    with pytest.raises(ValidationError, match="merged into another"):
        services.create_verdict(claim=refreshed(duplicate), rating=ratings["true"], summary="Late.", by=reviewer)
    response = api(reviewer).post(
        "/api/v1/verdicts/", {"claim": duplicate.slug, "rating": "true", "summary": "Late."}, format="json"
    )
    assert response.status_code == 400 and "claim" in response.json()
    assert (
        api(reviewer).patch(f"/api/v1/claims/{duplicate.slug}/", {"text": "Edited."}, format="json").status_code == 404
    )
