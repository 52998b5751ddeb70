"""Reader site: the source scorecard and the measure page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Verdict
from claims.tests import factories
from claims.tests.site_builders import draft_claim, figure, published_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(reviewer, editor, ratings):
    """A person with two published claims and one unpublished one."""
    source = factories.SourceFactory(name="Analyst Ann", slug="analyst-ann", kind="person", description="Writes a lot.")
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], claimant=source, text="Right claim.")
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claimant=source, text="Wrong claim.")
    draft_claim(reviewer=reviewer, rating=ratings["true"], claimant=source, text="Unpublished claim.")
    return source


def test_it_shows_the_score_with_its_interval_and_counts_per_rating(client, analyst):
    analyst.credibility_score, analyst.credibility_low, analyst.credibility_high = 0.62, 0.41, 0.8
    analyst.rated_claims_count = 2
    analyst.rating_counts = {"true": 1, "false": 1}
    analyst.save()

    html = client.get(analyst.get_absolute_url()).content.decode()

    assert "Analyst Ann" in html and "Person" in html and "Writes a lot." in html
    assert "62%" in html and "41%" in html and "80%" in html and "2 rated claims" in html
    assert '<svg class="chart chart--bars"' in html and "True: 1; Mostly true: 0" in html
    assert "Right claim." in html and "Wrong claim." in html
    assert "Unpublished claim." not in html


def test_it_says_not_enough_data_rather_than_zero(client, analyst):
    analyst.credibility_score = None
    analyst.rated_claims_count = 1
    analyst.rating_counts = {"true": "lots", "false": [1]}  # malformed cache: read as zero, never a 500
    analyst.save()

    response = client.get(analyst.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "Not enough data" in html and "0%" not in html
    assert "chart--bars" not in html


def test_it_draws_the_score_over_time_from_three_months_of_verdicts(client, analyst, reviewer, editor, ratings):
    assert "Record over time" not in client.get(analyst.get_absolute_url()).content.decode()
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["mixed"], claimant=analyst, text="Third claim.")
    verdicts = list(Verdict.objects.published().filter(claim__claimant=analyst).order_by("id"))
    for months_ago, verdict in zip((3, 2, 1), verdicts, strict=True):
        Verdict.objects.filter(pk=verdict.pk).update(
            published_at=timezone.now() - datetime.timedelta(days=31 * months_ago)
        )

    html = client.get(analyst.get_absolute_url()).content.decode()

    assert "Record over time" in html and '<svg class="chart chart--line"' in html
    assert "0.50 after 3 verdicts" in html  # (1.0 + 0.0 + 0.5) / 3


def test_it_answers_404_for_a_source_seen_only_in_unpublished_claims(client, reviewer, ratings):
    hidden = factories.SourceFactory(slug="hidden-source")
    draft_claim(reviewer=reviewer, rating=ratings["true"], claimant=hidden)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("claims:source-detail", kwargs={"slug": "nobody"})).status_code == 404


@pytest.mark.parametrize("count", [2, 10])
def test_it_renders_the_scorecard_with_a_fixed_number_of_queries(
    client, analyst, reviewer, editor, ratings, django_assert_num_queries, count
):
    topic = factories.TopicFactory()
    for _ in range(count):
        published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], claimant=analyst).topics.add(topic)
    # page generation, source, rating levels, claims page, their topics, score over time
    with django_assert_num_queries(6):
        client.get(analyst.get_absolute_url())


# --- Measure page ---------------------------------------------------------------------------


@pytest.fixture
def disputed_measure(reviewer, editor, ratings):
    measure = factories.MeasureFactory(name="Azeri population of Iran", slug="azeri-pop", unit="count")
    low = published_claim(reviewer=reviewer, editor=editor, rating=ratings["mixed"], text="Fifteen million claim.")
    high = published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], text="Thirty million claim.")
    hidden = draft_claim(reviewer=reviewer, rating=ratings["true"], text="Hidden claim.")
    a = figure(
        claim=low,
        measure=measure,
        reviewer=reviewer,
        quoted="15-18 million",
        low=15e6,
        high=18e6,
        qualifier="range",
        when=datetime.date(2021, 10, 1),
    )
    b = figure(
        claim=high,
        measure=measure,
        reviewer=reviewer,
        quoted="some 30 million",
        low=3e7,
        high=3e7,
        qualifier="approximate",
        when=datetime.date(2025, 11, 1),
    )
    c = figure(claim=hidden, measure=measure, reviewer=reviewer, quoted="77 million", low=77e6, high=77e6)
    measure.conflict_state = "disputed"
    measure.spread = 2
    measure.conflicts = [{"a": a.pk, "b": b.pk, "reason": "No overlap."}, {"a": a.pk, "b": c.pk, "reason": "Leak!"}]
    measure.save()
    return measure


def test_it_shows_every_public_figure_of_a_measure_as_a_range_chart(client, disputed_measure):
    html = client.get(disputed_measure.get_absolute_url()).content.decode()

    assert "Azeri population of Iran" in html and "Disputed: the sources disagree" in html
    assert '<svg class="chart chart--range"' in html
    assert "15-18 million" in html and "some 30 million" in html
    assert "15 million – 18 million" in html and "about 30 million" in html
    assert "No overlap." in html and html.count("⚠ conflict") == 2
    assert "The largest figure is 2× the smallest." in html
    assert "77 million" not in html and "Leak!" not in html and "Hidden claim." not in html


def test_it_explains_a_consistent_measure(client, disputed_measure):
    disputed_measure.conflict_state = "consistent"
    disputed_measure.conflicts = []
    disputed_measure.save()
    html = client.get(disputed_measure.get_absolute_url()).content.decode()
    assert "Consistent: the sources agree" in html and "⚠ conflict" not in html


def test_it_answers_404_for_a_measure_with_only_unpublished_figures(client, reviewer, ratings):
    measure = factories.MeasureFactory(slug="secret-measure")
    hidden = draft_claim(reviewer=reviewer, rating=ratings["true"])
    figure(claim=hidden, measure=measure, reviewer=reviewer, quoted="5", low=5, high=5)
    assert client.get(measure.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [1, 8])
def test_it_renders_the_measure_page_with_a_fixed_number_of_queries(
    client, disputed_measure, reviewer, editor, ratings, django_assert_num_queries, count
):
    for n in range(count):
        claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
        figure(claim=claim, measure=disputed_measure, reviewer=reviewer, quoted=f"{n}", low=n, high=n)
    # page generation, measure, the page's figure ids, those figures (with the first conflict
    # pairs')
    with django_assert_num_queries(4):
        client.get(disputed_measure.get_absolute_url())


def test_it_pages_a_measures_figures_and_still_names_both_sides_of_a_conflict(
    client, disputed_measure, reviewer, editor, ratings, monkeypatch
):
    monkeypatch.setattr("claims.views.measures.FIGURES_PER_MEASURE_PAGE", 1)
    first = client.get(disputed_measure.get_absolute_url()).content.decode()
    second = client.get(disputed_measure.get_absolute_url() + "?page=2").content.decode()
    # One figure per page, newest first (some 30 million is from 2025, 15-18 million from 2021) ...
    assert '<td data-label="Reading">about 30 million' in first
    assert '<td data-label="Reading">15 million – 18 million' not in first and 'rel="next"' in first
    assert '<td data-label="Reading">15 million – 18 million' in second and 'rel="prev"' in second
    # ... and the conflict is explained on both, naming both figures; the unpublished one never.
    for html in (first, second):
        assert "No overlap." in html and "some 30 million" in html and "15-18 million" in html
        assert "77 million" not in html and "Leak!" not in html
