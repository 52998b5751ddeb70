"""The reader's way around, in headless Chromium at 1280 and 375 px: the source and measure
indexes, the claim list's filters, and the pages' display details.

Screenshots go to FACTCHECK_SCREENSHOT_DIR when it is set (to look at them), else to a temporary
directory. Skipped when Chromium is missing, unless FACTCHECK_REQUIRE_BROWSER=1 (CI).
"""

import os
from pathlib import Path

import pytest

from claims.tests.test_browser_reader import chromium, console_errors, demo_site, restore_seeded_rows  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WIDTHS = pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])


@pytest.fixture
def shots(tmp_path) -> Path:
    directory = Path(os.environ.get("FACTCHECK_SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def fits(page, width):
    wide = page.evaluate(
        """w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
                 .slice(0, 5).map(e => e.tagName + '.' + e.className)""",
        width,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"the page scrolls sideways: {wide}"


def browse_indexes(browser, base_url, width, shots):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = console_errors(page)
    try:
        page.goto(base_url + "/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sources").click()
        page.wait_for_url("**/sources/")
        assert page.get_by_role("heading", level=1).inner_text() == "Sources"
        page.get_by_label("Sort by").select_option("rated")
        page.get_by_label("Kind").select_option("person")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url("**/sources/?**")
        first = page.locator(".index-row__name").first
        assert first.is_visible()
        fits(page, width)
        page.screenshot(path=str(shots / f"sources-{width}.png"), full_page=True)
        page.get_by_label("Country").fill("A1")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url("**country=A1**")
        assert page.get_by_role("alert").is_visible()
        assert page.locator(".index-row").count() == 0
        fits(page, width)

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Measures").click()
        page.wait_for_url("**/measures/")
        page.get_by_label("Agreement").select_option("disputed")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url("**/measures/?**")
        rows = page.locator(".index-row")
        assert rows.count() >= 1 and "Disputed" in rows.first.inner_text()
        fits(page, width)
        page.screenshot(path=str(shots / f"measures-{width}.png"), full_page=True)

        page.goto(base_url + "/claims/?disputed=yes")
        assert page.locator(".claim-row").count() >= 1
        fits(page, width)
        page.goto(base_url + "/claims/?claimant=no-such-person")
        assert page.get_by_role("alert").is_visible() and page.locator(".claim-row").count() == 0
        page.screenshot(path=str(shots / f"claims-invalid-filter-{width}.png"), full_page=True)
        assert errors == []
    finally:
        page.close()


@WIDTHS
def test_it_lets_a_reader_browse_sources_and_measures(chromium, demo_site, width, shots):  # noqa: F811
    chromium.run(browse_indexes, demo_site, width, shots)
