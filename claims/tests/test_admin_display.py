"""Display details in the admin and the charts, checked without a browser (test_browser_display.py
looks at the same pages in Chromium)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from claims import services
from claims.charts import DETAIL_CHARS, LABEL_CHARS, RangeRow, fit, range_chart
from claims.tests import factories

pytestmark = pytest.mark.django_db


def test_it_shows_an_empty_approver_in_the_history_as_a_dash(client, reviewer, editor, ratings):
    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    client.force_login(reviewer)
    html = client.get(reverse("admin:claims_verdict_history", args=[claim.published_verdict_id])).content.decode()
    assert "<strong>Approver:</strong>" in html
    assert "pk=None" not in html and "Deleted user" not in html
    assert re.search(r"<strong>Approver:</strong>\s*—\s*&nbsp;&rarr;&nbsp;&nbsp;eddie-editor", html)


def test_it_marks_an_unpublished_claims_figure_not_compared_instead_of_no_figures(client, reviewer):
    measure = factories.MeasureFactory(name="Port workers")
    claim = factories.ClaimFactory()
    appearance = services.add_appearance(claim=claim, article=factories.ArticleFactory(), by=reviewer, quote="q")
    services.record_figure(
        appearance=appearance,
        measure=measure,
        by=reviewer,
        quoted_text="12,000",
        low=Decimal(12000),
        high=Decimal(12000),
    )
    client.force_login(reviewer)
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    panel = html.split('class="fc-panel"', 1)[1].split("</table>", 1)[0]
    assert "Port workers" in panel and "not compared yet" in panel and "No figures" not in panel


def test_it_shortens_a_range_charts_long_labels_and_keeps_them_whole_in_the_tooltip():
    long_name = "Example social media account of a very long name (demo)"
    svg = range_chart(
        [
            RangeRow(
                label=long_name, detail="“some 30 million” · Nov 2025 · " + "x" * 40, low=30, high=30, highlighted=True
            )
        ],
        title="Figures",
    )
    labels = [part.split(">", 1)[1].split("</text>", 1)[0] for part in svg.split('<text class="label"')[1:]]
    details = [part.split(">", 1)[1].split("</text>", 1)[0] for part in svg.split('<text class="detail"')[1:]]
    assert len(labels[0]) <= LABEL_CHARS and labels[0].endswith("… (this claim)")
    assert len(details[0]) <= DETAIL_CHARS and details[0].endswith("…")
    assert f"<title>{long_name} (this claim): " in svg


def test_it_counts_chinese_characters_twice_when_fitting_a_chart_label():
    assert fit("錯誤" * 20, 10) == "錯誤錯誤…"
    assert fit("short", 10) == "short"
    assert fit("x" * 11, 10) == "x" * 9 + "…"
