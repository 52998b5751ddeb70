"""Cached source credibility: kept current by the publish/withdraw services and by the command,
computed in set-based SQL that agrees with the reference implementation in claims/credibility.py."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims import services
from claims.choices import SourceKind, Voice
from claims.credibility import Rating, score_ratings
from claims.credibility_sql import recompute_all, recompute_sources
from claims.models import Source
from claims.tests import factories

pytestmark = pytest.mark.django_db


def card(source):
    source.refresh_from_db()
    return source


def publish(claim, rating, *, reviewer, editor, correction_note=""):
    verdict = services.create_verdict(claim=claim, rating=rating, summary="Checked.", by=reviewer)
    verdict = services.submit_verdict(verdict=verdict, by=reviewer)
    return services.publish_verdict(verdict=verdict, by=editor, correction_note=correction_note)


def person():
    return factories.SourceFactory(kind=SourceKind.PERSON)


def test_it_gives_no_score_to_a_source_without_rated_claims(ratings, reviewer, editor):
    quiet = person()
    factories.ClaimFactory(claimant=quiet)  # claimed, never rated
    only_unverifiable = person()
    factories.published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["unverifiable"], claimant=only_unverifiable
    )
    recompute_all()
    quiet, only_unverifiable = card(quiet), card(only_unverifiable)
    assert (quiet.credibility_score, quiet.rated_claims_count, quiet.rating_counts) == (None, 0, {})
    assert only_unverifiable.credibility_score is None
    assert only_unverifiable.credibility_low is None and only_unverifiable.credibility_high is None
    assert only_unverifiable.rated_claims_count == 0
    assert only_unverifiable.rating_counts == {"unverifiable": 1}


def test_it_matches_hand_computed_values_after_publication(ratings, reviewer, editor):
    source = person()
    for slug in ("true", "mostly-true", "false", "unverifiable"):
        factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings[slug], claimant=source)
    source = card(source)
    # α = 2 + 1 + 0.75 + 0 = 3.75, β = 2 + 0 + 0.25 + 1 = 3.25 → 3.75 / 7.
    assert source.credibility_score == pytest.approx(3.75 / 7)
    # 5% and 95% quantiles of Beta(3.75, 3.25), found by bisection on a Simpson integral of its density.
    assert source.credibility_low == pytest.approx(0.239271, abs=1e-6)
    assert source.credibility_high == pytest.approx(0.819807, abs=1e-6)
    assert source.rated_claims_count == 3
    assert source.rating_counts == {"true": 1, "mostly-true": 1, "false": 1, "unverifiable": 1}
    assert source.credibility_computed_at is not None
    expected = score_ratings(
        [Rating("true", 1.0), Rating("mostly-true", 0.75), Rating("false", 0.0), Rating("unverifiable", None)]
    )
    assert (source.credibility_low, source.credibility_high) == pytest.approx((expected.low, expected.high))


def test_it_counts_a_claim_once_per_source_however_it_is_linked(ratings, reviewer, editor):
    everywhere = factories.SourceFactory()
    article = factories.ArticleFactory(outlet=everywhere)
    article.authors.add(everywhere)
    claim = factories.ClaimFactory(claimant=everywhere)
    services.add_appearance(claim=claim, article=article, by=reviewer, voice=Voice.ASSERTS)
    factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claim=claim)
    everywhere = card(everywhere)
    assert everywhere.rated_claims_count == 1
    assert everywhere.rating_counts == {"false": 1}
    assert everywhere.credibility_score == pytest.approx(2 / 5)


def test_it_counts_outlets_and_authors_only_for_asserting_appearances(ratings, reviewer, editor):
    asserting_outlet, asserting_author = factories.SourceFactory(), person()
    reporting_outlet, reporting_author = factories.SourceFactory(), person()
    asserting = factories.ArticleFactory(outlet=asserting_outlet)
    asserting.authors.add(asserting_author)
    reporting = factories.ArticleFactory(outlet=reporting_outlet)
    reporting.authors.add(reporting_author)
    claim = factories.ClaimFactory()
    services.add_appearance(claim=claim, article=asserting, by=reviewer, voice=Voice.ASSERTS)
    services.add_appearance(claim=claim, article=reporting, by=reviewer, voice=Voice.REPORTS)
    factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["mostly-false"], claim=claim)
    for source in (asserting_outlet, asserting_author, claim.claimant):
        assert card(source).rating_counts == {"mostly-false": 1}
        assert card(source).credibility_score == pytest.approx((2 + 0.25) / 5)
    for source in (reporting_outlet, reporting_author):
        assert card(source).credibility_score is None
        assert card(source).rating_counts == {}


def test_it_ignores_drafts_and_submitted_verdicts(ratings, reviewer, editor):
    source = person()
    draft_claim = factories.ClaimFactory(claimant=source)
    services.create_verdict(claim=draft_claim, rating=ratings["false"], summary="Draft.", by=reviewer)
    submitted_claim = factories.ClaimFactory(claimant=source)
    verdict = services.create_verdict(claim=submitted_claim, rating=ratings["false"], summary="Sub.", by=reviewer)
    services.submit_verdict(verdict=verdict, by=reviewer)
    factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], claimant=source)
    recompute_all()
    assert card(source).rating_counts == {"true": 1}


def test_it_replaces_the_rating_when_a_correction_supersedes_it(ratings, reviewer, editor, second_editor):
    source = person()
    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claimant=source)
    assert card(source).credibility_score == pytest.approx(2 / 5)
    correction = services.draft_correction(
        verdict=claim.published_verdict, by=reviewer, rating=ratings["true"], correction_note="Wrong dataset."
    )
    correction = services.submit_verdict(verdict=correction, by=reviewer)
    services.publish_verdict(verdict=correction, by=second_editor)
    source = card(source)
    assert source.rating_counts == {"true": 1}
    assert source.credibility_score == pytest.approx(3 / 5)


def test_it_drops_a_withdrawn_verdict_and_returns_to_no_score(ratings, reviewer, editor):
    source = person()
    keep = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], claimant=source)
    drop = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claimant=source)
    assert card(source).credibility_score == pytest.approx(3 / 6)
    services.withdraw_verdict(verdict=drop.published_verdict, by=editor, reason="Rated the wrong claim.")
    assert card(source).credibility_score == pytest.approx(3 / 5)
    services.withdraw_verdict(verdict=keep.published_verdict, by=editor, reason="Duplicate.")
    source = card(source)
    assert (source.credibility_score, source.credibility_low, source.credibility_high) == (None, None, None)
    assert (source.rated_claims_count, source.rating_counts) == (0, {})


def test_the_command_resets_sources_whose_verdicts_are_gone(ratings, reviewer, editor):
    source = person()
    Source.objects.filter(pk=source.pk).update(
        credibility_score=0.9,
        credibility_low=0.8,
        credibility_high=0.95,
        rated_claims_count=7,
        rating_counts={"true": 7},
    )
    stats = recompute_all()
    assert stats.reset == 1
    source = card(source)
    assert (source.credibility_score, source.rated_claims_count, source.rating_counts) == (None, 0, {})


def test_the_command_agrees_with_the_incremental_path(ratings, reviewer, editor, second_editor):
    sources = [person() for _ in range(3)]
    outlet = factories.SourceFactory()
    for i, slug in enumerate(["true", "mixed", "false", "mostly-true", "unverifiable", "mostly-false"]):
        claim = factories.ClaimFactory(claimant=sources[i % 3])
        services.add_appearance(claim=claim, article=factories.ArticleFactory(outlet=outlet), by=reviewer)
        factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings[slug], claim=claim)
    fields = ("credibility_score", "credibility_low", "credibility_high", "rated_claims_count", "rating_counts")
    ids = [s.pk for s in [*sources, outlet]]
    incremental = list(Source.objects.filter(pk__in=ids).order_by("pk").values_list(*fields))
    Source.objects.filter(pk__in=ids).update(credibility_score=None, credibility_low=None, credibility_high=None)
    recompute_all()
    assert list(Source.objects.filter(pk__in=ids).order_by("pk").values_list(*fields)) == incremental
    assert card(outlet).rated_claims_count == 5


def test_it_weights_old_claims_by_the_recency_half_life(settings, ratings, reviewer, editor):
    settings.FACTCHECK_CREDIBILITY_HALF_LIFE_DAYS = 365
    source = person()
    a_year_ago = timezone.localdate() - datetime.timedelta(days=365)
    factories.published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["true"], claimant=source, first_seen=a_year_ago
    )
    factories.published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["false"], claimant=source, first_seen=timezone.localdate()
    )
    # True counts ½: α = 2 + 0.5, β = 2 + 1 → 2.5 / 5.5.
    assert card(source).credibility_score == pytest.approx(2.5 / 5.5)
    assert card(source).rated_claims_count == 2
    recompute_all()
    assert card(source).credibility_score == pytest.approx(2.5 / 5.5)
    settings.FACTCHECK_CREDIBILITY_HALF_LIFE_DAYS = 0
    recompute_all()
    assert card(source).credibility_score == pytest.approx(3 / 6)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    slugs=st.lists(
        st.sampled_from(["true", "mostly-true", "mixed", "mostly-false", "false", "unverifiable"]), max_size=6
    )
)
def test_the_sql_agrees_with_the_reference_implementation(ratings, reviewer, editor, slugs):
    source = person()
    for slug in slugs:
        factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings[slug], claimant=source)
    expected = score_ratings(Rating(slug, ratings[slug].truth_weight) for slug in slugs)
    recompute_sources([source.pk])
    source = card(source)
    assert source.rated_claims_count == expected.rated_claims
    assert source.rating_counts == expected.rating_counts
    if expected.score is None:
        assert source.credibility_score is None
    else:
        assert (source.credibility_score, source.credibility_low, source.credibility_high) == pytest.approx(
            (expected.score, expected.low, expected.high), abs=1e-12
        )


# --- Query counts: they must not grow with the number of sources ----------------------------


def publication_queries(ratings, reviewer, editor, *, authors: int) -> int:
    article = factories.ArticleFactory()
    article.authors.add(*[person() for _ in range(authors)])
    claim = factories.ClaimFactory()
    services.add_appearance(claim=claim, article=article, by=reviewer)
    verdict = services.create_verdict(claim=claim, rating=ratings["true"], summary="Checked.", by=reviewer)
    verdict = services.submit_verdict(verdict=verdict, by=reviewer)
    with CaptureQueriesContext(connection) as ctx:
        services.publish_verdict(verdict=verdict, by=editor)
    assert Source.objects.filter(authored_articles=article, rated_claims_count=1).count() == authors
    return len(ctx.captured_queries)


def test_publishing_costs_the_same_queries_for_one_or_many_affected_sources(ratings, reviewer, editor):
    publication_queries(ratings, reviewer, editor, authors=0)  # warms the editor's permission cache
    assert publication_queries(ratings, reviewer, editor, authors=1) == publication_queries(
        ratings, reviewer, editor, authors=12
    )


def test_recompute_sources_uses_four_queries_whatever_their_number(
    ratings, reviewer, editor, django_assert_num_queries
):
    sources = [person() for _ in range(10)]
    for source in sources:
        factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["mixed"], claimant=source)
    with django_assert_num_queries(4):
        recompute_sources([sources[0].pk])
    with django_assert_num_queries(4):
        recompute_sources([s.pk for s in sources])


def test_the_command_uses_a_fixed_number_of_statements(ratings, reviewer, editor):
    def statements_for_a_run():
        with CaptureQueriesContext(connection) as ctx:
            stats = recompute_all()
        return stats.statements, len(ctx.captured_queries)

    factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    small = statements_for_a_run()
    for slug in ["false", "mixed", "true", "mostly-true"] * 5:
        factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings[slug])
    assert statements_for_a_run() == small
    assert small[0] == 8  # lock, 2 temp tables, COPY out, COPY in, update, reset, drop


def test_the_command_reports_what_it_did(ratings, reviewer, editor, capsys):
    factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    call_command("recompute_credibility")
    out = capsys.readouterr().out
    assert "1 sources scored" in out
    assert "8 SQL statements" in out


def test_the_demo_sources_have_hand_computed_scorecards():
    call_command("load_demo", verbosity=0)
    by_slug = {s.slug: s for s in Source.objects.all()}
    # West Asia Desk asserts four claims with published verdicts: True ×2 (one after a correction
    # from Mostly true), Mostly true ×2 → α = 2 + 3.5, β = 2 + 0.5 → 5.5 / 8.
    desk = by_slug["west-asia-desk"]
    assert desk.credibility_score == pytest.approx(0.6875)
    assert desk.rating_counts == {"true": 2, "mostly-true": 2}
    # The 2021 analysis: True and Mixed → α = 3.5, β = 2.5 → 3.5 / 6.
    assert by_slug["caucasus-review"].credibility_score == pytest.approx(3.5 / 6)
    assert by_slug["paul-antonopoulos"].rating_counts == {"true": 1, "mixed": 1}
    # Only an Unverifiable verdict, and no verdict at all: no score either way.
    assert by_slug["commenter-anonymous"].credibility_score is None
    assert by_slug["commenter-anonymous"].rating_counts == {"unverifiable": 1}
    assert by_slug["government-of-iran"].credibility_score is None
    assert by_slug["government-of-iran"].rated_claims_count == 0
