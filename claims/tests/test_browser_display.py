"""Display details, in headless Chromium, with screenshots: the ingest result's title link is
readable, history never shows "Deleted user (pk=None)" for an empty approver, an unpublished
claim's figure row carries no "No figures" badge, the admin's evidence and appearance inlines fit
1280 px, and the range chart's labels fit inside the chart at 375 px.

Screenshots go to FACTCHECK_SCREENSHOT_DIR when it is set, else to a temporary directory.
"""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, Measure, Verdict
from claims.tests import factories
from claims.tests.test_browser_reader import chromium, console_errors, demo_site, restore_seeded_rows  # noqa: F401
from claims.tests.test_browser_workspace import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def shots(tmp_path) -> Path:
    directory = Path(os.environ.get("FACTCHECK_SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


# WCAG relative luminance and contrast of two computed CSS colours ("rgb(r, g, b)").
CONTRAST = """([a, b]) => {
  const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}"""

OVERFLOWING = """() => {
  const out = [];
  for (const el of document.querySelectorAll('#content-main *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > document.documentElement.clientWidth + 1) out.push(el.tagName + '.' + el.className);
  }
  return out.slice(0, 5);
}"""


def admin_pages(browser, base_url, username, urls, shots):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = console_errors(page)
    try:
        log_in(page, base_url, username)
        # The ingest result: its title link on the module's coloured heading bar.
        page.goto(base_url + urls["ingest"])
        page.get_by_label("Url").fill("https://news.example.org/port-distance")
        page.get_by_label("Title").fill("Port opens 450 km from Baku")
        page.get_by_label("Text").fill(
            "Port opens 450 km from Baku\n\nThe new port lies 450 km from Baku, officials said on Monday. "
            "The government said 12,000 people will work there by 2027."
        )
        page.get_by_role("button", name="Store and propose claims").click()
        link = page.locator(".module h2 a").first
        link.wait_for()
        colours = link.evaluate("a => [getComputedStyle(a).color, getComputedStyle(a.closest('h2')).backgroundColor]")
        assert page.evaluate(CONTRAST, colours) >= 4.5, colours
        page.screenshot(path=str(shots / "ingest-result-1280.png"), full_page=True)

        # History of a published verdict: the approver went from nobody to an editor.
        page.goto(base_url + urls["history"])
        history = page.locator("#change-history").inner_text()
        assert "Approver" in history and "pk=None" not in history and "Deleted user" not in history, history
        page.screenshot(path=str(shots / "verdict-history-1280.png"), full_page=True)

        # An unpublished claim with a figure: no "No figures" badge beside that figure.
        page.goto(base_url + urls["claim"])
        panel = page.locator("table.fc-panel").first
        panel.wait_for()
        assert "No figures" not in panel.inner_text(), panel.inner_text()
        # Its appearances inline fits the content area at 1280 px.
        inline = page.locator("#appearances-group")
        inline.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "claim-admin-1280.png"), full_page=True)
        assert page.evaluate(OVERFLOWING) == [], page.evaluate(OVERFLOWING)

        # A draft verdict's evidence inline fits too.
        page.goto(base_url + urls["verdict"])
        page.locator("#evidence-group").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "verdict-admin-1280.png"), full_page=True)
        assert page.evaluate(OVERFLOWING) == [], page.evaluate(OVERFLOWING)
        assert errors == []
    finally:
        page.close()


def test_it_shows_the_admin_pages_readable_and_within_1280_px(chromium, demo_site, reviewer, editor, ratings, shots):  # noqa: F811
    published = Verdict.objects.filter(status="published").order_by("id").first()
    measure = Measure.objects.create(name="Workers at the new port", slug="port-workers", unit="count")
    claim = services.start_review(claim=factories.ClaimFactory(text="The port will employ 12,000 people."), by=reviewer)
    appearance = services.add_appearance(
        claim=claim, article=factories.ArticleFactory(), by=reviewer, quote="12,000 people will work there"
    )
    services.record_figure(
        appearance=appearance,
        measure=measure,
        by=reviewer,
        quoted_text="12,000",
        low=Decimal(12000),
        high=Decimal(12000),
    )
    draft = services.create_verdict(
        claim=claim,
        rating=ratings["true"],
        summary="Matches the ministry's plan.",
        by=reviewer,
        evidence=[{"url": "https://example.org/a-rather-long/path/to/the/ministry/plan.pdf", "title": "Plan"}],
    )
    urls = {
        "ingest": reverse("claims-ingest-article"),
        "history": reverse("admin:claims_verdict_history", args=[published.pk]),
        "claim": reverse("admin:claims_claim_change", args=[claim.pk]),
        "verdict": reverse("admin:claims_verdict_change", args=[draft.pk]),
    }
    chromium.run(admin_pages, demo_site, reviewer.username, urls, shots)


CLIPPED = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.chart--range')) {
    const frame = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll('text')) {
      const box = text.getBoundingClientRect();
      if (box.left < frame.left - 1 || box.right > frame.right + 1) out.push(text.textContent);
    }
  }
  return out;
}"""


def range_chart_labels(browser, base_url, paths, width, shots):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        for n, path in enumerate(sorted(paths, key=lambda p: "30-million" not in p)):  # the longest label first
            page.goto(base_url + path)
            assert page.locator("svg.chart--range").count() >= 1, path
            clipped = page.evaluate(CLIPPED)
            assert clipped == [], (path, clipped)
            if n == 0:
                page.locator("svg.chart--range").first.screenshot(path=str(shots / f"range-chart-{width}.png"))
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_it_keeps_the_range_charts_labels_inside_the_chart(chromium, demo_site, width, shots):  # noqa: F811
    paths = [
        claim.get_absolute_url()
        for claim in Claim.objects.public().filter(appearances__figures__isnull=False).distinct()
    ]
    paths += [measure.get_absolute_url() for measure in Measure.objects.public()]
    assert len(paths) >= 3
    chromium.run(range_chart_labels, demo_site, paths, width, shots)
