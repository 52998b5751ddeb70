"""Sharing and setting up: Open Graph / Twitter card tags on claim pages, the CSV export on the
site and in the API (published data only, streamed), and the site's name and tagline as settings."""

import csv
import io
import re

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from claims import services
from claims.ingest.csv_export import COLUMNS
from claims.tests.site_builders import draft_claim, published_claim

pytestmark = pytest.mark.django_db


def meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert match, f"no {key} tag"
    return match.group(1)


def test_it_puts_the_verdict_into_the_sharing_tags_of_a_claim_page(client, reviewer, editor, ratings):
    claim = published_claim(
        reviewer=reviewer,
        editor=editor,
        rating=ratings["false"],
        text='Azerbaijan supplies "most" of Israel\'s oil <script>.',
        summary="About 40%, not most.",
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    title = meta(html, "og:title")
    assert title.startswith("False: Azerbaijan supplies &quot;most&quot;")
    assert "<script>" not in title and "&lt;script&gt;" in title
    assert meta(html, "og:description") == "About 40%, not most."
    assert meta(html, "og:url") == f"http://testserver{claim.get_absolute_url()}"
    assert meta(html, "og:type") == "article" and meta(html, "og:site_name") == "Factcheck"
    assert meta(html, "twitter:card") == "summary"
    assert meta(html, "twitter:title") == title
    assert meta(html, "twitter:description") == "About 40%, not most."


def test_it_says_withdrawn_in_the_sharing_tags_of_a_withdrawn_claim(client, reviewer, editor, ratings):
    claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="A withdrawn claim.")
    services.withdraw_verdict(verdict=claim.published_verdict, by=editor, reason="The source was misquoted.")
    html = client.get(claim.get_absolute_url()).content.decode()
    assert meta(html, "og:title") == "Verdict withdrawn: A withdrawn claim."
    assert meta(html, "og:description") == "The source was misquoted."


def rows_of(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)  # streamed, never built in memory
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("url", [reverse("claims:claims-csv"), reverse("api:claims-csv")])
def test_it_offers_the_published_claims_as_csv_on_the_site_and_in_the_api(
    client, reviewer, editor, ratings, url, django_assert_max_num_queries
):
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], text="=HYPERLINK(evil)", slug="one")
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], text="A true claim.", slug="two")
    draft_claim(reviewer=reviewer, rating=ratings["true"], text="Unpublished claim.")
    for user in (None, reviewer):  # staff get the published record too, nothing more
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        rows = rows_of(response)
        assert rows[0] == COLUMNS
        assert [row[0] for row in rows[1:]] == ["one", "two"]
        assert rows[1][1] == "'=HYPERLINK(evil)" and rows[1][3] == "False"
        assert rows[2][6] == "http://testserver/claims/two/"
        assert "Unpublished claim." not in str(rows)
    assert client.post(url).status_code == 405


def test_it_links_the_csv_from_the_claim_list(client):
    html = client.get(reverse("claims:claim-list")).content.decode()
    assert f'href="{reverse("claims:claims-csv")}"' in html


def test_it_shows_the_default_name_and_tagline(client):
    html = client.get("/").content.decode()
    assert "Claims about Iran, Azerbaijan, Armenia and their neighbours." in html
    assert "· Factcheck</title>" in html


def test_it_takes_the_site_name_and_tagline_from_the_settings(client, settings, reviewer):
    settings.FACTCHECK_SITE_NAME = "Caucasus Check"
    settings.FACTCHECK_SITE_TAGLINE = "Claims about Georgia & the Black Sea, checked."
    html = client.get("/").content.decode()
    assert '<p class="tagline">Claims about Georgia &amp; the Black Sea, checked.</p>' in html
    assert "Iran, Azerbaijan, Armenia" not in html
    assert "· Caucasus Check</title>" in html and "</span> Caucasus Check</a>" in html
    assert 'title="Caucasus Check: latest verdicts"' in html
    assert "Not found · Caucasus Check</title>" in client.get("/no-such-page/").content.decode()
    feed = client.get(reverse("claims:feed")).content.decode()
    assert "<title>Caucasus Check: latest verdicts</title>" in feed and "<name>Caucasus Check</name>" in feed
    client.force_login(reviewer)
    assert "Caucasus Check review" in client.get(reverse("admin:index")).content.decode()
