"""The tip line in headless Chromium with JavaScript off: a reader finds the page from the
navigation, sends a tip with an email, and confirms the address from the message a real SMTP
server on 127.0.0.1 received. Skipped when Chromium is missing, unless FACTCHECK_REQUIRE_BROWSER=1."""

import re

import pytest

from claims.models import Claim, TipSubscription
from claims.tests.test_browser_reader import chromium, restore_seeded_rows  # noqa: F401
from claims.tests.test_tipline import mail_worker, smtp  # noqa: F401
from claims.tests.workers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXT = "The new bridge over the Kura cost 900 million manat."


@pytest.fixture
def site(chromium, live_server, settings):  # noqa: F811
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.FACTCHECK_SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def site_mailer(site, smtp):  # noqa: F811
    """The real job worker that sends the tip line's mail, signing links for the live server."""
    with mail_worker(smtp, FACTCHECK_SITE_URL=site) as worker:
        yield worker


def send_tip(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base_url + "/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Send a tip").click()
        page.wait_for_url("**/tips/")
        page.get_by_label("The claim").fill(TEXT)
        page.get_by_label("Your email (optional)").fill("reader@example.org")
        page.get_by_label("Email me when you publish", exact=False).check()
        page.get_by_role("button", name="Send the tip").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Received").is_visible()
        assert not page.locator("#id_website").is_visible()  # the honeypot is out of sight
    finally:
        context.close()


def confirm(browser, link):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(link)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_load_state()
        assert "Confirmed." in page.get_by_role("status").inner_text()
    finally:
        context.close()


def test_a_reader_sends_a_tip_and_confirms_the_address_without_javascript(chromium, site, smtp, site_mailer):  # noqa: F811
    chromium.run(send_tip, site)
    claim = Claim.objects.get()
    assert claim.text == TEXT and claim.from_tip_line and claim.demand == 1
    wait_for(lambda: len(smtp.messages) >= 1, worker=site_mailer, what="the confirmation message")
    assert len(smtp.messages) == 1
    link = re.search(r"(https?://\S+/tips/confirm/\S+/)", smtp.messages[0].get_content()).group(1)
    assert link.startswith(site)
    chromium.run(confirm, link)
    assert TipSubscription.objects.get().confirmed_at is not None
