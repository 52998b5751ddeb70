"""The reviewers' way around, in headless Chromium at 1280 and 375 px: the admin opens on the
workspace, whose lists and intake links are visible and usable without sideways scrolling.

Screenshots go to FACTCHECK_SCREENSHOT_DIR when it is set (to look at them), else to a temporary
directory. Skipped when Chromium is missing, unless FACTCHECK_REQUIRE_BROWSER=1 (CI).
"""

import os
from pathlib import Path

import pytest

from claims import services
from claims.models import Claim
from claims.tests.test_browser_reader import chromium, console_errors, demo_site, restore_seeded_rows  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def shots(tmp_path) -> Path:
    directory = Path(os.environ.get("FACTCHECK_SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def log_in(page, base_url, username):
    page.goto(base_url + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-" + username)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def open_workspace(browser, base_url, width, username, assigned_text, shot):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = console_errors(page)
    try:
        log_in(page, base_url, username)
        for heading in ("Assigned to me", "Verdicts waiting for an editor", "New claims, oldest first"):
            assert page.get_by_role("heading", name=heading).is_visible(), heading
        assert page.get_by_role("link", name=assigned_text[:60], exact=False).first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # The four lists sit side by side in pairs at desktop width, one under another on a phone.
        boxes = [page.locator(".fc-ws").nth(n).bounding_box() for n in range(2)]
        if width >= 1280:
            assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[0]["width"] >= 360
        else:
            assert boxes[1]["y"] > boxes[0]["y"] and boxes[0]["width"] <= width
        page.screenshot(path=str(shot), full_page=True)
        page.get_by_role("link", name="Ingest an article").click()
        page.wait_for_url("**/admin/ingest-article/")
        assert page.get_by_role("button", name="Store and propose claims").is_visible()
        assert errors == []
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_it_opens_the_admin_on_the_reviewers_workspace(chromium, demo_site, reviewer, width, shots):  # noqa: F811
    claim = Claim.objects.filter(status="new").order_by("id").first()
    services.start_review(claim=claim, by=reviewer)
    shot = shots / f"workspace-{width}.png"
    chromium.run(open_workspace, demo_site, width, reviewer.username, claim.text, shot)
    assert shot.stat().st_size > 10_000
