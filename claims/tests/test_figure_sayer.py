"""Who said a figure: one rule (`Appearance.sayer`) for the API, the reader's pages, the admin and
the conflict state's count of independent sources."""

import pytest
from django.test import Client
from django.urls import reverse

from claims import conflicts, services
from claims.choices import ConflictState, SourceKind
from claims.models import Measure
from claims.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(reviewer, editor, ratings):
    """One person's figure, reported by two outlets: one source, however many outlets carry it."""
    measure = factories.MeasureFactory(name="Reported figure", slug="reported-figure", comparison_window_days=None)
    minister = factories.SourceFactory(kind=SourceKind.PERSON, name="The Minister", slug="the-minister")
    for outlet_name in ("Daily One", "Daily Two"):
        outlet = factories.SourceFactory(name=outlet_name, slug=outlet_name.lower().replace(" ", "-"))
        claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
        appearance = services.add_appearance(
            claim=claim,
            article=factories.ArticleFactory(outlet=outlet),
            by=reviewer,
            voice="reports",
            attributed_to=minister,
        )
        services.record_figure(appearance=appearance, measure=measure, by=reviewer, quoted_text="5", low=5, high=5)
    return measure


def test_it_counts_a_reported_party_once_across_outlets(reported, reviewer):
    assert Measure.objects.get(pk=reported.pk).conflict_state == ConflictState.SINGLE_SOURCE
    assert conflicts.assess_for(reviewer, [reported])[reported.pk].state == ConflictState.SINGLE_SOURCE


def test_every_reader_names_the_reported_party(reported, client, reviewer):
    api = Client().get(f"/api/v1/measures/{reported.slug}/").json()
    assert {f["said_by"]["slug"] for f in api["figures"]} == {"the-minister"}
    page = Client().get(reverse("claims:measure-detail", args=[reported.slug])).content.decode()
    assert page.count('<th scope="row"><a href="/sources/the-minister/">The Minister</a></th>') == 2
    client.force_login(reviewer)
    admin = client.get(reverse("admin:claims_measure_change", args=[reported.pk])).content.decode()
    assert "The Minister, in Daily One" in admin and "The Minister, in Daily Two" in admin
    assert "Single source" in admin or "single source" in admin.lower()


def test_an_asserted_figure_is_the_outlets_on_the_page_as_in_the_api(reviewer, editor, ratings):
    measure = factories.MeasureFactory(slug="asserted-figure")
    outlet = factories.SourceFactory(name="The Outlet", slug="the-outlet")
    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    appearance = services.add_appearance(claim=claim, article=factories.ArticleFactory(outlet=outlet), by=reviewer)
    services.record_figure(appearance=appearance, measure=measure, by=reviewer, quoted_text="7", low=7, high=7)
    api = Client().get(f"/api/v1/measures/{measure.slug}/").json()
    assert [f["said_by"]["slug"] for f in api["figures"]] == ["the-outlet"]
    page = Client().get(reverse("claims:measure-detail", args=[measure.slug])).content.decode()
    assert '<th scope="row"><a href="/sources/the-outlet/">The Outlet</a></th>' in page
    assert claim.claimant.name not in page.split("<tbody>")[1].split("</tbody>")[0]


def test_a_reported_figure_with_no_named_party_is_the_claimants():
    appearance = factories.AppearanceFactory(voice="reports", attributed_to=None)
    assert appearance.sayer == appearance.claim.claimant
    assert appearance.sayer_id == appearance.claim.claimant_id
