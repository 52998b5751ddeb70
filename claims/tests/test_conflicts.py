"""Measures' conflict state: cached over public figures by the services, computed on read for staff."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import ProtectedError

from claims import conflicts, services
from claims.choices import ConflictState, Qualifier, Rank
from claims.models import Claim, Figure, Measure
from claims.tests import factories

pytestmark = pytest.mark.django_db

AZERI = "azeri-population-of-iran"


def measure(slug):
    return Measure.objects.get(slug=slug)


def figure(quoted_text):
    return Figure.objects.get(quoted_text=quoted_text)


def pairs(m):
    """Conflicting pairs as sets of quoted texts, with their reasons."""
    quoted = dict(Figure.objects.values_list("pk", "quoted_text"))
    return {frozenset((quoted[c["a"]], quoted[c["b"]])): c["reason"] for c in m.conflicts}


# --- The demo data --------------------------------------------------------------------------


def test_it_finds_which_azeri_population_figures_conflict_and_why(demo):
    azeri = measure(AZERI)
    assert azeri.conflict_state == ConflictState.DISPUTED
    found = pairs(azeri)
    # "some 30 million" (30M ± 5% = 28.5M–31.5M) overlaps neither 15–18M nor "close to 15 million"
    # (15M ± 5% = 14.25M–15.75M); those two overlap each other between 15M and 15.75M.
    assert set(found) == {
        frozenset({"approximate 15-18 million", "some 30 million"}),
        frozenset({"close to 15 million", "some 30 million"}),
    }
    assert found[frozenset({"approximate 15-18 million", "some 30 million"})] == (
        "15,000,000–18,000,000 vs 30,000,000 (±5%): no overlap"
    )
    assert found[frozenset({"close to 15 million", "some 30 million"})] == (
        "15,000,000 (±5%) vs 30,000,000 (±5%): no overlap"
    )
    # Largest over smallest representative value: 30M / 15M.
    assert azeri.spread == Decimal(2)


def test_it_caches_only_public_figures_while_staff_see_all(demo, reviewer, plain_user):
    # Published claims: one source each.
    assert measure("corridor-rights-term").conflict_state == ConflictState.SINGLE_SOURCE
    assert measure("nakhchivan-baku-distance").conflict_state == ConflictState.SINGLE_SOURCE
    # Figures of unpublished claims (no verdict, submitted, draft) stay out of the public cache…
    hidden = ["population-of-azerbaijan", "azerbaijan-share-of-israel-oil-imports", "corridor-length"]
    for slug in hidden:
        assert measure(slug).conflict_state == ConflictState.NO_FIGURES
    # …and of what readers get on read, while reviewers see every figure.
    for_staff = conflicts.assess_for(reviewer, Measure.objects.filter(slug__in=hidden))
    for_readers = conflicts.assess_for(plain_user, Measure.objects.filter(slug__in=hidden))
    assert {a.state for a in for_staff.values()} == {ConflictState.SINGLE_SOURCE}
    assert {a.state for a in for_readers.values()} == {ConflictState.NO_FIGURES}


def test_the_public_assessment_on_read_equals_the_cache(demo, plain_user):
    for m in Measure.objects.all():
        live = conflicts.cache_fields(conflicts.assess_for(plain_user, [m])[m.pk])
        assert (m.conflict_state, m.spread, m.conflicts) == (live["conflict_state"], live["spread"], live["conflicts"])


def test_it_compares_figures_only_within_the_measure_window(demo, reviewer):
    # With a one-year window the 2021 range and the November 2025 post are no longer compared; the
    # March 2026 "close to 15 million" still is, so the measure stays disputed on one pair.
    Measure.objects.filter(slug=AZERI).update(comparison_window_days=365)
    services.refresh_measures(measure_ids=[measure(AZERI).pk])
    assert set(pairs(measure(AZERI))) == {frozenset({"close to 15 million", "some 30 million"})}
    Measure.objects.filter(slug=AZERI).update(comparison_window_days=30)
    services.refresh_measures(measure_ids=[measure(AZERI).pk])
    assert measure(AZERI).conflict_state == ConflictState.CONSISTENT


def test_it_widens_approximate_figures_by_the_tolerance_setting(demo, settings):
    # At ±50% "some 30 million" reaches down to 15M and "close to 15 million" up to 22.5M.
    settings.FACTCHECK_APPROXIMATE_TOLERANCE = Decimal("0.5")
    call_command("refresh_conflicts", verbosity=0)
    assert measure(AZERI).conflict_state == ConflictState.CONSISTENT
    settings.FACTCHECK_APPROXIMATE_TOLERANCE = Decimal("0.05")
    call_command("refresh_conflicts", verbosity=0)
    assert measure(AZERI).conflict_state == ConflictState.DISPUTED


def test_deprecating_a_figure_takes_it_out_of_the_comparison(demo, reviewer):
    services.update_figure(
        figure=figure("some 30 million"), by=reviewer, rank=Rank.DEPRECATED, rank_reason="Unsourced social post."
    )
    azeri = measure(AZERI)
    assert azeri.conflict_state == ConflictState.CONSISTENT
    assert azeri.conflicts == []
    services.update_figure(figure=figure("some 30 million"), by=reviewer, rank=Rank.NORMAL, rank_reason="")
    assert measure(AZERI).conflict_state == ConflictState.DISPUTED


def test_a_public_figure_is_deprecated_rather_than_deleted(demo, reviewer):
    """Readers saw it on the claim page and in the measure's chart: it stays, marked deprecated."""
    with pytest.raises(ProtectedError, match="deprecate it"):
        services.delete_figure(figure=figure("some 30 million"), by=reviewer)
    assert measure(AZERI).conflict_state == ConflictState.DISPUTED
    services.update_figure(
        figure=figure("some 30 million"), by=reviewer, rank=Rank.DEPRECATED, rank_reason="Unsourced."
    )
    assert measure(AZERI).spread == Decimal("1.1")  # 16.5M (midpoint of 15–18M) / 15M


def test_moving_a_figure_refreshes_both_measures(demo, reviewer):
    services.update_figure(figure=figure("some 30 million"), by=reviewer, measure=measure("population-of-azerbaijan"))
    assert measure(AZERI).conflict_state == ConflictState.CONSISTENT
    assert measure("population-of-azerbaijan").conflict_state == ConflictState.SINGLE_SOURCE


# --- Publication decides what the cache may count -------------------------------------------


def test_a_figure_of_an_unpublished_claim_reaches_the_cache_only_on_publication(reviewer, editor, ratings):
    m = factories.MeasureFactory(comparison_window_days=None)
    public = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    services.record_figure(
        appearance=factories.AppearanceFactory(claim=public), measure=m, by=reviewer, quoted_text="10", low=10, high=10
    )
    assert Measure.objects.get(pk=m.pk).conflict_state == ConflictState.SINGLE_SOURCE
    pending = factories.ClaimFactory()
    services.record_figure(
        appearance=factories.AppearanceFactory(claim=pending), measure=m, by=reviewer, quoted_text="99", low=99, high=99
    )
    m.refresh_from_db()
    assert m.conflict_state == ConflictState.SINGLE_SOURCE  # readers cannot infer the pending figure
    assert m.conflicts == [] and m.spread is None
    assert conflicts.assess_for(reviewer, [m])[m.pk].state == ConflictState.DISPUTED
    factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claim=pending)
    m.refresh_from_db()
    assert m.conflict_state == ConflictState.DISPUTED
    assert m.spread == Decimal("9.9")


def test_it_counts_the_outlet_else_the_claimant_as_the_source(reviewer, editor, ratings):
    m = factories.MeasureFactory()
    outlet = factories.SourceFactory()
    for claim_kwargs, article in (
        ({}, factories.ArticleFactory(outlet=outlet)),
        ({}, factories.ArticleFactory(outlet=outlet)),
    ):
        claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], **claim_kwargs)
        appearance = services.add_appearance(claim=claim, article=article, by=reviewer)
        services.record_figure(appearance=appearance, measure=m, by=reviewer, quoted_text="5", low=5, high=5)
    assert Measure.objects.get(pk=m.pk).conflict_state == ConflictState.SINGLE_SOURCE  # one outlet
    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    no_outlet = services.add_appearance(claim=claim, article=factories.ArticleFactory(outlet=None), by=reviewer)
    services.record_figure(appearance=no_outlet, measure=m, by=reviewer, quoted_text="5", low=5, high=5)
    assert Measure.objects.get(pk=m.pk).conflict_state == ConflictState.CONSISTENT  # its claimant is a second source


# --- Validation -----------------------------------------------------------------------------


def test_it_refuses_a_unit_that_does_not_convert_to_the_measure(reviewer):
    f = factories.FigureFactory(measure=factories.MeasureFactory(unit="km"), unit="km", qualifier=Qualifier.EXACT)
    with pytest.raises(ValidationError) as error:
        services.update_figure(figure=f, by=reviewer, unit="year")
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.update_figure(figure=f, by=reviewer, unit="furlong")
    assert "unit" in error.value.message_dict
    services.update_figure(figure=f, by=reviewer, unit="mi")  # converts
    with pytest.raises(ValidationError) as error:
        services.record_figure(
            appearance=f.appearance,
            measure=f.measure,
            by=reviewer,
            quoted_text="99 years",
            low=99,
            high=99,
            unit="year",
        )
    assert "unit" in error.value.message_dict


def test_it_requires_a_reason_to_deprecate_and_refuses_other_fields(reviewer):
    f = factories.FigureFactory()
    with pytest.raises(ValidationError) as error:
        services.update_figure(figure=f, by=reviewer, rank=Rank.DEPRECATED)
    assert "rank_reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.update_figure(figure=f, by=reviewer, appearance=factories.AppearanceFactory())
    assert "appearance" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.update_figure(figure=f, by=reviewer, low=20, high=10)
    assert "high" in error.value.message_dict


def test_it_refuses_figure_changes_from_non_reviewers(plain_user):
    f = factories.FigureFactory()
    with pytest.raises(services.NotAllowed):
        services.update_figure(figure=f, by=plain_user, low=1)
    with pytest.raises(services.NotAllowed):
        services.delete_figure(figure=f, by=plain_user)


# --- Query counts ---------------------------------------------------------------------------


def test_refreshing_measures_costs_four_queries_whatever_their_number(django_assert_num_queries):
    measures = [factories.MeasureFactory() for _ in range(12)]
    for m in measures:
        factories.FigureFactory.create_batch(3, measure=m)
    # lock, load, bulk update, and the page-cache generation bump (claims/page_cache.py)
    with django_assert_num_queries(4):
        services.refresh_measures(measure_ids=[measures[0].pk])
    with django_assert_num_queries(4):
        services.refresh_measures(measure_ids=[m.pk for m in measures])


def test_assessing_on_read_costs_one_query_whatever_the_number_of_measures(reviewer, django_assert_num_queries):
    measures = [factories.MeasureFactory() for _ in range(8)]
    for m in measures:
        factories.FigureFactory.create_batch(4, measure=m)
    reviewer.groups.all().exists()  # warm the role lookup
    conflicts.assess_for(reviewer, measures[:1])
    with django_assert_num_queries(1):
        conflicts.assess_for(reviewer, measures[:1])
    with django_assert_num_queries(1):
        assessed = conflicts.assess_for(reviewer, measures)
    assert len(assessed) == 8


def test_publishing_refreshes_measures_in_a_constant_number_of_queries(reviewer, editor, ratings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def publish_with_figures(n):
        claim = factories.ClaimFactory()
        appearance = factories.AppearanceFactory(claim=claim)
        for _ in range(n):
            factories.FigureFactory(appearance=appearance)
        verdict = services.create_verdict(claim=claim, rating=ratings["true"], summary="S.", by=reviewer)
        verdict = services.submit_verdict(verdict=verdict, by=reviewer)
        with CaptureQueriesContext(connection) as ctx:
            services.publish_verdict(verdict=verdict, by=editor)
        assert Measure.objects.filter(figures__appearance=appearance, conflict_state="single_source").count() == n
        return len(ctx.captured_queries)

    publish_with_figures(1)  # warm permission caches
    assert publish_with_figures(1) == publish_with_figures(6)


def test_it_keeps_a_claims_figures_public_after_withdrawal(demo):
    # Withdrawn claims stay public (with the reason), so do their figures: the cache is unchanged.
    claim = Claim.objects.get(slug="azeri-population-of-iran-30-million")
    editor = claim.published_verdict.approver
    services.withdraw_verdict(verdict=claim.published_verdict, by=editor, reason="Example withdrawal.")
    assert measure(AZERI).conflict_state == ConflictState.DISPUTED
    assert datetime.date(2025, 11, 1) in set(Figure.objects.public().values_list("point_in_time", flat=True))
