"""generate_synthetic: realistic, constraint-respecting data loaded with COPY, appended safely."""

from collections import Counter, defaultdict

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db.models import Count, F

from claims.choices import ClaimStatus, VerdictStatus
from claims.figures import FigureForComparison, assess_measure
from claims.models import Appearance, Article, Claim, Figure, Measure, Source, Verdict
from claims.synthetic.rows import sizes

pytestmark = pytest.mark.django_db

CLAIMS = 400


def generate(**options):
    call_command("generate_synthetic", claims=CLAIMS, no_progress=True, batch=150, **options)


def test_it_creates_the_requested_sizes():
    generate()
    expected = sizes(CLAIMS)
    assert Claim.objects.count() == CLAIMS
    assert Source.objects.count() == expected["sources"] == CLAIMS // 10
    assert Article.objects.count() == expected["articles"]
    assert Measure.objects.count() == expected["measures"]
    assert set(Source.objects.values_list("kind", flat=True)) == {
        "outlet", "person", "organisation", "government", "anonymous",
    }  # fmt: skip
    per_claim = Counter(Appearance.objects.values("claim").annotate(n=Count("id")).values_list("n", flat=True))
    assert set(per_claim) <= {1, 2, 3} and sum(per_claim.values()) == CLAIMS
    figures = Counter(Figure.objects.values("appearance__claim").annotate(n=Count("id")).values_list("n", flat=True))
    assert set(figures) <= {1, 2, 3}


def test_it_keeps_the_workflow_consistent():
    generate()
    statuses = Counter(Claim.objects.values_list("status", flat=True))
    assert statuses[ClaimStatus.PUBLISHED] > CLAIMS / 2
    for claim in Claim.objects.filter(status=ClaimStatus.PUBLISHED).select_related("published_verdict"):
        assert claim.published_verdict.status == VerdictStatus.PUBLISHED
        assert claim.published_verdict.claim_id == claim.pk
    assert not Claim.objects.exclude(status=ClaimStatus.PUBLISHED).filter(published_verdict__isnull=False).exists()
    withdrawn = Claim.objects.filter(status=ClaimStatus.WITHDRAWN)
    assert all(
        c.verdicts.filter(status=VerdictStatus.WITHDRAWN).exclude(withdrawal_reason="").exists() for c in withdrawn
    )
    public = Verdict.objects.filter(status__in=[VerdictStatus.PUBLISHED, VerdictStatus.SUPERSEDED])
    assert not public.filter(approver=F("author")).exists()
    assert not public.filter(approver__isnull=True).exists()
    superseded = Verdict.objects.filter(status=VerdictStatus.SUPERSEDED)
    assert superseded.exists()
    for old in superseded:
        assert old.superseded_by.status == VerdictStatus.PUBLISHED
        assert old.superseded_by.correction_note
    assert Verdict.objects.filter(status__in=[VerdictStatus.DRAFT, VerdictStatus.SUBMITTED]).exists()
    assert not Verdict.objects.filter(claim__status=ClaimStatus.NEW).exists()


def test_it_only_shows_published_material_to_readers(plain_user):
    generate()
    visible = Claim.objects.visible_to(plain_user)
    assert visible.count() == Claim.objects.filter(status__in=["published", "withdrawn"]).count()
    assert not visible.filter(status__in=["new", "in_review"]).exists()


def test_it_writes_searchable_text():
    generate()
    assert Claim.objects.values("text").distinct().count() > CLAIMS * 0.95
    oil = Claim.objects.filter(search_vector=SearchQuery("oil", config="english")).count()
    assert 0 < oil < CLAIMS


def test_it_appends_when_run_twice():
    generate()
    generate()
    assert Claim.objects.count() == 2 * CLAIMS
    assert Source.objects.count() == 2 * sizes(CLAIMS)["sources"]
    # New rows after a synthetic run still get ids from the sequences.
    source = Source.objects.create(kind="person", name="After", slug="after-synthetic")
    assert source.pk > Source.objects.exclude(pk=source.pk).order_by("-pk").first().pk


def test_it_assesses_measures_as_the_figures_module_does(settings):
    generate()
    by_measure = defaultdict(list)
    public = Figure.objects.filter(appearance__claim__status__in=["published", "withdrawn"])
    for figure in public.select_related("appearance__claim"):
        by_measure[figure.measure_id].append(
            FigureForComparison(
                id=figure.pk,
                source_label=str(figure.appearance.claim.claimant_id),
                low=figure.low,
                high=figure.high,
                qualifier=figure.qualifier,
                unit=figure.unit,
                point_in_time=figure.point_in_time,
                rank=figure.rank,
            )
        )
    tolerance = settings.FACTCHECK_APPROXIMATE_TOLERANCE
    states = Counter()
    for measure in Measure.objects.all():
        expected = assess_measure(
            by_measure[measure.pk], measure_unit=measure.unit, tolerance=tolerance, window_days=None
        )
        assert measure.conflict_state == expected.state, measure.name
        states[measure.conflict_state] += 1
    assert states["disputed"] and states["consistent"]
