"""The anonymous page cache: served from memory with one query, invalidated by services, never
used for signed-in staff (claims/page_cache.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.page_cache import current_generation
from claims.tests.site_builders import draft_claim, published_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(reviewer, editor, ratings):
    return published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], summary="First view.")


def test_it_serves_a_repeated_anonymous_request_with_one_query(client, claim, django_assert_num_queries):
    first = client.get(claim.get_absolute_url())
    with django_assert_num_queries(1):  # the publication generation
        second = client.get(claim.get_absolute_url())
    assert second.status_code == 200 and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second  # middleware headers are added afresh


def test_it_shows_a_correction_at_once(client, claim, reviewer, second_editor, ratings):
    assert "First view." in client.get(claim.get_absolute_url()).content.decode()
    correction = services.draft_correction(
        verdict=claim.published_verdict,
        by=reviewer,
        rating=ratings["false"],
        summary="Corrected view.",
        correction_note="We misread the table.",
    )
    services.submit_verdict(verdict=correction, by=reviewer)
    services.publish_verdict(verdict=correction, by=second_editor)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Corrected view." in html and "We misread the table." in html


def test_it_shows_a_withdrawal_on_the_home_page_and_the_claim_page_at_once(client, claim, editor):
    assert "First view." in client.get("/").content.decode()
    assert "First view." in client.get(claim.get_absolute_url()).content.decode()
    services.withdraw_verdict(verdict=claim.published_verdict, by=editor, reason="Fabricated source.")
    assert "Fabricated source." in client.get(claim.get_absolute_url()).content.decode()
    assert "First view." not in client.get("/").content.decode()


def test_it_keeps_the_generation_in_postgresql_for_every_process(claim, editor):
    """Another worker reads the same sequence, so its own local cache is invalidated too."""
    before = current_generation()
    services.withdraw_verdict(verdict=claim.published_verdict, by=editor, reason="Fabricated source.")
    assert current_generation() > before


def test_it_never_caches_for_signed_in_staff(client, reviewer, editor, ratings, claim):
    hidden = draft_claim(reviewer=reviewer, rating=ratings["true"], text="Draft only staff see.")
    client.force_login(reviewer)
    assert client.get(hidden.get_absolute_url()).status_code == 200  # the preview
    client.get(claim.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(claim.get_absolute_url())
    assert len(queries) > 5  # rendered again (session, user, the page's own queries), not from the cache
    client.logout()
    assert client.get(hidden.get_absolute_url()).status_code == 404  # the preview was not stored
    assert "Draft only staff see." not in client.get(claim.get_absolute_url()).content.decode()
