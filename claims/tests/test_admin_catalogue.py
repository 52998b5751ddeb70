"""Sources, articles, measures, appearances and figures in the admin."""

import re

import pytest
from django.urls import reverse

from claims.models import Figure
from claims.tests import factories

pytestmark = pytest.mark.django_db


def _figure_formset(rows, *, initial=0):
    data = {
        "figures-TOTAL_FORMS": str(len(rows)),
        "figures-INITIAL_FORMS": str(initial),
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"figures-{i}-{key}": value for key, value in row.items()})
    return data


def _appearance_form(appearance):
    return {
        "claim": appearance.claim_id,
        "article": appearance.article_id,
        "quote": appearance.quote,
        "voice": appearance.voice,
        "attributed_to": "",
    }


@pytest.mark.parametrize(
    "url_name",
    ["claims_claim_add", "claims_article_add", "claims_appearance_add", "claims_figure_add", "claims_verdict_add"],
)
def test_it_uses_autocomplete_for_every_foreign_key(client, reviewer, url_name):
    for _ in range(3):
        factories.AppearanceFactory()
    client.force_login(reviewer)
    page = client.get(reverse(f"admin:{url_name}")).content.decode()
    selects = re.findall(r"<select[^>]*>", page)
    foreign = [
        s
        for s in selects
        if "admin-autocomplete" not in s
        and re.search(
            r'name="[^"]*(claim|article|source|outlet|authors|parent|claimant|topics|measure|appearance|attributed_to)"',
            s,
        )
    ]
    assert not foreign, foreign
    assert "admin-autocomplete" in page
    # and no option lists every source / article
    assert "Source 0" not in page and "Article 0" not in page


def test_it_shows_a_sources_scorecard_and_links_to_its_claims(client, reviewer, ratings):
    source = factories.SourceFactory(
        credibility_score=0.31, credibility_low=0.12, credibility_high=0.55, rated_claims_count=4,
        rating_counts={"false": 3, "mostly-true": 1},
    )  # fmt: skip
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_source_change", args=[source.pk])).content.decode()
    assert "Credibility 0.31" in page and "0.12–0.55" in page and "from 4 rated claims" in page
    assert re.search(r">False</span></td>\s*<td>3</td>", page)
    queue = reverse("admin:claims_claim_changelist")
    assert f"{queue}?claimant={source.pk}" in page and f"{queue}?outlet={source.pk}" in page


def test_it_shows_a_measures_figures_side_by_side_with_conflicts_marked(client, reviewer):
    measure = factories.MeasureFactory(name="Azeri population of Iran", unit="count")
    for quoted, low, high in (("15-18 million", 15e6, 18e6), ("30 million", 30e6, 30e6), ("16 million", 16e6, 16e6)):
        factories.FigureFactory(measure=measure, quoted_text=quoted, low=low, high=high, qualifier="range")
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_measure_change", args=[measure.pk])).content.decode()
    assert "2 conflicting pairs" in page
    assert page.count('class="fc-conflict"') == 3  # 30 million conflicts with both others
    assert "<svg" in page and "“15-18 million”" in page


def test_it_validates_figure_bounds_in_the_inline(client, reviewer):
    appearance = factories.AppearanceFactory()
    measure = factories.MeasureFactory()
    client.force_login(reviewer)
    url = reverse("admin:claims_appearance_change", args=[appearance.pk])
    row = {
        "measure": measure.pk,
        "quoted_text": "18-15",
        "low": "18",
        "high": "15",
        "qualifier": "range",
        "rank": "normal",
    }
    response = client.post(url, {**_appearance_form(appearance), **_figure_formset([row])})
    assert response.status_code == 200
    assert "The upper bound must not be below the lower bound." in response.content.decode()
    no_bound = {**row, "low": "", "high": ""}
    response = client.post(url, {**_appearance_form(appearance), **_figure_formset([no_bound])})
    assert "Give at least one bound" in response.content.decode()
    deprecated = {**row, "low": "15", "high": "18", "rank": "deprecated"}
    response = client.post(url, {**_appearance_form(appearance), **_figure_formset([deprecated])})
    assert "Say why this figure is deprecated." in response.content.decode()
    assert not Figure.objects.exists()


def test_it_saves_an_inline_figure_and_refreshes_the_measures_conflict_state(
    client, reviewer, editor, ratings, django_capture_on_commit_callbacks
):
    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    appearance = factories.AppearanceFactory(claim=claim)
    measure = factories.MeasureFactory(unit="percent")
    assert measure.conflict_state == "no_figures"
    client.force_login(reviewer)
    url = reverse("admin:claims_appearance_change", args=[appearance.pk])
    row = {
        "measure": measure.pk,
        "quoted_text": "40%",
        "low": "40",
        "high": "40",
        "qualifier": "exact",
        "rank": "normal",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**_appearance_form(appearance), **_figure_formset([row])})
    assert response.status_code == 302
    figure = Figure.objects.get()
    assert figure.unit == "percent"
    assert figure.history.get().history_user == reviewer
    measure.refresh_from_db()
    assert measure.conflict_state == "single_source"


def test_it_searches_sources_for_the_autocomplete(client, reviewer):
    factories.SourceFactory(name="Tehran Times")
    factories.SourceFactory(name="Baku Daily")
    client.force_login(reviewer)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "tehran", "app_label": "claims", "model_name": "claim", "field_name": "claimant"},
    )
    assert [item["text"] for item in response.json()["results"]] == ["Tehran Times"]


def test_it_draws_the_measures_chart_with_the_readers_renderer_escaped_once(client, reviewer):
    measure = factories.MeasureFactory(name="Azeri <population> & more", unit="count")
    for quoted, low, high in (("<b>15</b> & 18 million", 15e6, 18e6), ("30 million", 30e6, 30e6)):
        factories.FigureFactory(measure=measure, quoted_text=quoted, low=low, high=high, qualifier="range")
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_measure_change", args=[measure.pk])).content.decode()
    assert '<svg class="chart chart--range"' in page
    start = page.index('<svg class="chart chart--range"')
    chart = page[start : page.index("</svg>", start)]
    assert "Figures given for: Azeri &lt;population&gt; &amp; more" in chart
    assert "“&lt;b&gt;15&lt;/b&gt; &amp; 18 million”" in chart
    assert "<b>" not in chart and "&amp;lt;" not in chart
    assert chart.count("⚠ ") == 2  # both figures conflict, marked by text as well as colour
