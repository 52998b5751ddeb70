"""Writing through the API: each role can do exactly what it may, every change goes through the
services, and stale writes are refused without changing anything."""

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from claims.choices import VerdictStatus
from claims.models import Appearance, Article, Claim, Evidence, Figure, Verdict
from claims.tests import factories
from claims.tests.api_world import client_for

pytestmark = pytest.mark.django_db


def test_it_refuses_writes_from_anonymous_plain_and_groupless_staff(world, plain_user, staff_without_group):
    payload = {"text": "A new checkable statement."}
    assert client_for().post("/api/v1/claims/", payload, format="json").status_code == 401
    for user in (plain_user, staff_without_group):
        response = client_for(user).post("/api/v1/claims/", payload, format="json")
        assert response.status_code == 403
        assert "detail" in response.json()
    assert not Claim.objects.filter(text="A new checkable statement.").exists()


def test_it_lets_a_reviewer_build_a_claim_and_submit_a_verdict(world, reviewer, ratings):
    client = client_for(reviewer)
    claim = client.post(
        "/api/v1/claims/",
        {"text": "Baku is 450 km from Nakhchivan.", "claimant": "public-claimant", "topics": ["demographics"]},
        format="json",
    )
    assert claim.status_code == 201, claim.json()
    slug = claim.json()["slug"]
    assert claim.json()["status"] == "new"
    article = client.post(
        "/api/v1/articles/", {"url": "https://news.example.org/distance", "outlet": "public-outlet"}, format="json"
    )
    assert article.status_code == 201, article.json()
    appearance = client.post(
        "/api/v1/appearances/",
        {"claim": slug, "article": article.json()["id"], "quote": "450 km", "voice": "asserts"},
        format="json",
    )
    assert appearance.status_code == 201, appearance.json()
    figure = client.post(
        "/api/v1/figures/",
        {
            "appearance": appearance.json()["id"],
            "measure": "azeri-population",
            "quoted_text": "450",
            "low": "450",
            "high": "450",
        },
        format="json",
    )
    assert figure.status_code == 201, figure.json()
    assert figure.json()["unit"] == "count"  # the measure's unit by default
    verdict = client.post(
        "/api/v1/verdicts/",
        {
            "claim": slug,
            "rating": "true",
            "summary": "Matches the map.",
            "evidence": [{"url": "https://maps.example.org/", "title": "Map"}],
        },
        format="json",
    )
    assert verdict.status_code == 201, verdict.json()
    verdict_id = verdict.json()["id"]
    evidence = client.post(
        "/api/v1/evidence/",
        {"verdict": verdict_id, "url": "https://atlas.example.org/", "title": "Atlas"},
        format="json",
    )
    assert evidence.status_code == 201, evidence.json()
    submitted = client.post(f"/api/v1/verdicts/{verdict_id}/submit/", {"version": 1}, format="json")
    assert submitted.status_code == 200, submitted.json()
    assert (submitted.json()["status"], submitted.json()["version"]) == ("submitted", 2)
    assert submitted["ETag"] == '"2"'
    assert Evidence.objects.filter(verdict_id=verdict_id).count() == 2
    # Reviewers may not publish, withdraw or correct.
    for action in ("publish", "withdraw", "correct"):
        assert client.post(f"/api/v1/verdicts/{verdict_id}/{action}/", {}, format="json").status_code == 403
    assert Verdict.objects.get(pk=verdict_id).status == VerdictStatus.SUBMITTED


def test_it_enforces_the_two_person_rule_and_lets_another_editor_publish(world, editor, second_editor, ratings):
    verdict = client_for(editor).post(
        "/api/v1/verdicts/", {"claim": "hidden-pipeline-claim", "rating": "false", "summary": "No."}, format="json"
    )
    verdict_id = verdict.json()["id"]
    client_for(editor).post(f"/api/v1/verdicts/{verdict_id}/submit/", {}, format="json")
    own = client_for(editor).post(f"/api/v1/verdicts/{verdict_id}/publish/", {}, format="json")
    assert own.status_code == 403
    assert "Two-person rule" in own.json()["detail"]
    published = client_for(second_editor).post(f"/api/v1/verdicts/{verdict_id}/publish/", {}, format="json")
    assert published.status_code == 200, published.json()
    assert published.json()["approver"] == second_editor.username
    assert client_for().get("/api/v1/claims/hidden-pipeline-claim/").status_code == 200


def test_it_requires_a_correction_note_when_replacing_a_published_verdict(world, reviewer, editor, second_editor):
    correction = client_for(editor).post(
        f"/api/v1/verdicts/{world.public_verdict.pk}/correct/",
        {"correction_note": "New census.", "rating": "mixed"},
        format="json",
    )
    assert correction.status_code == 201, correction.json()
    draft_id = correction.json()["id"]
    assert correction.json()["status"] == "draft"
    client_for(editor).post(f"/api/v1/verdicts/{draft_id}/submit/", {}, format="json")
    published = client_for(second_editor).post(f"/api/v1/verdicts/{draft_id}/publish/", {}, format="json")
    assert published.status_code == 200, published.json()
    assert published.json()["correction_note"] == "New census."
    world.public_verdict.refresh_from_db()
    assert world.public_verdict.status == VerdictStatus.SUPERSEDED


def test_a_correction_starts_from_the_published_evidence_and_a_removal_names_who(
    world, reviewer, editor, second_editor
):
    published = world.public_verdict
    correction = client_for(editor).post(
        f"/api/v1/verdicts/{published.pk}/correct/",
        {"correction_note": "New census.", "rating": "mixed"},
        format="json",
    )
    assert correction.status_code == 201, correction.json()
    body = correction.json()
    assert [(e["url"], e["title"]) for e in body["evidence"]] == [("https://stats.example.org/census", "Census tables")]
    draft_id = body["id"]
    copy = Evidence.objects.get(verdict_id=draft_id)
    assert copy.pk != published.evidence.get().pk  # a copy: the published verdict keeps its own
    # The copy is editable on the draft; removing it is a recorded act of the user who did it.
    client = client_for(reviewer)
    added = client.post(
        "/api/v1/evidence/",
        {"verdict": draft_id, "url": "https://stats.example.org/census-2026", "title": "Census 2026"},
        format="json",
    )
    assert added.status_code == 201, added.json()
    assert client.delete(f"/api/v1/evidence/{copy.pk}/").status_code == 204
    assert Evidence.history.filter(id=copy.pk, history_type="-").get().history_user == reviewer
    client_for(editor).post(f"/api/v1/verdicts/{draft_id}/submit/", {}, format="json")
    done = client_for(second_editor).post(f"/api/v1/verdicts/{draft_id}/publish/", {}, format="json")
    assert done.status_code == 200, done.json()
    assert [e["title"] for e in done.json()["evidence"]] == ["Census 2026"]
    assert [e.title for e in Verdict.objects.get(pk=published.pk).evidence.all()] == ["Census tables"]


def test_it_withdraws_only_with_a_public_reason(world, editor):
    path = f"/api/v1/verdicts/{world.public_verdict.pk}/withdraw/"
    missing = client_for(editor).post(path, {}, format="json")
    assert missing.status_code == 400
    assert "reason" in missing.json()
    done = client_for(editor).post(path, {"reason": "Source retracted."}, format="json")
    assert done.status_code == 200
    assert done.json()["withdrawal_reason"] == "Source retracted."
    assert client_for().get("/api/v1/claims/azeris-in-iran/").json()["status"] == "withdrawn"


def test_it_refuses_a_stale_body_version_with_409_and_changes_nothing(world, reviewer):
    path = f"/api/v1/verdicts/{world.hidden_verdict.pk}/"
    client = client_for(reviewer)
    assert client.patch(path, {"summary": "First edit.", "version": 1}, format="json").status_code == 200
    stale = client.patch(path, {"summary": "Lost update.", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    world.hidden_verdict.refresh_from_db()
    assert (world.hidden_verdict.summary, world.hidden_verdict.version) == ("First edit.", 2)


def test_it_refuses_a_stale_if_match_with_412_and_changes_nothing(world, reviewer):
    path = f"/api/v1/verdicts/{world.hidden_verdict.pk}/"
    client = client_for(reviewer)
    etag = client.get(path)["ETag"]
    assert etag == '"1"'
    assert client.patch(path, {"summary": "Edit one."}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = client.patch(path, {"summary": "Edit two."}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale["ETag"] == '"2"'
    assert Verdict.objects.get(pk=world.hidden_verdict.pk).summary == "Edit one."
    bad = client.patch(path, {"summary": "x"}, format="json", HTTP_IF_MATCH="yesterday")
    assert bad.status_code == 400


@pytest.mark.parametrize("kind", ["claim", "figure", "appearance", "evidence", "article"])
def test_it_refuses_stale_updates_of_unversioned_rows(world, reviewer, kind):
    client = client_for(reviewer)
    article_id = world.hidden_figure.appearance.article_id
    path, change, model, pk = {
        "article": (f"/api/v1/articles/{article_id}/", {"title": "Retitled"}, Article, article_id),
        "claim": ("/api/v1/claims/hidden-pipeline-claim/", {"text": "Reworded claim."}, Claim, world.hidden_claim.pk),
        "figure": (f"/api/v1/figures/{world.hidden_figure.pk}/", {"quoted_text": "11"}, Figure, world.hidden_figure.pk),
        "appearance": (
            f"/api/v1/appearances/{world.hidden_figure.appearance_id}/",
            {"quote": "new quote"},
            Appearance,
            world.hidden_figure.appearance_id,
        ),
        "evidence": (
            f"/api/v1/evidence/{world.hidden_verdict.evidence.get().pk}/",
            {"title": "Renamed"},
            Evidence,
            world.hidden_verdict.evidence.get().pk,
        ),
    }[kind]
    etag = client.get(path)["ETag"]
    updated = client.patch(path, change, format="json", HTTP_IF_MATCH=etag)
    assert updated.status_code == 200, updated.json()
    before = model.objects.get(pk=pk).updated_at
    assert client.patch(path, change, format="json", HTTP_IF_MATCH=etag).status_code == 412
    body_version = int(etag.strip('"'))
    assert client.patch(path, {**change, "version": body_version}, format="json").status_code == 409
    assert model.objects.get(pk=pk).updated_at == before


def test_it_moves_a_rating_to_an_articles_new_outlet(world, reviewer):
    from claims.tests import factories

    appearance = world.public_claim.appearances.filter(voice="asserts").select_related("article__outlet").first()
    old_outlet, new_outlet = appearance.article.outlet, factories.SourceFactory(slug="new-outlet")
    old_count = old_outlet.rated_claims_count
    path = f"/api/v1/articles/{appearance.article_id}/"
    assert client_for().patch(path, {"outlet": "new-outlet"}, format="json").status_code in (401, 403)
    moved = client_for(reviewer).patch(
        path, {"outlet": "new-outlet", "url": "https://elsewhere.example"}, format="json"
    )
    assert moved.status_code == 400 and list(moved.json()) == ["url"]  # the URL is the article's identity
    response = client_for(reviewer).patch(path, {"outlet": "new-outlet"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["url"] == appearance.article.url
    old_outlet.refresh_from_db(), new_outlet.refresh_from_db()
    assert old_outlet.rated_claims_count == old_count - 1
    assert new_outlet.rated_claims_count == 1


def test_it_does_not_edit_published_verdicts_or_their_evidence(world, reviewer):
    client = client_for(reviewer)
    response = client.patch(f"/api/v1/verdicts/{world.public_verdict.pk}/", {"summary": "Sneaky."}, format="json")
    assert response.status_code == 400
    # Under the request as a whole, not a field the caller never sent (`status`).
    assert list(response.json()) == ["non_field_errors"]
    assert "not edited" in response.json()["non_field_errors"][0]
    evidence = world.public_verdict.evidence.get()
    edit = client.patch(f"/api/v1/evidence/{evidence.pk}/", {"title": "x"}, format="json")
    assert edit.status_code == 400 and list(edit.json()) == ["non_field_errors"]


def test_it_issues_tokens_by_command_and_authenticates_with_them(world, reviewer, capsys):
    call_command("create_api_token", reviewer.username)
    key = capsys.readouterr().out.strip()
    assert Token.objects.get(user=reviewer).key == key
    call_command("create_api_token", reviewer.username)
    assert capsys.readouterr().out.strip() == key  # idempotent
    call_command("create_api_token", reviewer.username, "--reset")
    assert capsys.readouterr().out.strip() != key
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=reviewer).key}")
    assert client.get("/api/v1/claims/hidden-pipeline-claim/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/claims/").status_code == 401


def test_it_accepts_session_authentication_with_csrf(world, reviewer):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reviewer)
    assert client.get("/api/v1/claims/hidden-pipeline-claim/").status_code == 200
    assert client.post("/api/v1/claims/", {"text": "Session write."}, format="json").status_code == 403


def test_it_throttles_anonymous_clients(world, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "rate", "2/min", raising=False)
    client = client_for()
    codes = [client.get("/api/v1/ratings/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_it_lets_an_editor_assign_nothing_it_should_not(world, reviewer):
    """Fields outside the editable set (status, published_verdict) cannot be written."""
    client = client_for(reviewer)
    response = client.patch("/api/v1/claims/hidden-pipeline-claim/", {"status": "published"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["status"]  # not a field one writes
    assert Claim.objects.get(pk=world.hidden_claim.pk).status == "in_review"
    factories.TopicFactory(slug="energy", name="Energy")
    response = client.patch("/api/v1/claims/hidden-pipeline-claim/", {"topics": ["energy"]}, format="json")
    assert [t["slug"] for t in response.json()["topics"]] == ["energy"]


def test_reviewers_delete_what_readers_cannot_see_yet(world, reviewer):
    client = client_for(reviewer)
    evidence = world.hidden_verdict.evidence.get()
    figure, appearance = world.hidden_figure, world.hidden_figure.appearance
    assert client_for().delete(f"/api/v1/figures/{figure.pk}/").status_code in (401, 403, 404)
    stale = client.delete(f"/api/v1/figures/{figure.pk}/", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and Figure.objects.filter(pk=figure.pk).exists()
    etag = client.get(f"/api/v1/figures/{figure.pk}/")["ETag"]
    assert client.delete(f"/api/v1/figures/{figure.pk}/", HTTP_IF_MATCH=etag).status_code == 204
    assert not Figure.objects.filter(pk=figure.pk).exists()
    assert Figure.history.filter(id=figure.pk, history_type="-").get().history_user == reviewer
    assert client.delete(f"/api/v1/evidence/{evidence.pk}/").status_code == 204
    assert client.delete(f"/api/v1/appearances/{appearance.pk}/").status_code == 204
    assert not Appearance.objects.filter(pk=appearance.pk).exists()
    assert client.delete(f"/api/v1/figures/{figure.pk}/").status_code == 404


def test_the_public_record_is_not_deleted_through_the_api(world, reviewer):
    from claims.tests import factories

    client = client_for(reviewer)
    appearance = world.public_claim.appearances.first()
    figure = factories.FigureFactory(appearance=appearance)
    evidence = world.public_verdict.evidence.get()
    refused = client.delete(f"/api/v1/figures/{figure.pk}/")
    assert refused.status_code == 409
    assert "deprecate it with a reason" in refused.json()["detail"]
    assert client.delete(f"/api/v1/appearances/{appearance.pk}/").status_code == 409
    assert client.delete(f"/api/v1/evidence/{evidence.pk}/").status_code == 400
    assert Figure.objects.filter(pk=figure.pk).exists() and Appearance.objects.filter(pk=appearance.pk).exists()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_it_gives_claims_sharing_their_first_100_slug_characters_distinct_slugs(reviewer):
    from claims.tests.api_world import client_for

    opening = "The state oil company of Azerbaijan reported that its crude exports to Israel and to Italy over the last"
    texts = [f"{opening} year rose by {n} percent." for n in range(1, 5)]
    # A base that differs only past the 98 characters a "-2" suffix leaves: same candidates.
    texts += [f"{opening.replace('the last', 'thy last')} year rose by {n} percent." for n in (5, 6)]
    slugs = []
    for text in texts:
        response = client_for(reviewer).post("/api/v1/claims/", {"text": text}, format="json")
        assert response.status_code == 201, response.content
        slugs.append(response.json()["slug"])
    assert len(set(slugs)) == len(texts)
    assert all(len(slug) <= 100 for slug in slugs)


def test_assigning_a_published_claim_changes_neither_its_public_etag_nor_the_feeds_last_modified(
    world, reviewer, editor
):
    from claims import services

    path = f"/api/v1/claims/{world.public_claim.slug}/"
    before = client_for().get(path)["ETag"]
    feed_before = client_for().get("/api/v1/claimreview/feed/")["Last-Modified"]
    services.assign_claim(claim=world.public_claim, reviewer=reviewer, by=editor)
    assert client_for().get(path)["ETag"] == before
    assert client_for().get("/api/v1/claimreview/feed/")["Last-Modified"] == feed_before
    staff_view = client_for(editor).get(path)
    assert staff_view.json()["assigned_to"] == reviewer.username
    assert world.public_claim.history.latest().history_user == editor  # history still says who
    # The ETag is still a working write token after the assignment.
    edit = client_for(reviewer).patch(path, {"first_seen": "2026-03-10"}, format="json", HTTP_IF_MATCH=before)
    assert edit.status_code == 200, edit.content


def test_if_match_star_matches_any_version(world, reviewer):
    client = client_for(reviewer)
    path = f"/api/v1/verdicts/{world.hidden_verdict.pk}/"
    assert client.patch(path, {"summary": "Edit one."}, format="json").status_code == 200
    star = client.patch(path, {"summary": "Edit two."}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 200, star.content
    assert Verdict.objects.get(pk=world.hidden_verdict.pk).summary == "Edit two."
    claim = client.patch(
        "/api/v1/claims/hidden-pipeline-claim/", {"text": "Reworded."}, format="json", HTTP_IF_MATCH="*"
    )
    assert claim.status_code == 200, claim.content


CLAIM_PATH = "/api/v1/claims/hidden-pipeline-claim/"


@pytest.mark.parametrize(
    ("method", "path", "body", "unknown"),
    [
        ("patch", CLAIM_PATH, {"text": "Reworded.", "txet": "t", "status": "published"}, {"txet", "status"}),
        ("patch", CLAIM_PATH, {"slug": "new-slug"}, {"slug"}),
        ("patch", "verdict", {"summary": "x", "sumary": "typo"}, {"sumary"}),
        ("patch", "figure", {"quoted_text": "11", "lowest": "1"}, {"lowest"}),
        ("post", "/api/v1/claims/", {"text": "A new claim about oil.", "rating": "true"}, {"rating"}),
        (
            "post",
            "verdict-create",
            {"claim": CLAIM_PATH.split("/")[-2], "rating": "false", "summary": "s", "x": 1},
            {"x"},
        ),
    ],
)
def test_it_refuses_unknown_fields_with_400_naming_them(world, reviewer, method, path, body, unknown):
    path = {
        "verdict": f"/api/v1/verdicts/{world.hidden_verdict.pk}/",
        "figure": f"/api/v1/figures/{world.hidden_figure.pk}/",
        "verdict-create": "/api/v1/verdicts/",
    }.get(path, path)
    claims_before, verdicts_before = Claim.objects.count(), Verdict.objects.count()
    response = getattr(client_for(reviewer), method)(path, body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == unknown
    assert "Unknown field" in next(iter(response.json().values()))[0]
    assert (Claim.objects.count(), Verdict.objects.count()) == (claims_before, verdicts_before)
    world.hidden_claim.refresh_from_db()
    assert world.hidden_claim.text.startswith("Pipeline sabotage")


def test_an_empty_string_is_not_null_for_a_reference(world, reviewer):
    client = client_for(reviewer)
    path = "/api/v1/claims/hidden-pipeline-claim/"
    blank = client.patch(path, {"claimant": ""}, format="json")
    assert blank.status_code == 400
    assert "null" in blank.json()["claimant"][0]
    world.hidden_claim.refresh_from_db()
    assert world.hidden_claim.claimant_id == world.hidden_source.pk
    cleared = client.patch(path, {"claimant": None}, format="json")
    assert cleared.status_code == 200
    world.hidden_claim.refresh_from_db()
    assert world.hidden_claim.claimant_id is None
    created = client.post("/api/v1/claims/", {"text": "Another claim.", "claimant": ""}, format="json")
    assert created.status_code == 400 and "claimant" in created.json()


@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/claims/azeris-in-iran/", "/api/v1/verdicts/"])
def test_the_browsable_api_is_refused_with_406_naming_the_docs(world, path):
    """There is no browsable API: its pages need inline scripts, which the CSP forbids."""
    response = client_for().get(path, {"format": "api"})
    assert response.status_code == 406
    assert "/api/v1/docs/" in response.json()["detail"]
    html_only = client_for().get(path, HTTP_ACCEPT="text/html")
    assert html_only.status_code == 406
    assert client_for().get(path, HTTP_ACCEPT="text/html,*/*;q=0.8").status_code == 200


def test_it_refuses_an_exact_duplicate_with_409_unless_allow_duplicate(world, reviewer):
    client = client_for(reviewer)
    text = "More ethnic Azeris live in Iran than in Azerbaijan itself."  # the world's public claim
    before = Claim.objects.count()
    refused = client.post("/api/v1/claims/", {"text": text}, format="json")
    assert refused.status_code == 409, refused.json()
    assert refused.json()["code"] == "duplicate" and "text" in refused.json()
    assert refused.json()["duplicates"][0]["claim"]["slug"] == "azeris-in-iran"
    assert Claim.objects.count() == before
    bad = client.post("/api/v1/claims/", {"text": text, "allow_duplicate": "perhaps"}, format="json")
    assert bad.status_code == 400 and "allow_duplicate" in bad.json()
    created = client.post("/api/v1/claims/", {"text": text, "allow_duplicate": True}, format="json")
    assert created.status_code == 201, created.json()
    assert [item["claim"]["slug"] for item in created.json()["likely_duplicates"]] == ["azeris-in-iran"]


def test_it_keeps_the_match_route_from_being_shadowed_by_a_claim_slug(world, reviewer):
    client = client_for(reviewer)
    refused = client.post("/api/v1/claims/", {"text": "A claim.", "slug": "match"}, format="json")
    assert refused.status_code == 400 and "slug" in refused.json()
    generated = client.post("/api/v1/claims/", {"text": "Match"}, format="json")
    assert generated.status_code == 201 and generated.json()["slug"] != "match"
