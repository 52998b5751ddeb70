"""CSRF: the admin's and session-authenticated writes need the token."""

import pytest
from django.test import Client


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
def test_it_refuses_an_admin_login_without_a_csrf_token(strict_client, reviewer):
    response = strict_client.post(
        "/admin/login/", {"username": reviewer.username, "password": "pw-" + reviewer.username}
    )

    assert response.status_code == 403


@pytest.mark.django_db
def test_it_refuses_an_admin_change_without_a_csrf_token(strict_client, reviewer):
    strict_client.force_login(reviewer)

    response = strict_client.post("/admin/claims/topic/add/", {"name": "Injected", "slug": "injected"})

    assert response.status_code == 403
    from claims.models import Topic

    assert not Topic.objects.filter(slug="injected").exists()


@pytest.mark.django_db
def test_it_accepts_the_same_admin_change_with_the_token(strict_client, reviewer):
    strict_client.force_login(reviewer)
    form = strict_client.get("/admin/claims/topic/add/")
    assert form.status_code == 200
    token = strict_client.cookies["csrftoken"].value

    response = strict_client.post(
        "/admin/claims/topic/add/", {"name": "Legit", "slug": "legit", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
