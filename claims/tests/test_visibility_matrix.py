"""Who sees and may do what, on every path: roles × pages, API endpoints and methods, search, feed,
sitemap, ClaimReview export and admin.

The strongest check is the first: for a reader, every public output must be *byte-identical*
whether or not unpublished material exists — so nothing leaks, not even a count, a facet number,
a conflict flag, a score or a pagination cursor.
"""

import datetime
import re

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from claims import services
from claims.tests import factories
from claims.tests.once import per_test_copy, rating_scale, role_user, shared_data

READERS = ["anonymous", "plain_user", "staff_without_group"]
STAFF = ["reviewer", "editor", "superuser"]


@pytest.fixture
def as_role(request, django_user_model):
    """A session client for the named role (fixture names from conftest.py)."""

    def make(role):
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return make


@pytest.fixture(scope="module")
def public_world_once(request, django_db_setup, django_db_blocker):
    with shared_data(request, django_db_blocker):
        yield build_public_world(reviewer=role_user("reviewer"), editor=role_user("editor"), ratings=rating_scale())


@pytest.fixture
def public_world(request, public_world_once):
    return per_test_copy(request, public_world_once)


def build_public_world(*, reviewer, editor, ratings):
    topic = factories.TopicFactory(name="Energy", slug="energy")
    claimant = factories.SourceFactory(kind="person", name="Open Speaker", slug="open-speaker")
    outlet = factories.SourceFactory(name="Open Outlet", slug="open-outlet")
    claim = factories.ClaimFactory(
        text="Azerbaijan supplies about 40 percent of Israel's oil.", slug="azerbaijan-oil-share", claimant=claimant
    )
    claim.topics.add(topic)
    article = factories.ArticleFactory(outlet=outlet, title="Oil trade report")
    appearance = services.add_appearance(claim=claim, article=article, by=reviewer, quote="about 40 percent")
    measure = factories.MeasureFactory(name="Share of Israel's oil from Azerbaijan", slug="oil-share", unit="percent")
    services.record_figure(
        appearance=appearance, measure=measure, by=reviewer, quoted_text="about 40%", low=38, high=42, unit="percent"
    )
    factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["mostly-true"], claim=claim)
    withdrawn = factories.published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["false"], claim=factories.ClaimFactory(slug="withdrawn-one")
    )
    services.withdraw_verdict(verdict=withdrawn.published_verdict, by=editor, reason="Source retracted.")
    return {"claim": claim, "claimant": claimant, "outlet": outlet, "measure": measure, "topic": topic}


def add_unpublished(*, world, reviewer, ratings):
    """Everything that must stay invisible: a claim in review with a submitted verdict, its own
    sources and measure, a figure *conflicting* on the public measure, an asserting appearance in
    an article by the public outlet, and a submitted correction of the public verdict."""
    secret = factories.SourceFactory(kind="person", name="Hidden Speaker SECRET", slug="hidden-speaker")
    claim = services.create_claim(
        text="SECRET pipeline oil share is 90 percent.",
        by=reviewer,
        claimant=secret,
        first_seen=datetime.date(2026, 5, 1),
    )
    claim.topics.add(world["topic"])
    for article in (factories.ArticleFactory(title="SECRET article"), factories.ArticleFactory(outlet=world["outlet"])):
        appearance = services.add_appearance(claim=claim, article=article, by=reviewer, quote="SECRET 90 percent")
        services.record_figure(
            appearance=appearance,
            measure=world["measure"],
            by=reviewer,
            quoted_text="90%",
            low=90,
            high=90,
            unit="percent",
        )
    hidden_measure = factories.MeasureFactory(name="SECRET measure", slug="secret-measure")
    services.record_figure(appearance=appearance, measure=hidden_measure, by=reviewer, quoted_text="1", low=1)
    verdict = services.create_verdict(
        claim=claim, rating=ratings["false"], summary="SECRET draft summary", by=reviewer,
        evidence=[{"url": "https://secret.example.org/e", "title": "SECRET evidence"}],
    )  # fmt: skip
    services.submit_verdict(verdict=verdict, by=reviewer)
    correction = services.draft_correction(
        verdict=world["claim"].published_verdict,
        by=reviewer,
        summary="SECRET correction",
        correction_note="SECRET note",
    )
    services.submit_verdict(verdict=correction, by=reviewer)
    return {"claim": claim, "verdict": verdict, "source": secret, "measure": hidden_measure, "correction": correction}


def reader_paths(world):
    claim, measure = world["claim"], world["measure"]
    return [
        "/",
        "/claims/",
        "/claims/?q=oil",
        "/claims/?q=pipeline",
        "/claims/?topic=energy",
        "/claims/?rating=false",
        f"/claims/{claim.slug}/",
        f"/sources/{world['claimant'].slug}/",
        f"/sources/{world['outlet'].slug}/",
        f"/measures/{measure.slug}/",
        "/sources/",
        "/sources/?sort=rated",
        "/sources/?sort=score",
        "/sources/?q=Speaker",
        "/sources/?kind=person",
        "/measures/",
        "/measures/?state=disputed",
        "/measures/?q=oil",
        "/claims/?disputed=yes",
        "/claims/?outlet=open-outlet",
        "/claims/?claimant=open-speaker",
        "/claims/?claimant=hidden-speaker",
        "/claims.csv",
        "/api/v1/export/claims.csv",
        "/corrections/",
        "/methodology/",
        "/feed/",
        "/sitemap.xml",
        "/api/v1/claims/",
        "/api/v1/claims/?q=oil",
        "/api/v1/claims/?q=pipeline",
        "/api/v1/claims/?topic=energy",
        f"/api/v1/claims/{claim.slug}/",
        f"/api/v1/claims/{claim.slug}/claimreview/",
        "/api/v1/verdicts/",
        f"/api/v1/verdicts/?claim={claim.slug}",
        "/api/v1/sources/",
        f"/api/v1/sources/{world['outlet'].slug}/",
        "/api/v1/articles/",
        "/api/v1/measures/",
        f"/api/v1/measures/{measure.slug}/",
        "/api/v1/figures/",
        f"/api/v1/figures/?measure={measure.slug}",
        f"/api/v1/claims/?measure={measure.slug}",
        "/api/v1/claims/?disputed=true",
        "/api/v1/claims/?outlet=open-outlet",
        "/api/v1/sources/?q=Open",
        "/api/v1/measures/?disputed=true",
        "/api/v1/appearances/",
        "/api/v1/evidence/",
        "/api/v1/topics/",
        "/api/v1/ratings/",
        "/api/v1/claimreview/feed/",
    ]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def snapshot(client, paths):
    """Status and body per path; the DataFeed's dateModified is the time of the request, not data."""
    return {
        path: (response.status_code, re.sub(rb'"dateModified": ?"[^"]*"', b"", body(response)))
        for path in paths
        for response in [client.get(path)]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_it_shows_readers_the_same_bytes_with_or_without_unpublished_data(
    role, as_role, public_world, reviewer, ratings
):
    client = as_role(role)
    paths = reader_paths(public_world)
    before = snapshot(client, paths)
    assert all(status == 200 for status, _ in before.values()), {p: s for p, (s, _) in before.items() if s != 200}

    add_unpublished(world=public_world, reviewer=reviewer, ratings=ratings)
    after = snapshot(client, paths)

    changed = [path for path in paths if after[path] != before[path]]
    assert not changed, f"unpublished data changed what a {role} sees on {changed}"
    assert not any(b"SECRET" in body for _, body in after.values())


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS + STAFF)
def test_it_keeps_unpublished_objects_out_of_public_outputs_for_every_role(
    role, as_role, public_world, reviewer, ratings
):
    """The feed, sitemap and ClaimReview exports are public documents: staff get the public view too."""
    add_unpublished(world=public_world, reviewer=reviewer, ratings=ratings)
    client = as_role(role)

    for path in ("/feed/", "/sitemap.xml", "/api/v1/claimreview/feed/"):
        response = client.get(path)
        assert response.status_code == 200
        assert b"SECRET" not in body(response), (role, path)


def hidden_detail_paths(hidden):
    return [
        f"/claims/{hidden['claim'].slug}/",
        f"/sources/{hidden['source'].slug}/",
        f"/measures/{hidden['measure'].slug}/",
        f"/api/v1/claims/{hidden['claim'].slug}/",
        f"/api/v1/claims/{hidden['claim'].slug}/claimreview/",
        f"/api/v1/verdicts/{hidden['verdict'].pk}/",
        f"/api/v1/verdicts/{hidden['correction'].pk}/",
        f"/api/v1/sources/{hidden['source'].slug}/",
        f"/api/v1/measures/{hidden['measure'].slug}/",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", READERS)
def test_it_answers_404_to_readers_for_unpublished_objects(role, as_role, public_world, reviewer, ratings):
    hidden = add_unpublished(world=public_world, reviewer=reviewer, ratings=ratings)
    client = as_role(role)

    for path in hidden_detail_paths(hidden):
        assert client.get(path).status_code == 404, path


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF)
def test_it_shows_unpublished_objects_to_reviewers_editors_and_superusers(
    role, as_role, public_world, reviewer, ratings
):
    hidden = add_unpublished(world=public_world, reviewer=reviewer, ratings=ratings)
    client = as_role(role)

    for path in hidden_detail_paths(hidden):
        if path.endswith("/claimreview/"):
            continue  # no published verdict: no ClaimReview for anyone
        assert client.get(path).status_code == 200, path
    assert b"SECRET" in client.get("/api/v1/claims/?q=pipeline").content


# --- Writes: who may change what ------------------------------------------------------------

WRITE_EXPECTATIONS = {
    # role: (create a claim, publish someone else's submitted verdict)
    "anonymous": (401, 401),
    "plain_user": (403, 403),
    "staff_without_group": (403, 403),
    "reviewer": (201, 403),
    "editor": (201, 200),
    "superuser": (201, 200),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(WRITE_EXPECTATIONS))
def test_it_lets_only_the_right_roles_write_through_the_api(role, request, public_world, second_editor, ratings):
    from rest_framework.test import APIClient

    client = APIClient()
    if role != "anonymous":
        user = request.getfixturevalue(role)
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    author = second_editor  # never the publishing editor: the two-person rule is tested elsewhere
    claim = factories.ClaimFactory()
    verdict = services.submit_verdict(
        verdict=services.create_verdict(claim=claim, rating=ratings["true"], summary="Yes.", by=author), by=author
    )
    create_status, publish_status = WRITE_EXPECTATIONS[role]

    created = client.post("/api/v1/claims/", {"text": f"A new claim written by {role}."}, format="json")
    published = client.post(f"/api/v1/verdicts/{verdict.pk}/publish/", {"version": verdict.version}, format="json")

    assert created.status_code == create_status, created.content
    # Readers cannot even see the submitted verdict: 404 is as good as 403 for them.
    allowed = {publish_status, 404} if role in READERS else {publish_status}
    assert published.status_code in allowed, published.content


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("role", READERS)
def test_it_refuses_reader_changes_to_public_objects(role, method, public_world):
    from rest_framework.test import APIClient

    client = APIClient()
    if role != "anonymous":
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user(
            username=f"{role}-writer", password=None, is_staff=role == "staff_without_group"
        )
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    verdict = public_world["claim"].published_verdict

    for path in (f"/api/v1/claims/{public_world['claim'].slug}/", f"/api/v1/verdicts/{verdict.pk}/"):
        response = getattr(client, method)(path, {"summary": "vandalised", "text": "vandalised"}, format="json")
        assert response.status_code in (401, 403, 405), (path, response.status_code)
    verdict.refresh_from_db()
    assert verdict.summary != "vandalised"


# --- Admin ----------------------------------------------------------------------------------

ADMIN_EXPECTATIONS = {
    "anonymous": 302,  # to the login page
    "plain_user": 302,  # not staff: to the login page
    "staff_without_group": 403,
    "reviewer": 200,
    "editor": 200,
    "superuser": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ADMIN_EXPECTATIONS))
@pytest.mark.parametrize("model", ["claim", "verdict", "source", "measure", "figure", "article"])
def test_it_opens_admin_changelists_only_to_reviewers_and_editors(role, model, as_role):
    response = as_role(role).get(f"/admin/claims/{model}/")

    assert response.status_code == ADMIN_EXPECTATIONS[role]
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")
