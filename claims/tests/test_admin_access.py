"""Every admin page of an object answers like its change page, for every role: history, a
historical version, delete and the autocomplete that related-object fields use. A staff user who
is kept out of the change page of a draft learns nothing about it from any other page."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from claims import services
from claims.tests import factories

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "plain_user",
    "publisher_without_staff",  # not staff, holds claims.publish_verdict
    "deactivated_editor",
    "staff_without_group",
    "staff_with_permissions",  # staff, every claims permission given by hand, in no group
    "reviewer",
    "editor",
    "superuser",
]
CAN_SEE_UNPUBLISHED = {"reviewer", "editor", "superuser"}
MARKER = "SECRET"


@pytest.fixture
def users(request, django_user_model):
    made = {}
    for role in ("plain_user", "staff_without_group", "reviewer", "editor", "superuser"):
        made[role] = request.getfixturevalue(role)
    publisher = django_user_model.objects.create_user(username="perm-only", password="x")
    publisher.user_permissions.add(Permission.objects.get(codename="publish_verdict"))
    made["publisher_without_staff"] = publisher
    gone = django_user_model.objects.create_user(username="gone-editor", password="x", is_staff=True, is_active=False)
    gone.groups.add(Group.objects.get(name="Editors"))
    made["deactivated_editor"] = gone
    handed = django_user_model.objects.create_user(username="hand-given", password="x", is_staff=True)
    handed.user_permissions.set(Permission.objects.filter(content_type__app_label="claims"))
    made["staff_with_permissions"] = handed
    return made


@pytest.fixture
def objects(reviewer, editor, ratings):
    """A draft claim with its verdict, evidence, appearance and figure (all marked SECRET), and a
    public claim with its published verdict."""
    hidden_source = factories.SourceFactory(name=f"{MARKER} source", kind="person")
    claim = services.create_claim(text=f"{MARKER} claim text of a draft.", by=reviewer, claimant=hidden_source)
    article = factories.ArticleFactory(title=f"{MARKER} article")
    appearance = services.add_appearance(claim=claim, article=article, by=reviewer, quote=f"{MARKER} quote")
    figure = services.record_figure(
        appearance=appearance, measure=factories.MeasureFactory(), by=reviewer, quoted_text=f"{MARKER} 5", low=5
    )
    verdict = services.create_verdict(
        claim=claim, rating=ratings["false"], summary=f"{MARKER} draft summary", by=reviewer,
        evidence=[{"url": "https://secret.example.org/", "title": f"{MARKER} evidence"}],
    )  # fmt: skip
    services.update_verdict(verdict=verdict, by=reviewer, expected_version=1, summary=f"{MARKER} second summary")
    public = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    return {
        "claim": claim,
        "verdict": verdict,
        "evidence": verdict.evidence.get(),
        "appearance": appearance,
        "figure": figure,
        "source": hidden_source,
        "article": article,
        "public claim": public,
        "public verdict": public.published_verdict,
    }


def _client(role, users):
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _answer(response):
    """Status and redirect target (a login redirect's ?next= names the page asked for)."""
    return response.status_code, response.get("Location", "").split("?")[0]


def _pages(obj):
    name = obj._meta.model_name
    version = type(obj).history.filter(id=obj.pk).order_by("history_id").first().history_id
    return {
        "change": reverse(f"admin:claims_{name}_change", args=[obj.pk]),
        "history": reverse(f"admin:claims_{name}_history", args=[obj.pk]),
        "version": reverse(f"admin:claims_{name}_simple_history", args=[obj.pk, version]),
        "delete": reverse(f"admin:claims_{name}_delete", args=[obj.pk]),
    }


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_history_and_delete_pages_like_the_change_page(role, users, objects):
    client = _client(role, users)
    for label, obj in objects.items():
        pages = _pages(obj)
        answers = {page: client.get(url) for page, url in pages.items()}
        change = _answer(answers["change"])
        for page in ("history", "version"):
            assert _answer(answers[page]) == change, (role, label, page)
        if change[0] == 200:
            assert answers["delete"].status_code in (200, 403), (role, label)  # a published record is not deleted
        else:
            assert _answer(answers["delete"]) == change, (role, label, "delete")
        if role not in CAN_SEE_UNPUBLISHED:
            assert change[0] in (302, 403), (role, label)
            for page, response in answers.items():
                assert MARKER not in response.content.decode(), (role, label, page)


@pytest.mark.parametrize("role", ROLES)
def test_it_opens_related_object_lookups_only_to_reviewers_and_editors(role, users, objects):
    client = _client(role, users)
    lookups = [
        {"app_label": "claims", "model_name": "appearance", "field_name": "claim", "term": MARKER},
        {"app_label": "claims", "model_name": "evidence", "field_name": "verdict", "term": MARKER},
        {"app_label": "claims", "model_name": "claim", "field_name": "claimant", "term": MARKER},
    ]
    for params in lookups:
        response = client.get(reverse("admin:autocomplete"), params)
        if role in CAN_SEE_UNPUBLISHED:
            assert response.status_code == 200 and MARKER in response.content.decode(), (role, params)
        else:
            assert response.status_code in (302, 403), (role, params)
            assert MARKER not in response.content.decode()
    index = client.get(reverse("admin:index"))
    if role in ("staff_without_group", "staff_with_permissions"):
        assert index.status_code == 200
        assert "/admin/claims/" not in index.content.decode()  # no Factcheck models listed
