"""Figures that ingestion files under a measure are proposals: counted nowhere until a reviewer
confirms the measure (or picks another), and a measure matches only the same quantity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from claims import services
from claims.choices import ConflictState
from claims.ingest.articles import ingest_article, match_measure
from claims.models import Figure, Measure
from claims.tests import factories, site_builders
from claims.tests.api_world import client_for

pytestmark = pytest.mark.django_db


def _measure(name, unit, slug=None):
    return Measure(name=name, slug=slug or name.lower().replace(" ", "-").replace("'", ""), unit=unit)


# --- Matching: the same quantity, not shared words ------------------------------------------


@pytest.mark.parametrize(
    "suggestion, unit, measure_name",
    [
        # "the port is 70 km from Baku": a distance from Baku, but not from Nakhchivan
        ("distance from Baku", "km", "Distance from Nakhchivan to Baku"),
        # Iran's population is not the Azeri population of Iran
        ("Iran's population", "count", "Azeri population of Iran"),
        ("population of Iran", "people", "Azeri population of Iran"),
        # a share of Israel's oil imports is not a share of Azerbaijan's oil exports
        ("share of Israel's oil imports", "percent", "Share of Azerbaijan's oil exports to Israel"),
        ("share of Azerbaijan's exports", "percent", "Share of Israel's oil imports from Azerbaijan"),
    ],
)
def test_a_near_miss_is_not_the_same_measure(suggestion, unit, measure_name):
    assert match_measure(suggestion, unit, [_measure(measure_name, unit)]) is None


def test_the_same_quantity_in_other_words_matches():
    azerbaijan = _measure("Population of Azerbaijan", "count")
    distance = _measure("Distance from Nakhchivan to Baku", "km")
    measures = [_measure("Azeri population of Iran", "count"), azerbaijan, distance]
    assert match_measure("Azerbaijan’s own population", "count", measures) == azerbaijan
    assert match_measure("distance from Nakhchivan to Baku", "mi", measures) == distance
    assert match_measure("distance from Nakhchivan to Baku", "year", measures) is None  # units must convert


# --- Ingestion proposes; a proposal counts toward nothing -----------------------------------


@pytest.fixture
def distance(reviewer, editor, ratings):
    """The Nakhchivan–Baku distance with one published figure, 450 km."""
    measure = Measure.objects.create(name="Distance from Nakhchivan to Baku", slug="nakhchivan-baku", unit="km")
    claim = site_builders.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    site_builders.figure(
        claim=claim,
        measure=measure,
        reviewer=reviewer,
        quoted="450 km",
        low=450,
        high=450,
        outlet=factories.SourceFactory(),
    )
    measure.refresh_from_db()
    assert measure.conflict_state == ConflictState.SINGLE_SOURCE
    return measure


def _publish_all_new_claims(reviewer, editor, ratings):
    for figure in Figure.objects.select_related("appearance__claim").filter(proposed=True):
        site_builders.publish(claim=figure.appearance.claim, reviewer=reviewer, editor=editor, rating=ratings["false"])


def test_a_figure_near_the_measure_is_not_filed_on_it(reviewer, editor, ratings, distance):
    result = ingest_article(
        text="The new port is 70 km from Baku, officials said on Monday in 2026.\n",
        url="https://news.example/port",
        by=reviewer,
        outlet="Port News",
        published_on=dt.date(2026, 3, 9),
    )
    assert not Figure.objects.filter(quoted_text="70 km").exists()
    lines = "\n".join(result.lines())
    assert "not 'Distance from Nakhchivan to Baku': the measure names nakhchivan" in lines
    assert "propose a new measure" in lines
    distance.refresh_from_db()
    assert distance.conflict_state == ConflictState.SINGLE_SOURCE


def test_a_matched_figure_is_a_proposal_that_counts_only_once_confirmed(
    client, reviewer, editor, ratings, distance, django_capture_on_commit_callbacks
):
    result = ingest_article(
        text="The road runs 70 km from Nakhchivan to Baku, officials said on Monday in 2026.\n",
        url="https://news.example/road",
        by=reviewer,
        outlet="Road News",
        published_on=dt.date(2026, 3, 9),
    )
    proposal = Figure.objects.get(quoted_text="70 km")
    assert proposal.measure == distance and proposal.proposed
    assert proposal.proposal_confidence == Decimal("0.95") and "same name" in proposal.proposal_reason
    assert "proposed for measure 'Distance from Nakhchivan to Baku' (confidence 0.95" in "\n".join(result.lines())

    # Even once its claim is published, the proposal makes nothing disputed, and readers see none of it.
    _publish_all_new_claims(reviewer, editor, ratings)
    distance.refresh_from_db()
    assert distance.conflict_state == ConflictState.SINGLE_SOURCE
    public = client_for().get(f"/api/v1/measures/{distance.slug}/").json()
    assert [f["quoted_text"] for f in public["figures"]] == ["450 km"]
    listed = client_for().get("/api/v1/figures/?measure=nakhchivan-baku").json()["results"]
    assert [f["quoted_text"] for f in listed] == ["450 km"]
    claim_page = client.get(proposal.appearance.claim.get_absolute_url()).content.decode()
    assert "Distance from Nakhchivan to Baku" not in claim_page and "Disputed" not in claim_page
    measure_page = client.get(distance.get_absolute_url()).content.decode()
    assert "450 km" in measure_page and "70 km" not in measure_page and "Disputed" not in measure_page
    # Reviewers see it as a proposal, with its confidence and reason, also in their live assessment.
    staff = client_for(reviewer)
    listed = staff.get("/api/v1/figures/?proposed=true").json()["results"]
    assert [(f["quoted_text"], f["proposed"], f["proposal_confidence"]) for f in listed] == [("70 km", True, "0.95")]
    from claims import conflicts

    assert conflicts.assess_for(reviewer, [distance])[distance.pk].state == ConflictState.SINGLE_SOURCE

    # The reviewer confirms it through the API: now it counts, and the real conflict shows.
    response = staff.patch(f"/api/v1/figures/{proposal.pk}/", {"proposed": False}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["proposed"] is False
    distance.refresh_from_db()
    assert distance.conflict_state == ConflictState.DISPUTED
    again = staff.patch(f"/api/v1/figures/{proposal.pk}/", {"proposed": True}, format="json")
    assert again.status_code == 400 and "proposed" in again.content.decode()
    assert Figure.objects.get(pk=proposal.pk).proposed is False


def test_picking_another_measure_confirms_the_proposal(reviewer, editor, ratings, distance):
    ingest_article(
        text="The road runs 70 km from Nakhchivan to Baku, officials said on Monday in 2026.\n",
        url="https://news.example/road",
        by=reviewer,
        published_on=dt.date(2026, 3, 9),
    )
    _publish_all_new_claims(reviewer, editor, ratings)
    proposal = Figure.objects.get(quoted_text="70 km")
    port = factories.MeasureFactory(name="Distance from the port to Baku", unit="km")
    services.update_figure(figure=proposal, by=reviewer, measure=port)
    proposal.refresh_from_db()
    assert proposal.measure == port and not proposal.proposed
    port.refresh_from_db()
    assert port.conflict_state == ConflictState.SINGLE_SOURCE  # counted now, on the right measure
    assert Measure.objects.get(pk=distance.pk).conflict_state == ConflictState.SINGLE_SOURCE


@pytest.fixture
def plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.mark.usefixtures("plain_static")
def test_the_admin_shows_a_proposal_and_confirms_it(client, reviewer, editor, ratings, distance):
    ingest_article(
        text="The road runs 70 km from Nakhchivan to Baku, officials said on Monday in 2026.\n",
        url="https://news.example/road",
        by=reviewer,
        published_on=dt.date(2026, 3, 9),
    )
    _publish_all_new_claims(reviewer, editor, ratings)
    proposal = Figure.objects.get(quoted_text="70 km")
    client.force_login(reviewer)
    url = reverse("admin:claims_figure_change", args=[proposal.pk])
    page = client.get(url).content.decode()
    assert "confidence 0.95: same name as the measure" in page
    claim_page = client.get(reverse("admin:claims_claim_change", args=[proposal.appearance.claim_id])).content.decode()
    assert "Proposed, not counted" in claim_page
    form = {
        "appearance": proposal.appearance_id,
        "measure": distance.pk,
        "quoted_text": "70 km",
        "low": "70",
        "high": "70",
        "qualifier": "exact",
        "unit": "km",
        "rank": "normal",
        "rank_reason": "",
        "row_version": services.row_version(proposal),
        # "proposed" unticked: the reviewer confirms the measure
    }
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Figure.objects.get(pk=proposal.pk).proposed is False
    assert Measure.objects.get(pk=distance.pk).conflict_state == ConflictState.DISPUTED
