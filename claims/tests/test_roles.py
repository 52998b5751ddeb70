"""One role check (claims/roles.py) for the API, the admin, the services and the commands: a role
is group membership of an active staff user (superusers hold both), never a hand-given permission."""

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims import roles, services
from claims.choices import VerdictStatus
from claims.models import Claim, Verdict
from claims.tests import factories
from claims.tests.api_world import client_for

pytestmark = pytest.mark.django_db

IMPORT_URL = "/api/v1/import/claimreview/"
REVIEW = (Path(__file__).parent / "fixtures" / "ingest" / "single_http_context.json").read_bytes()


def _user(django_user_model, name, *, staff=False, active=True, superuser=False, group=None, perms=()):
    user = django_user_model.objects.create_user(
        username=name, password="x", is_staff=staff, is_active=active, is_superuser=superuser
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    if perms:
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="claims", codename__in=perms))
    return user


@pytest.fixture
def publisher_without_staff(django_user_model):
    """The issue's user: not staff, in no group, holding claims.publish_verdict by hand."""
    return _user(django_user_model, "perm-only", perms=["publish_verdict", "add_claim", "add_verdict"])


@pytest.fixture
def staff_with_permissions(django_user_model):
    """Staff in no group with every claims permission given by hand."""
    every = Permission.objects.filter(content_type__app_label="claims").values_list("codename", flat=True)
    return _user(django_user_model, "hand-given", staff=True, perms=list(every))


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("anonymous", (False, False)),
        ("plain", (False, False)),
        ("staff in no group", (False, False)),
        ("staff with every permission by hand", (False, False)),
        ("not staff, publish permission by hand", (False, False)),
        ("not staff, in Editors", (False, False)),
        ("deactivated editor", (False, False)),
        ("reviewer", (True, False)),
        ("editor", (True, True)),
        ("superuser", (True, True)),
        ("deactivated superuser", (False, False)),
    ],
)
def test_it_decides_roles_by_group_of_active_staff(kind, expected, django_user_model):
    every = Permission.objects.filter(content_type__app_label="claims").values_list("codename", flat=True)
    make = {
        "anonymous": lambda: AnonymousUser(),
        "plain": lambda: _user(django_user_model, "u"),
        "staff in no group": lambda: _user(django_user_model, "u", staff=True),
        "staff with every permission by hand": lambda: _user(django_user_model, "u", staff=True, perms=list(every)),
        "not staff, publish permission by hand": lambda: _user(django_user_model, "u", perms=["publish_verdict"]),
        "not staff, in Editors": lambda: _user(django_user_model, "u", group="Editors"),
        "deactivated editor": lambda: _user(django_user_model, "u", staff=True, active=False, group="Editors"),
        "reviewer": lambda: _user(django_user_model, "u", staff=True, group="Reviewers"),
        "editor": lambda: _user(django_user_model, "u", staff=True, group="Editors"),
        "superuser": lambda: _user(django_user_model, "u", staff=True, superuser=True),
        "deactivated superuser": lambda: _user(django_user_model, "u", staff=True, superuser=True, active=False),
    }
    user = make[kind]()
    assert (roles.is_reviewer(user), roles.is_editor(user)) == expected
    assert (services.is_reviewer(user), services.is_editor(user)) == expected  # the services ask the same
    if not isinstance(user, AnonymousUser):
        assert django_user_model.objects.filter(roles.reviewers_q(), pk=user.pk).exists() == expected[0]


def test_it_refuses_import_and_publishing_to_a_permission_without_the_role(
    publisher_without_staff, reviewer, second_editor, ratings
):
    client = client_for(publisher_without_staff)
    imported = client.post(IMPORT_URL, REVIEW, content_type="application/json")
    assert imported.status_code == 403
    assert "Editors group" in imported.json()["detail"]
    assert not Claim.objects.exists()

    verdict = services.create_verdict(claim=factories.ClaimFactory(), rating=ratings["true"], summary="S.", by=reviewer)
    services.submit_verdict(verdict=verdict, by=reviewer)
    # The same user is refused writes everywhere, with the same words as any other reader.
    assert client.post(f"/api/v1/verdicts/{verdict.pk}/publish/", {}, format="json").status_code in (403, 404)
    created = client.post("/api/v1/claims/", {"text": "A claim."}, format="json")
    assert created.status_code == 403
    with pytest.raises(services.NotAllowed):
        services.publish_verdict(verdict=verdict, by=publisher_without_staff)
    assert Verdict.objects.get(pk=verdict.pk).status == VerdictStatus.SUBMITTED

    assert client_for(second_editor).post(IMPORT_URL, REVIEW, content_type="application/json").status_code == 200


def test_it_refuses_import_to_a_reviewer(reviewer):
    assert client_for(reviewer).post(IMPORT_URL, REVIEW, content_type="application/json").status_code == 403


def test_it_gives_hand_given_permissions_nothing_in_the_admin(client, staff_with_permissions, reviewer, ratings):
    verdict = services.create_verdict(claim=factories.ClaimFactory(), rating=ratings["true"], summary="S.", by=reviewer)
    services.submit_verdict(verdict=verdict, by=reviewer)
    client.force_login(staff_with_permissions)
    assert client.get(reverse("admin:claims_verdict_changelist")).status_code == 403
    publish = client.post(reverse("admin:claims_verdict_publish", args=[verdict.pk]), {"wf_version": 2})
    assert publish.status_code in (403, 404)
    assert Verdict.objects.get(pk=verdict.pk).status == VerdictStatus.SUBMITTED


def test_it_lets_editors_withdraw_by_role(editor, second_editor, reviewer, ratings, staff_with_permissions):
    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    with pytest.raises(services.NotAllowed):
        services.withdraw_verdict(verdict=claim.published_verdict, by=staff_with_permissions, reason="No.")
    with pytest.raises(services.NotAllowed):
        services.assign_claim(claim=claim, reviewer=staff_with_permissions, by=staff_with_permissions)
    done = services.withdraw_verdict(verdict=claim.published_verdict, by=second_editor, reason="Retracted.")
    assert done.status == VerdictStatus.WITHDRAWN


def test_it_checks_the_role_of_a_commands_user(tmp_path, reviewer, editor, publisher_without_staff):
    review = tmp_path / "review.json"
    review.write_bytes(REVIEW)
    for user in (reviewer, publisher_without_staff):
        with pytest.raises(CommandError, match="not an editor"):
            call_command("import_claimreview", str(review), "--user", user.username, "--no-progress", verbosity=0)
    assert not Claim.objects.exists()
    call_command("import_claimreview", str(review), "--user", editor.username, "--no-progress", verbosity=0)
    assert Claim.objects.count() == 1

    article = tmp_path / "article.txt"
    article.write_text("Some 30 million ethnic Azeris live in Iran, the minister said on Tuesday.")
    with pytest.raises(CommandError, match="not a reviewer or editor"):
        call_command(
            "ingest_article", str(article), "--url", "https://news.example.org/a", "--user", "perm-only", verbosity=0
        )


# --- Import: editors only, and never a way to publish our unpublished records ----------------


def test_it_does_not_publish_an_article_known_only_from_an_unpublished_claim(reviewer, editor, second_editor, ratings):
    from claims.ingest.links import normalise_url
    from claims.models import Appearance, Article

    outlet = factories.SourceFactory(name="SECRET outlet")
    article = factories.ArticleFactory(
        url=normalise_url("https://blog.example/azeris"), title="SECRET title", outlet=outlet
    )
    article.authors.add(factories.SourceFactory(kind="person", name="SECRET author"))
    hidden = services.create_claim(text="A claim still in review.", by=reviewer)
    services.add_appearance(claim=hidden, article=article, by=reviewer)

    assert client_for(editor).post(IMPORT_URL, REVIEW, content_type="application/json").status_code == 200
    imported = Claim.objects.exclude(pk=hidden.pk).get()
    assert imported.status == "published"
    assert list(Appearance.objects.filter(article=article).values_list("claim_id", flat=True)) == [hidden.pk]
    assert Appearance.objects.filter(claim=imported).count() == 1  # the other appearance URL is linked
    assert not Article.objects.public().filter(pk=article.pk).exists()
    for path in (
        "/api/v1/articles/",
        "/api/v1/sources/",
        f"/api/v1/claims/{imported.slug}/",
        f"/claims/{imported.slug}/",
    ):
        response = client_for().get(path)
        assert response.status_code == 200 and b"SECRET" not in response.content, path

    # Once the article is public through our own published claim, a re-import links it too.
    verdict = services.create_verdict(claim=hidden, rating=ratings["true"], summary="Yes.", by=reviewer)
    services.publish_verdict(verdict=services.submit_verdict(verdict=verdict, by=reviewer), by=second_editor)
    assert client_for(editor).post(IMPORT_URL, REVIEW, content_type="application/json").status_code == 200
    assert Appearance.objects.filter(claim=imported, article=article).exists()
