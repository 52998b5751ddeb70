"""An editor merges a duplicate in the admin, in headless Chromium: the claim's page offers the
merge, the confirmation page lists what will move before anything changes, confirming lands on
the survivor, and the merged claim's old reader URL leads there.

Screenshots go to FACTCHECK_SCREENSHOT_DIR when it is set (to look at them), else to a temporary
directory. Skipped when Chromium is missing, unless FACTCHECK_REQUIRE_BROWSER=1 (CI).
"""

import pytest

from claims.choices import ClaimStatus
from claims.models import Claim, MergeRecord
from claims.tests.test_browser_reader import chromium, console_errors, demo_site, restore_seeded_rows  # noqa: F401
from claims.tests.test_browser_workspace import log_in, shots  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def merge_in_the_admin(browser, base_url, username, merged, survivor, shot):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = console_errors(page)
    try:
        log_in(page, base_url, username)
        page.goto(f"{base_url}/admin/claims/claim/{merged.pk}/change/")
        page.get_by_role("link", name="Merge into another claim…").click()
        page.wait_for_url(f"**/admin/claims/claim/{merged.pk}/merge/")
        page.get_by_label("Surviving claim (id or slug):").fill(survivor.slug)
        page.get_by_role("button", name="Show what will move").click()
        plan = page.locator("#fc-merge-plan")
        plan.wait_for()
        assert survivor.text[:60] in plan.inner_text()
        assert plan.get_by_role("cell", name="Appearances", exact=True).is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        page.screenshot(path=str(shot), full_page=True)
        page.get_by_label("Why they are the same (kept in history):").fill("Same claim, other wording.")
        page.get_by_role("button", name="Merge into this claim").click()
        page.wait_for_url(f"**/admin/claims/claim/{survivor.pk}/change/")
        assert "its page and API URLs now redirect here" in page.locator(".messagelist").inner_text()
        assert page.locator("#fc-merges").is_visible()
        page.goto(f"{base_url}/claims/{merged.slug}/")
        assert page.url.endswith(f"/claims/{survivor.slug}/")
        assert errors == []
    finally:
        page.close()


def test_an_editor_merges_a_duplicate_from_the_confirmation_page(chromium, demo_site, editor, shots):  # noqa: F811
    survivor = Claim.objects.filter(status=ClaimStatus.PUBLISHED).order_by("id").first()
    merged = Claim.objects.filter(status=ClaimStatus.NEW).exclude(verdicts__status="submitted").order_by("id").first()
    shot = shots / "admin-merge-confirmation.png"
    chromium.run(merge_in_the_admin, demo_site, editor.username, merged, survivor, shot)
    assert shot.stat().st_size > 10_000
    record = MergeRecord.objects.get()
    assert (record.merged_id, record.survivor_id, record.merged_by_id) == (merged.pk, survivor.pk, editor.pk)
