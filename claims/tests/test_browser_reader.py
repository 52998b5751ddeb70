"""End to end in headless Chromium: a reader searches, opens a claim, sees the rating and the
figures chart, and follows the claimant to their scorecard, at desktop width and at 375 px.

Skipped when Chromium is missing, unless FACTCHECK_REQUIRE_BROWSER=1 (CI), where that fails.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; serialized rollback brings back the rows the
    # migrations seeded (rating scale, groups) before each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class BrowserThread:
    """Chromium driven from its own thread. Playwright's sync API runs an asyncio loop in the thread
    that starts it, and Django refuses ORM calls (and swaps connection objects) in such a thread;
    keeping Playwright off the test thread leaves the database machinery untouched."""

    def __init__(self):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._executor.submit(self._start).result()

    def _start(self):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

    def run(self, scenario, *args):
        """Run `scenario(browser, *args)` in the browser thread; its assertion errors re-raise here."""
        return self._executor.submit(scenario, self.browser, *args).result(timeout=120)

    def close(self):
        def stop():
            self.browser.close()
            self._playwright.stop()

        self._executor.submit(stop).result()
        self._executor.shutdown()


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("FACTCHECK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"FACTCHECK_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed")
    thread = BrowserThread()
    yield thread
    thread.close()


@pytest.fixture(scope="module", autouse=True)
def restore_seeded_rows(django_db_setup, django_db_blocker):
    """Django restores the serialized rows at the *start* of the next such test, so the last one
    leaves the tables flushed; with --reuse-db the kept test database would lose its rating scale
    and groups. Put them back when this module is done."""
    yield
    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def demo_site(chromium, live_server, settings):
    # The live server finds static files by their plain names; after a `make run` (collectstatic)
    # the manifest storage would link hashed names it cannot find, and the page would lose its CSS.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("load_demo", verbosity=0)
    return live_server.url


def console_errors(page) -> list[str]:
    """Collects what the browser reports as errors: failed loads and CSP refusals among them."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def search_open_and_follow(browser, base_url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = console_errors(page)
    try:
        page.goto(base_url + "/")
        page.get_by_role("link", name="Claims", exact=True).click()
        page.get_by_label("Search", exact=True).fill("Azeris Iran million")
        page.get_by_role("button", name="Apply").click()
        page.get_by_role("link", name="Between 15 and 18 million ethnic Azeris live in Iran.").click()

        page.wait_for_url("**/claims/azeri-population-of-iran-15-18-million/")
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading == "Between 15 and 18 million ethnic Azeris live in Iran."
        badge = page.locator(".verdict .badge").first
        assert badge.is_visible() and "Mixed" in badge.inner_text()
        # The rating's colour (from /ratings.css) reaches the badge: #b08800 is Mixed on the scale.
        assert badge.evaluate("b => getComputedStyle(b).borderTopColor") == "rgb(176, 136, 0)", errors
        chart = page.locator("svg.chart--range").first
        chart.scroll_into_view_if_needed()
        assert chart.is_visible() and chart.bounding_box()["width"] <= width
        # An asserted figure is its outlet's word (Appearance.sayer), a reported one its speaker's.
        assert page.locator("svg.chart--range text", has_text="Caucasus Review").count() == 1
        assert page.locator("svg.chart--range text", has_text="Example social media account").count() == 1
        # Nothing overflows sideways: readable without horizontal scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        page.get_by_role("link", name="Paul Antonopoulos").first.click()
        page.wait_for_url("**/sources/paul-antonopoulos/")
        assert page.get_by_role("heading", level=1).inner_text() == "Paul Antonopoulos"
        assert page.get_by_role("heading", name="Credibility").is_visible()
        assert page.get_by_text("More Azeris live in Iran than the entire population of Azerbaijan.").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("svg.interval").is_visible()
        assert errors == []
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_it_takes_a_reader_from_search_to_verdict_to_scorecard(chromium, demo_site, width):
    chromium.run(search_open_and_follow, demo_site, width)


def read_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(base_url + "/claims/?q=corridor")
        page.get_by_role("link", name="99 years").first.click()
        assert page.locator(".verdict .badge").first.inner_text().strip().endswith("Mostly true")
        assert page.locator("svg.chart--range").count() == 1
    finally:
        context.close()


def test_it_reads_without_javascript(chromium, demo_site):
    chromium.run(read_without_javascript, demo_site)


def read_a_corrected_claim(browser, url, screenshot):
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    errors = console_errors(page)
    try:
        page.goto(url)
        evidence = page.locator("section[aria-labelledby=evidence]")
        assert evidence.get_by_role("link", name="Census tables").is_visible()
        assert evidence.get_by_role("link", name="Census 2026").is_visible()
        assert "No evidence links" not in evidence.inner_text()
        history = page.locator("#history + .history")
        assert "Correction: The 2026 census replaces the estimate." in history.inner_text()
        assert history.get_by_text("No longer cited:").is_visible()
        assert history.get_by_role("link", name="Old blog estimate").is_visible()
        page.screenshot(path=str(screenshot), full_page=True)
        assert errors == []
    finally:
        page.close()


def imported_review_page(browser, base_url, width, shot):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = console_errors(page)
    try:
        page.goto(base_url + "/claims/the-new-port-handles-more-cargo-than-every-other-caspian-port-combined/")
        label = page.locator(".imported__original")
        assert label.is_visible() and label.inner_text() == "“Pants on Fire!”"
        block = page.locator("#imported-review")
        assert "PolitiFact" in block.inner_text() and "on our scale: False" in block.inner_text()
        link = page.get_by_role("link", name="read their review")
        assert link.get_attribute("href") == IMPORTED_REVIEW_URL
        assert page.locator('script[type="application/ld+json"]').count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator(".verdict").screenshot(path=str(shot))
        assert errors == []
    finally:
        page.close()


def test_a_published_correction_shows_the_evidence_it_kept(
    chromium, live_server, settings, tmp_path, reviewer, editor, second_editor, ratings
):
    from claims import services
    from claims.tests import factories

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    claim = factories.ClaimFactory(text="Iran counts 15 million Azeris.")
    first = services.create_verdict(
        claim=claim, rating=ratings["mixed"], summary="Estimates vary.", by=reviewer, evidence=[
            {"url": "https://stats.example.org/census", "title": "Census tables", "publisher": "Statistics Office"},
            {"url": "https://blog.example.org/estimate", "title": "Old blog estimate"},
        ],
    )  # fmt: skip
    first = services.publish_verdict(verdict=services.submit_verdict(verdict=first, by=reviewer), by=editor)
    correction = services.draft_correction(
        verdict=first, by=reviewer, rating=ratings["mostly-false"], summary="The census says 12 million.",
        correction_note="The 2026 census replaces the estimate.",
    )  # fmt: skip
    dropped = correction.evidence.get(url="https://blog.example.org/estimate")
    services.delete_evidence(evidence=dropped, by=reviewer)
    services.add_evidence(verdict=correction, by=reviewer, url="https://stats.example.org/2026", title="Census 2026")
    services.publish_verdict(verdict=services.submit_verdict(verdict=correction, by=reviewer), by=second_editor)
    screenshot = tmp_path / "corrected-claim.png"
    chromium.run(read_a_corrected_claim, live_server.url + claim.get_absolute_url(), screenshot)
    assert screenshot.stat().st_size > 10_000


IMPORTED_REVIEW_URL = "https://www.politifact.example/factchecks/2026/jan/05/ports-pants/"


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_an_imported_review_shows_its_own_label_and_publisher(chromium, demo_site, width, tmp_path):
    import json

    from claims.ingest.claimreview_import import ImportInput, import_claimreview

    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": IMPORTED_REVIEW_URL,
        "datePublished": "2026-01-05",
        "author": {"@type": "Organization", "name": "PolitiFact", "url": "https://www.politifact.example/"},
        "claimReviewed": "The new port handles more cargo than every other Caspian port combined.",
        "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire!"},
    }
    import_claimreview([ImportInput.from_bytes("one.json", json.dumps(review).encode())])
    shot = tmp_path / f"imported-review-{width}.png"
    chromium.run(imported_review_page, demo_site, width, shot)
    assert shot.stat().st_size > 2000  # a real rendering of the verdict box, kept for a look


def read_the_feed(browser, url, screenshot):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        response = page.goto(url)
        assert response.headers["content-type"].startswith("application/atom+xml")
        text = page.locator("body").inner_text()
        assert "Withdrawn: Baku is 450 km from Nakhchivan." in text
        assert "Reason: The distance was measured by road, not in a straight line." in text
        assert text.index("Withdrawn: Baku") < text.index("True: Baku")  # newest first
        page.screenshot(path=str(screenshot), full_page=True)
    finally:
        page.close()


def test_a_withdrawal_reaches_feed_subscribers(chromium, live_server, tmp_path, reviewer, editor, ratings):
    from claims import services
    from claims.tests import factories

    claim = factories.ClaimFactory(text="Baku is 450 km from Nakhchivan.")
    verdict = services.create_verdict(claim=claim, rating=ratings["true"], summary="By road, yes.", by=reviewer)
    verdict = services.publish_verdict(verdict=services.submit_verdict(verdict=verdict, by=reviewer), by=editor)
    reason = "The distance was measured by road, not in a straight line."
    services.withdraw_verdict(verdict=verdict, by=editor, reason=reason)
    screenshot = tmp_path / "feed.png"
    chromium.run(read_the_feed, live_server.url + "/feed/", screenshot)
    assert screenshot.stat().st_size > 10_000
