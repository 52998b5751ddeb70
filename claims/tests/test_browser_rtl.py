"""Right-to-left pages in headless Chromium: the home page, a claim page with its range chart, a
source scorecard and the tip line, in Persian and Arabic (and, as the left-to-right check, English)
at 1280 and 375 px: `dir` on <html>, nothing wider than the window, no console errors, the language
switcher there; the range chart's number axis still reads left to right while its labels start at
the right edge, and the scorecard's bar chart mirrors. Screenshots go to FACTCHECK_SCREENSHOT_DIR
when it is set, else to a temporary directory. Skipped when Chromium is missing, unless FACTCHECK_REQUIRE_BROWSER=1."""

import os
from pathlib import Path

import pytest

from claims.tests.test_browser_reader import chromium, console_errors, demo_site, restore_seeded_rows  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = {
    "home": "/",
    "claim": "/claims/azeri-population-of-iran-15-18-million/",
    "scorecard": "/sources/paul-antonopoulos/",
    "tips": "/tips/",
}

# The elements reaching past the window's edges (either side: in a right-to-left page the
# overflow that widens the page is on the left), outermost first, to name the culprit.
OUTSIDE = """() => {
  const width = window.innerWidth, out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (box.right > width + 1 || box.left < -1) out.push(`${el.tagName}.${el.className} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
  }
  return out.slice(0, 8);
}"""

# The range chart: tick labels' centres from left to right in document order (the axis grows
# rightwards), and each row label's distance from the chart's right and left edges.
RANGE_CHART = """() => {
  const svg = document.querySelector('svg.chart--range');
  const frame = svg.getBoundingClientRect();
  const ticks = [...svg.querySelectorAll('text.tick')].map(t => { const b = t.getBoundingClientRect(); return (b.left + b.right) / 2; });
  const labels = [...svg.querySelectorAll('text.label, text.detail')].map(t => {
    const b = t.getBoundingClientRect();
    return {text: t.textContent, fromLeft: b.left - frame.left, fromRight: frame.right - b.right};
  });
  return {ticks, labels, width: frame.width};
}"""


# The scorecard's bar chart: every text inside the chart, and the first row's label and bar.
BAR_CHART = """() => {
  const svg = document.querySelector('svg.chart--bars');
  const frame = svg.getBoundingClientRect();
  const outside = [...svg.querySelectorAll('text')].filter(t => {
    const b = t.getBoundingClientRect(); return b.left < frame.left - 1 || b.right > frame.right + 1;
  }).map(t => t.textContent);
  const label = svg.querySelector('text').getBoundingClientRect(), bar = svg.querySelector('rect').getBoundingClientRect();
  return {outside, labelLeft: label.left, labelRight: label.right, barLeft: bar.left, barRight: bar.right};
}"""


@pytest.fixture
def shots(tmp_path) -> Path:
    directory = Path(os.environ.get("FACTCHECK_SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def read_pages(browser, base_url, language, width, shots):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = console_errors(page)
    prefix = "" if language == "en" else f"/{language}"
    try:
        for name, path in PAGES.items():
            response = page.goto(base_url + prefix + path)
            assert response.status == 200, (name, response.status)
            page.screenshot(path=str(shots / f"{name}-{language}-{width}.png"), full_page=True)
            html = page.locator("html")
            assert html.get_attribute("lang") == language, name
            assert html.get_attribute("dir") == ("ltr" if language == "en" else "rtl"), name
            widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], (name, widths, page.evaluate(OUTSIDE))
            # The switcher's list, opened, stays inside the window too.
            switcher = page.locator(".language-switcher summary")
            assert switcher.is_visible(), name
            switcher.click()
            assert page.locator(".language-switcher ul").is_visible(), name
            assert page.evaluate(OUTSIDE) == [], (name, page.evaluate(OUTSIDE))
            switcher.click()
            if name == "claim":
                chart = page.evaluate(RANGE_CHART)
                assert len(chart["ticks"]) >= 2 and chart["ticks"] == sorted(chart["ticks"]), chart["ticks"]
                for label in chart["labels"]:
                    assert label["fromLeft"] >= -1 and label["fromRight"] >= -1, label
                # Labels start at the page's reading edge: the right one in Persian and Arabic.
                near = "fromLeft" if language == "en" else "fromRight"
                assert all(label[near] < 0.06 * chart["width"] for label in chart["labels"]), chart["labels"]
                page.locator("svg.chart--range").first.screenshot(
                    path=str(shots / f"range-chart-{language}-{width}.png")
                )
            if name == "scorecard":
                # No number axis here, so the chart mirrors: labels on the page's starting side.
                bars = page.evaluate(BAR_CHART)
                assert bars["outside"] == [], bars
                if language == "en":
                    assert bars["labelRight"] <= bars["barLeft"], bars
                else:
                    assert bars["labelLeft"] >= bars["barRight"], bars
                page.locator("svg.chart--bars").first.screenshot(path=str(shots / f"bar-chart-{language}-{width}.png"))
        assert errors == [], errors
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["fa", "ar", "en"])
def test_the_reader_pages_fit_and_read_in_their_direction(chromium, demo_site, language, width, shots):  # noqa: F811
    chromium.run(read_pages, demo_site, language, width, shots)
