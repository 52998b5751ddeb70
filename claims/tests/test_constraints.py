"""Each database constraint refuses bad data, even when the ORM's validation is bypassed."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from claims.choices import VerdictStatus
from claims.models import Article, Claim, Figure, RatingLevel, Source, Verdict
from claims.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    FigureFactory,
    MeasureFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def refuses(callable_, *args, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)


def test_it_refuses_figure_bounds_in_the_wrong_order():
    figure = FigureFactory.build(appearance=AppearanceFactory(), measure=MeasureFactory(), low=18, high=15)
    refuses(figure.save)


def test_it_refuses_a_figure_without_any_bound():
    figure = FigureFactory.build(appearance=AppearanceFactory(), measure=MeasureFactory(), low=None, high=None)
    refuses(figure.save)


def test_it_refuses_a_deprecated_figure_without_reason():
    figure = FigureFactory.build(appearance=AppearanceFactory(), measure=MeasureFactory(), rank="deprecated")
    refuses(figure.save)


def test_it_accepts_open_ended_figures():
    FigureFactory(low=10_000_000, high=None, qualifier="at_least")
    FigureFactory(low=None, high=5000, qualifier="at_most")
    assert Figure.objects.count() == 2


def test_it_refuses_duplicate_slugs_and_urls():
    source = SourceFactory()
    refuses(Source.objects.create, kind="outlet", name="Other", slug=source.slug)
    claim = ClaimFactory()
    refuses(Claim.objects.create, text="x", slug=claim.slug)
    article = ArticleFactory()
    refuses(Article.objects.create, url=article.url)


def test_it_refuses_an_article_that_is_its_own_parent():
    article = ArticleFactory()
    article.parent_id = article.pk
    refuses(article.save)


def test_it_refuses_a_second_published_verdict_for_a_claim(ratings, reviewer, editor):
    claim = ClaimFactory()
    now = timezone.now()
    Verdict.objects.create(
        claim=claim,
        rating=ratings["true"],
        summary="a",
        status=VerdictStatus.PUBLISHED,
        published_at=now,
        author=reviewer,
        approver=editor,
    )
    refuses(
        Verdict.objects.create,
        claim=claim,
        rating=ratings["false"],
        summary="b",
        status=VerdictStatus.PUBLISHED,
        published_at=now,
        author=reviewer,
        approver=editor,
    )
    # Superseded and draft verdicts may coexist with the published one.
    Verdict.objects.create(claim=claim, rating=ratings["false"], summary="c", status=VerdictStatus.SUPERSEDED)
    Verdict.objects.create(claim=claim, rating=ratings["false"], summary="d")


def test_it_refuses_a_verdict_approved_by_its_author(ratings, editor):
    refuses(
        Verdict.objects.create,
        claim=ClaimFactory(),
        rating=ratings["true"],
        summary="a",
        author=editor,
        approver=editor,
    )


def test_it_refuses_a_published_verdict_without_date_and_a_withdrawal_without_reason(ratings):
    claim = ClaimFactory()
    refuses(Verdict.objects.create, claim=claim, rating=ratings["true"], summary="a", status=VerdictStatus.PUBLISHED)
    refuses(Verdict.objects.create, claim=claim, rating=ratings["true"], summary="a", status=VerdictStatus.WITHDRAWN)


def test_it_refuses_rating_levels_out_of_scale(ratings):
    refuses(RatingLevel.objects.create, slug="x", label="X", ordinal=9, truth_weight=0.5, colour="#000000")
    refuses(RatingLevel.objects.create, slug="y", label="Y", ordinal=None, truth_weight=0.5, colour="#000000")
    refuses(RatingLevel.objects.create, slug="z", label="Z", ordinal=None, truth_weight=None, colour="red")


def test_it_refuses_credibility_outside_the_unit_interval():
    source = SourceFactory()
    refuses(Source.objects.filter(pk=source.pk).update, credibility_score=1.5)
    refuses(Source.objects.filter(pk=source.pk).update, credibility_low=0.8, credibility_high=0.2)


def test_seeded_scale_matches_claimreview_ordinals(ratings):
    assert [(r.slug, r.ordinal) for r in RatingLevel.objects.all()] == [
        ("true", 5),
        ("mostly-true", 4),
        ("mixed", 3),
        ("mostly-false", 2),
        ("false", 1),
        ("unverifiable", None),
    ]


def test_search_vector_is_generated_by_the_database():
    claim = ClaimFactory(text="Azerbaijan supplied oil to Israel")
    assert Claim.objects.filter(pk=claim.pk, search_vector="supplies").exists()


def test_search_opens_word_seams_on_both_sides_and_keeps_the_gin_index():
    claim = ClaimFactory(text="Covid-19 reached Nagorno-Karabakh")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM claims_claim WHERE id = %s", [claim.pk])
        assert cursor.fetchone()[0] == "'19':2 'covid':1 'karabakh':5 'nagorno':4 'reach':3"
        # A tiny table: make the planner show its hand. A GIN index is read only by a bitmap scan;
        # with plain index scans off too, an ordered walk of another index cannot stand in for it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = Claim.objects.search("COVID19 nagorno karabakh").explain()
    assert "claim_search_idx" in plan, plan
    assert list(Claim.objects.search("COVID19 nagorno karabakh")) == [claim]
