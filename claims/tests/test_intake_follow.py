"""Followed fact-checkers: a ClaimReview DataFeed on a real HTTP server on 127.0.0.1, polled by a
real worker with conditional GET (the second poll is a 304 and imports nothing), backing off on
failure, and refused when the address is private unless allowed."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from claims.intake import follow, jobs
from claims.intake.follow_models import FollowedSource
from claims.models import Verdict
from claims.tests.receivers import http_receiver
from claims.tests.workers import job_rows, job_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKER_ENV = {"FACTCHECK_FETCH_ALLOW_HOSTS": "127.0.0.1"}


def review(n: int) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://desk.example/checks/{n}/",
        "datePublished": "2026-01-05",
        "author": {"@type": "Organization", "name": "Desk Check", "url": "https://desk.example/"},
        "claimReviewed": f"Claim number {n} about the port handling more cargo than ever.",
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 6, "worstRating": 1,
                         "alternateName": "Pants on Fire!"},
    }  # fmt: skip


def datafeed(count: int) -> bytes:
    return json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "DataFeed",
            "dataFeedElement": [{"@type": "DataFeedItem", "item": [review(n)]} for n in range(count)],
        }
    ).encode()


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), job_worker(queues="default", **WORKER_ENV) as process:
        yield process


@pytest.fixture
def server(settings):
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    with http_receiver() as running:
        yield running


def test_a_datafeed_polled_twice_by_the_worker_imports_once_and_the_second_is_a_304(server, worker):
    etag = '"feed-v1"'
    server.answer(
        (200, {"Content-Type": "application/json", "ETag": etag, "Last-Modified": "Mon, 05 Jan 2026 10:00:00 GMT"},
         datafeed(3)),
        (304, {"ETag": etag}, b""),
    )  # fmt: skip
    call_command("follow", f"{server.base_url}/feed.json", "--kind", "datafeed")
    source = FollowedSource.objects.get()

    assert follow.enqueue_due() == 1
    wait_for(lambda: FollowedSource.objects.get().last_polled_at, worker=worker, what="the first poll")
    source.refresh_from_db()
    assert (source.items_found, source.items_new, source.failures, source.etag) == (3, 3, 0, etag)
    verdicts = Verdict.objects.filter(review_url__startswith="https://desk.example/")
    assert verdicts.count() == 3
    assert {v.organisation.name for v in verdicts.select_related("organisation")} == {"Desk Check"}
    assert {v.original_rating_label for v in verdicts} == {"Pants on Fire!"}

    first_polled = source.last_polled_at
    FollowedSource.objects.update(next_poll_at=timezone.now())  # due again
    follow.enqueue_due()  # 0 when the worker's periodic job has already queued one: either polls it
    wait_for(lambda: FollowedSource.objects.get().last_polled_at != first_polled, worker=worker, what="the 2nd poll")
    second = server.requests[1]
    assert second.headers["If-None-Match"] == etag
    assert second.headers["If-Modified-Since"] == "Mon, 05 Jan 2026 10:00:00 GMT"
    source.refresh_from_db()
    assert source.failures == 0 and source.etag == etag
    assert verdicts.count() == 3  # nothing duplicated
    assert len(server.requests) == 2  # a job found the source no longer due and left it alone
    mine = [row for row in job_rows("poll_followed_source") if row["args"] == {"source_id": source.pk}]
    assert mine and {row["status"] for row in mine} == {"succeeded"}


def test_a_failure_backs_off_doubling_the_interval_up_to_the_cap(server):
    server.answer((500, {}, b"boom"))
    call_command("follow", f"{server.base_url}/feed.json", "--interval", "600")
    source = FollowedSource.objects.get()
    delays = []
    for _ in range(3):
        outcome = follow.poll(source.pk)
        source.refresh_from_db()
        delays.append(round((source.next_poll_at - source.last_polled_at).total_seconds()))
        assert outcome["error"] == "HTTP 500" == source.last_error
    assert delays == [1200, 2400, 4800]
    assert source.failures == 3
    FollowedSource.objects.update(failures=30)
    follow.poll(source.pk)
    source.refresh_from_db()
    assert (source.next_poll_at - source.last_polled_at).total_seconds() == follow.FOLLOW_MAX_BACKOFF_SECONDS

    server.answer((200, {"Content-Type": "application/json"}, datafeed(1)))
    follow.poll(source.pk)
    source.refresh_from_db()
    assert (source.failures, source.last_error, source.items_new) == (0, "", 1)
    assert round((source.next_poll_at - source.last_polled_at).total_seconds()) == 600


def test_private_addresses_are_refused_unless_allowed(server, settings):
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = []
    with pytest.raises(CommandError, match="non-public address"):
        call_command("follow", f"{server.base_url}/feed.json")
    source = FollowedSource.objects.create(url=f"{server.base_url}/feed.json")  # allowed once, then not
    outcome = follow.poll(source.pk)
    assert "non-public address" in outcome["error"]
    assert server.requests == []
    assert Verdict.objects.filter(review_url__startswith="https://desk.example/").count() == 0


def test_poll_followed_command_and_the_periodic_job(server, capsys):
    server.answer((200, {"Content-Type": "application/json", "ETag": '"x"'}, datafeed(2)))
    call_command("follow", f"{server.base_url}/feed.json")
    call_command("poll_followed")
    assert "2 items found, 2 new" in capsys.readouterr().out
    call_command("poll_followed")  # not due any more
    assert capsys.readouterr().out == ""
    server.answer((304, {}, b""))
    call_command("poll_followed", "--now")
    assert "not modified" in capsys.readouterr().out
    periodic = {task.periodic_id: task.task.name for task in jobs.app.periodic_registry.periodic_tasks.values()}
    assert periodic["poll-followed"] == "poll_due_followed"


def page_with_nested_jsonld(n: int) -> bytes:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": "A fact-check"},
            {"@type": "Organization", "name": "Desk Check"},
            [review(n)],  # a list inside the graph, as some sites publish
        ],
    }
    other = {"@context": "https://schema.org", "@type": "WebPage", "mainEntity": review(n + 1)}
    return (
        '<!DOCTYPE html><html><head><script type="application/ld+json">{broken</script>'
        f'<script type="application/ld+json">{json.dumps(graph)}</script>'
        f'<script type="application/ld+json">{json.dumps(other)}</script>'
        "</head><body>text</body></html>"
    ).encode()


def test_a_page_with_nested_jsonld_polled_twice_imports_once(server):
    server.answer(
        (200, {"Content-Type": "text/html", "ETag": '"p1"'}, page_with_nested_jsonld(1)),
        (304, {}, b""),
    )
    call_command("follow", f"{server.base_url}/checks/1/", "--kind", "pages")
    source = FollowedSource.objects.get()
    assert follow.poll(source.pk)["new"] == 2
    assert follow.poll(source.pk)["status"] == 304
    assert server.requests[1].headers["If-None-Match"] == '"p1"'
    source.refresh_from_db()
    assert (source.items_found, source.items_new, source.failures) == (2, 0, 0)
    assert Verdict.objects.filter(review_url__startswith="https://desk.example/").count() == 2


def test_a_sitemap_of_pages_imports_the_claimreview_of_each_page(server):
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.base_url}/a/</loc></url><url><loc>{server.base_url}/b/</loc></url></urlset>"
    ).encode()
    server.answer(
        (200, {"Content-Type": "application/xml"}, sitemap),
        (200, {"Content-Type": "text/html"}, page_with_nested_jsonld(10)),
        (200, {"Content-Type": "text/html"}, page_with_nested_jsonld(20)),
    )
    call_command("follow", f"{server.base_url}/sitemap.xml", "--kind", "pages")
    outcome = follow.poll(FollowedSource.objects.get().pk)
    assert (outcome["found"], outcome["new"], outcome["error"]) == (4, 4, "")
    assert [r.path for r in server.requests] == ["/sitemap.xml", "/a/", "/b/"]


def test_editors_see_each_sources_last_poll_found_new_and_errors_in_the_admin(client, editor, reviewer, server):
    from django.urls import reverse

    server.answer((500, {}, b"boom"))
    call_command("follow", f"{server.base_url}/feed.json")
    follow.poll(FollowedSource.objects.get().pk)
    url = reverse("admin:claims_followedsource_changelist")
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{server.base_url}/feed.json" in text and "HTTP 500" in text
    for column in ("Last polled at", "Items found", "Items new", "Failures", "Last error"):
        assert column in text


def test_an_editor_may_pause_a_source_or_change_its_interval_but_not_below_a_minute(client, editor, server):
    from django.urls import reverse

    call_command("follow", f"{server.base_url}/feed.json")
    source = FollowedSource.objects.get()
    client.force_login(editor)
    url = reverse("admin:claims_followedsource_change", args=[source.pk])
    refused = client.post(url, {"active": "on", "poll_interval_seconds": "0"})
    assert refused.status_code == 200 and "At least 60 seconds." in refused.content.decode()
    assert client.post(url, {"poll_interval_seconds": "7200"}).status_code == 302
    source.refresh_from_db()
    assert (source.active, source.poll_interval_seconds) == (False, 7200)
    with pytest.raises(CommandError, match="at least 60 seconds"):
        call_command("follow", f"{server.base_url}/other.json", "--interval", "5")


def test_a_sitemap_index_reads_its_newest_sitemaps_and_pages_within_the_bounds(server, monkeypatch):
    import gzip

    monkeypatch.setattr(follow, "MAX_SITEMAPS_PER_POLL", 2)
    monkeypatch.setattr(follow, "MAX_PAGES_PER_POLL", 3)
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    index = (
        f'<?xml version="1.0"?><sitemapindex {ns}>'
        f"<sitemap><loc>{server.base_url}/old.xml</loc><lastmod>2024-01-01</lastmod></sitemap>"
        f"<sitemap><loc>{server.base_url}/new.xml.gz</loc><lastmod>2026-01-02T08:00:00+00:00</lastmod></sitemap>"
        f"<sitemap><loc>{server.base_url}/mid.xml</loc><lastmod>2025-06-01</lastmod></sitemap>"
        "</sitemapindex>"
    ).encode()

    def urlset(*paths):
        urls = "".join(f"<url><loc>{server.base_url}{p}</loc><lastmod>2026-01-0{i}</lastmod></url>"
                       for i, p in enumerate(paths, start=1))  # fmt: skip
        return f'<?xml version="1.0"?><urlset {ns}>{urls}</urlset>'.encode()

    server.answer(
        (200, {"Content-Type": "application/xml"}, index),
        (200, {"Content-Type": "application/gzip"}, gzip.compress(urlset("/n1/", "/n2/"))),
        (200, {"Content-Type": "application/xml"}, urlset("/m1/", "/m2/")),
        (200, {"Content-Type": "text/html"}, page_with_nested_jsonld(30)),
        (200, {"Content-Type": "text/html"}, page_with_nested_jsonld(40)),
        (200, {"Content-Type": "text/html"}, page_with_nested_jsonld(50)),
    )
    call_command("follow", f"{server.base_url}/sitemap_index.xml", "--kind", "pages")
    outcome = follow.poll(FollowedSource.objects.get().pk)
    # The two newest sitemaps (old.xml left out), each newest page first, three pages in all.
    assert [r.path for r in server.requests] == [
        "/sitemap_index.xml",
        "/new.xml.gz",
        "/mid.xml",
        "/n2/",
        "/n1/",
        "/m2/",
    ]
    assert (outcome["found"], outcome["new"], outcome["error"]) == (6, 6, "")
