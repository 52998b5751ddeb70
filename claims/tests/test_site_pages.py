"""Reader site: home, methodology, corrections, the Atom feed, sitemap.xml and the 404 page."""

import datetime as dt
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from claims import services
from claims.models import Measure, Source, Verdict
from claims.tests import factories
from claims.tests.once import per_test_copy, rating_scale, role_user, shared_data
from claims.tests.site_builders import draft_claim, figure, published_claim

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site_once(request, django_db_setup, django_db_blocker):
    with shared_data(request, django_db_blocker):
        yield build_site(
            reviewer=role_user("reviewer"),
            editor=role_user("editor"),
            second_editor=role_user("second_editor"),
            ratings=rating_scale(),
        )


@pytest.fixture
def site(request, site_once):
    return per_test_copy(request, site_once)


def build_site(*, reviewer, editor, second_editor, ratings):
    """Published, corrected, withdrawn and unpublished claims; a disputed measure; a scored source."""
    outlet = factories.SourceFactory(name="Checked Outlet", slug="checked-outlet", rated_claims_count=4)
    published = published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["true"], text="Published claim.", claimant=outlet
    )
    corrected = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="Corrected claim.")
    correction = services.draft_correction(
        verdict=corrected.published_verdict, by=reviewer, rating=ratings["false"], correction_note="We got it wrong."
    )
    services.submit_verdict(verdict=correction, by=reviewer)
    services.publish_verdict(verdict=correction, by=second_editor)
    withdrawn = published_claim(reviewer=reviewer, editor=editor, rating=ratings["mixed"], text="Withdrawn claim.")
    services.withdraw_verdict(verdict=withdrawn.published_verdict, by=editor, reason="Source retracted.")
    hidden = draft_claim(reviewer=reviewer, rating=ratings["true"], text="Hidden claim.")
    hidden_source = factories.SourceFactory(name="Hidden Source", slug="hidden-source", rated_claims_count=9)
    hidden.claimant = hidden_source
    hidden.save()
    # A pending correction (submitted, not published) must not appear anywhere public.
    pending = services.draft_correction(
        verdict=published.published_verdict, by=reviewer, correction_note="Pending note, not public."
    )
    services.submit_verdict(verdict=pending, by=reviewer)
    disputed = factories.MeasureFactory(name="Disputed measure", slug="disputed-measure", conflict_state="disputed")
    figure(claim=published, measure=disputed, reviewer=reviewer, quoted="10", low=10, high=10)
    secret = factories.MeasureFactory(name="Secret measure", slug="secret-measure", conflict_state="disputed")
    figure(claim=hidden, measure=secret, reviewer=reviewer, quoted="20", low=20, high=20)
    # The cached columns are set last: services refresh them as figures and verdicts change.
    Measure.objects.filter(pk__in=[disputed.pk, secret.pk]).update(conflict_state="disputed")
    Source.objects.filter(pk=outlet.pk).update(rated_claims_count=4)
    Source.objects.filter(pk=hidden_source.pk).update(rated_claims_count=9)
    return {"published": published, "corrected": corrected, "withdrawn": withdrawn, "hidden": hidden}


def test_it_shows_latest_verdicts_disputed_measures_and_most_checked_sources_on_home(
    client, site, django_assert_num_queries
):
    with django_assert_num_queries(4):  # page generation, latest verdicts, disputed measures, sources
        html = client.get(reverse("claims:home")).content.decode()
    assert "Published claim." in html and "Corrected claim." in html
    assert "Disputed measure" in html and "Checked Outlet" in html and "4 rated claims" in html
    assert "Hidden" not in html and "Secret measure" not in html and "Withdrawn claim." not in html


def test_it_explains_the_methodology_with_the_rating_scale(client, ratings):
    html = client.get(reverse("claims:methodology")).content.decode()
    for level in ratings.values():
        assert level.label in html and level.description in html
    assert "two-person rule" in html.lower() and "credible interval" in html and "±5%" in html


def test_it_lists_corrections_and_withdrawals_newest_first(client, site):
    html = client.get(reverse("claims:corrections")).content.decode()
    assert "We got it wrong." in html and "Source retracted." in html
    assert html.index("Source retracted.") < html.index("We got it wrong.")  # the withdrawal came later
    assert "Pending note" not in html and "Hidden claim." not in html


def test_it_serves_a_valid_atom_feed_of_published_verdicts_only(client, site):
    response = client.get(reverse("claims:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)

    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None and feed.find(f"{ATOM}{required}").text
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles[0] == "Withdrawn: Withdrawn claim."  # newest first: the withdrawal, after its publication
    assert titles.index("Corrected to False: Corrected claim.") < titles.index("True: Corrected claim.")
    assert set(titles) == {
        "True: Published claim.",
        "True: Corrected claim.",
        "Corrected to False: Corrected claim.",
        "Mixed: Withdrawn claim.",
        "Withdrawn: Withdrawn claim.",
    }
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == len(ids) and all(urlparse(i).scheme == "http" for i in ids)
    for entry in entries:
        assert entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/claims/")
    assert b"Hidden" not in response.content and b"Pending" not in response.content
    assert "We got it wrong." in response.content.decode()


def _entries(client) -> dict[str, ET.Element]:
    feed = ET.fromstring(client.get(reverse("claims:feed")).content)
    return {entry.find(f"{ATOM}title").text: entry for entry in feed.findall(f"{ATOM}entry")}, feed


def _parsed(stamp: str):
    return dt.datetime.fromisoformat(stamp)


def test_a_withdrawal_and_a_correction_are_feed_entries_of_their_own(client, site):
    entries, feed = _entries(client)
    withdrawn = site["withdrawn"].verdicts.get()
    entry = entries["Withdrawn: Withdrawn claim."]
    assert entry.find(f"{ATOM}summary").text == (
        f"The verdict “Mixed: {withdrawn.summary}” was withdrawn. Reason: Source retracted."
    )
    assert _parsed(entry.find(f"{ATOM}updated").text) == withdrawn.withdrawn_at
    assert entry.find(f"{ATOM}id").text.endswith(f"/claims/{site['withdrawn'].slug}/#withdrawal-{withdrawn.pk}")
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["Withdrawn"]
    # The publication it took back stays in the feed, as subscribers first saw it.
    original = entries["Mixed: Withdrawn claim."]
    assert original.find(f"{ATOM}id").text.endswith(f"#verdict-{withdrawn.pk}")
    assert _parsed(original.find(f"{ATOM}updated").text) == withdrawn.published_at

    correction = Verdict.objects.get(claim=site["corrected"], status="published")
    entry = entries["Corrected to False: Corrected claim."]
    summary = entry.find(f"{ATOM}summary").text
    assert summary.startswith("Corrected from True to False. Correction: We got it wrong.")
    assert _parsed(entry.find(f"{ATOM}updated").text) == correction.published_at
    assert entry.find(f"{ATOM}link").get("href").endswith(f"#verdict-{correction.pk}")
    assert "True: Corrected claim." in entries
    # The feed itself is as new as its newest change: the withdrawal.
    assert _parsed(feed.find(f"{ATOM}updated").text) == withdrawn.withdrawn_at


def test_a_withdrawal_reason_reaches_feed_readers_as_text(client, reviewer, editor, ratings):
    claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="Claim <b>bold</b>.")
    services.withdraw_verdict(verdict=claim.published_verdict, by=editor, reason="Use <script> & retract.")
    entries, _feed = _entries(client)
    summary = entries["Withdrawn: Claim <b>bold</b>."].find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text.endswith("Reason: Use &lt;script&gt; &amp; retract.")  # HTML that shows the text


def test_the_sitemap_and_the_datafeed_move_with_a_correction_and_a_withdrawal(
    client, reviewer, editor, second_editor, ratings
):
    claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="Claim to revise.")

    def lastmod():
        urls = ET.fromstring(client.get("/sitemap.xml").content).iter(f"{SITEMAP}url")
        stamps = {u.find(f"{SITEMAP}loc").text: u.findtext(f"{SITEMAP}lastmod") for u in urls}
        return _parsed(stamps[f"http://testserver{claim.get_absolute_url()}"])

    def date_modified():
        return _parsed(json.loads(b"".join(client.get("/api/v1/claimreview/feed/").streaming_content))["dateModified"])

    first_lastmod, first_modified = lastmod(), date_modified()
    correction = services.draft_correction(
        verdict=claim.published_verdict, by=reviewer, rating=ratings["false"], correction_note="New data."
    )
    correction = services.publish_verdict(
        verdict=services.submit_verdict(verdict=correction, by=reviewer), by=second_editor
    )
    corrected_lastmod, corrected_modified = lastmod(), date_modified()
    assert corrected_lastmod > first_lastmod and corrected_lastmod >= correction.published_at
    assert corrected_modified > first_modified and corrected_modified >= correction.published_at
    withdrawn = services.withdraw_verdict(verdict=correction, by=editor, reason="The census was revised.")
    assert lastmod() > corrected_lastmod and lastmod() >= withdrawn.withdrawn_at
    assert date_modified() > corrected_modified and date_modified() >= withdrawn.withdrawn_at


def test_it_lists_only_public_pages_in_the_sitemap(client, site):
    response = client.get("/sitemap.xml")
    urls = {loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")}
    assert f"http://testserver{site['published'].get_absolute_url()}" in urls
    assert f"http://testserver{site['withdrawn'].get_absolute_url()}" in urls  # public, with its reason
    assert "http://testserver/sources/checked-outlet/" in urls
    assert "http://testserver/measures/disputed-measure/" in urls
    assert "http://testserver/methodology/" in urls
    assert not any("hidden" in url or "secret" in url for url in urls)


def test_it_gives_every_page_a_canonical_url_and_a_description(client, site):
    pages = [
        reverse("claims:home"),
        reverse("claims:claim-list"),
        site["published"].get_absolute_url(),
        "/sources/checked-outlet/",
        "/measures/disputed-measure/",
        reverse("claims:methodology"),
        reverse("claims:corrections"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert f'<link rel="canonical" href="http://testserver{url}">' in html, url
        assert '<meta name="description" content="' in html and 'content=""' not in html, url


def test_it_answers_a_proper_404_page(client):
    response = client.get("/claims/no-such-claim/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and 'href="/claims/"' in response.content.decode()
    assert client.get("/nowhere/").status_code == 404


def test_it_keeps_a_corrected_verdicts_history_public(client, site):
    html = client.get(site["corrected"].get_absolute_url()).content.decode()
    assert "We got it wrong." in html and "Superseded" in html
