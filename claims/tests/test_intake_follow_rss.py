"""A followed RSS/Atom feed of articles on a real HTTP server on 127.0.0.1, its article pages the
shared seed articles dressed as a news site's pages (menus, a newsletter box, a footer): polled by
the real worker, each article's main text read and ingested, its sentences proposed as claims for
review (never published); the second poll is a 304 and adds nothing; an entry is taken in once."""

from __future__ import annotations

import html

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from claims.choices import ClaimStatus
from claims.intake import follow
from claims.intake.follow_models import FollowedEntry, FollowedSource
from claims.models import Appearance, Article, Claim, Verdict
from claims.tests.receivers import http_receiver
from claims.tests.seeds import needs_seeds
from claims.tests.workers import job_worker, wait_for

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), needs_seeds]

BOILERPLATE = "Subscribe to the Morning Brief newsletter for daily headlines"


def article_page(text: str) -> bytes:
    """A seed article as a real news page: its title in <h1>, paragraphs, and site furniture that
    main-text extraction must leave out."""
    title, *paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} | Gazette</title></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/world/'>World</a> <a href='/opinion/'>Opinion</a></nav></header>"
        f"<main><article><h1>{html.escape(title)}</h1>{body}</article></main>"
        f"<aside><h2>Newsletter</h2><p>{BOILERPLATE}.</p></aside>"
        "<footer><p>Copyright 2026 The Gazette. All rights reserved.</p></footer></body></html>"
    ).encode()


def rss(base_url: str, items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed; items are (guid, path, title)."""
    entries = "".join(
        f"<item><title>{html.escape(title)}</title><link>{base_url}{path}</link>"
        f"<guid isPermaLink='false'>{guid}</guid><author>desk@gazette.example (Paul Antonopoulos)</author>"
        "<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item>"
        for guid, path, title in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>The Gazette</title>"
        f"<link>{base_url}/</link><description>News</description>{entries}</channel></rss>"
    ).encode()


def atom(base_url: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<entry><id>{guid}</id><title>{html.escape(title)}</title><link href='{base_url}{path}'/>"
        "<updated>2026-01-05T10:00:00Z</updated><author><name>Paul Antonopoulos</name></author></entry>"
        for guid, path, title in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>The Gazette</title>"
        f"<id>{base_url}/</id><updated>2026-01-05T10:00:00Z</updated>{entries}</feed>"
    ).encode()


@pytest.fixture
def seeds(seed_dir):
    texts = [path.read_text() for path in sorted(seed_dir.glob("*.txt"))]
    assert len(texts) >= 2
    return texts[:2]


@pytest.fixture
def server(settings):
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    with http_receiver() as running:
        yield running


HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_an_rss_feed_polled_twice_by_the_worker_becomes_claims_for_review_once(server, seeds, editor):
    etag = '"rss-v1"'
    feed = rss(server.base_url, [("g-1", "/world/one/", "Iran alarmed"), ("g-2", "/world/two/", "Second story")])
    server.answer(
        (200, {"Content-Type": "application/rss+xml", "ETag": etag}, feed),
        (200, HTML, article_page(seeds[0])),
        (200, HTML, article_page(seeds[1])),
        (304, {"ETag": etag}, b""),
    )
    call_command("follow", f"{server.base_url}/feed.xml", "--kind", "rss", "--by", editor.username)
    source = FollowedSource.objects.get()
    with job_worker(queues="default", FACTCHECK_FETCH_ALLOW_HOSTS="127.0.0.1") as worker:
        assert follow.enqueue_due() == 1
        wait_for(lambda: FollowedSource.objects.get().last_polled_at, worker=worker, what="the first poll")
        source.refresh_from_db()
        assert (source.items_found, source.items_new, source.failures, source.last_error) == (2, 2, 0, "")
        assert source.etag == etag
        assert [r.path for r in server.requests] == ["/feed.xml", "/world/one/", "/world/two/"]

        articles = {a.url: a for a in Article.objects.select_related("outlet")}
        assert set(articles) == {f"{server.base_url}/world/one/", f"{server.base_url}/world/two/"}
        first = articles[f"{server.base_url}/world/one/"]
        assert first.title == "Iran alarmed" and first.outlet.name == "The Gazette"
        assert str(first.published_on) == "2026-01-05"
        assert "Since the 2020 Nagorno-Karabakh War" in first.body  # the main text...
        assert BOILERPLATE not in first.body and "All rights reserved" not in first.body  # ...only
        claims = Claim.objects.filter(appearances__article__in=articles.values()).distinct()
        assert claims.count() >= 2
        assert set(claims.values_list("status", flat=True)) == {ClaimStatus.NEW}  # candidates for review
        assert not Verdict.objects.filter(claim__in=claims).exists()
        flattened = " ".join(" ".join(seed.split()) for seed in seeds)
        for claim in claims:
            assert " ".join(claim.text.split()) in flattened  # a sentence of a seed article
        assert {c.history.earliest().history_user for c in claims} == {editor}
        created = (claims.count(), Appearance.objects.count())

        FollowedSource.objects.update(next_poll_at=timezone.now())  # due again
        polled = source.last_polled_at
        follow.enqueue_due()  # 0 when the worker's periodic job has already queued one: either polls it
        wait_for(lambda: FollowedSource.objects.get().last_polled_at != polled, worker=worker, what="the 2nd poll")
    assert server.requests[3].headers["If-None-Match"] == etag
    assert len(server.requests) == 4  # a 304: no article fetched again
    source.refresh_from_db()
    assert (source.items_found, source.items_new, source.failures) == (2, 0, 0)
    assert (claims.count(), Appearance.objects.count()) == created


E1, E2 = "tag:gazette.example,2026:entry-1", "tag:gazette.example,2026:entry-2"  # Atom ids are URIs


def test_a_changed_feed_takes_in_only_the_entries_it_has_not_seen(server, seeds, reviewer):
    server.answer(
        (200, {"Content-Type": "application/atom+xml", "ETag": '"a1"'}, atom(server.base_url, [(E1, "/a/", "A")])),
        (200, HTML, article_page(seeds[0])),
    )
    call_command("follow", f"{server.base_url}/atom.xml", "--kind", "rss", "--by", reviewer.username)
    source = FollowedSource.objects.get()
    assert follow.poll(source.pk)["new"] == 1
    claims_after_first = Claim.objects.count()
    listed_twice = atom(server.base_url, [(E2, "/b/", "B"), (E1, "/a/", "A"), (E2, "/b/", "B")])
    server.answer(
        (200, {"Content-Type": "application/atom+xml", "ETag": '"a2"'}, listed_twice),
        (200, HTML, article_page(seeds[1])),
    )
    outcome = follow.poll(source.pk)
    assert (outcome["found"], outcome["new"], outcome["error"]) == (3, 1, "")
    assert [r.path for r in server.requests] == ["/atom.xml", "/a/", "/atom.xml", "/b/"]
    assert server.requests[2].headers["If-None-Match"] == '"a1"'
    assert set(FollowedEntry.objects.values_list("key", flat=True)) == {E1, E2}
    assert Claim.objects.count() > claims_after_first
    assert outcome["claims"] == Claim.objects.count() - claims_after_first


def test_an_article_failing_for_now_is_tried_again_and_the_feed_is_read_again(server, seeds, reviewer):
    feed = rss(server.base_url, [("g-1", "/one/", "One"), ("g-2", "/gone/", "Gone")])
    server.answer(
        (200, {"Content-Type": "application/rss+xml", "ETag": '"r1"'}, feed),
        (503, {}, b"busy"),
        (404, {}, b"not here"),
    )
    call_command("follow", f"{server.base_url}/feed.xml", "--kind", "rss", "--by", reviewer.username)
    source = FollowedSource.objects.get()
    outcome = follow.poll(source.pk)
    source.refresh_from_db()
    assert (outcome["new"], source.failures, source.etag) == (0, 0, "")  # no 304 next time
    assert "2 article(s) not taken in" in source.last_error and "HTTP 503" in source.last_error
    assert list(FollowedEntry.objects.values_list("key", flat=True)) == ["g-2"]  # a 404 stays gone

    server.answer(
        (200, {"Content-Type": "application/rss+xml", "ETag": '"r1"'}, feed), (200, HTML, article_page(seeds[0]))
    )
    outcome = follow.poll(source.pk)
    assert "If-None-Match" not in server.requests[3].headers
    assert [r.path for r in server.requests[3:]] == ["/feed.xml", "/one/"]
    source.refresh_from_db()
    assert (outcome["new"], source.last_error, source.etag) == (1, "", '"r1"')


def test_more_new_entries_than_one_poll_takes_are_left_for_the_next(server, seeds, reviewer, monkeypatch):
    from claims.intake import follow_articles

    monkeypatch.setattr(follow_articles, "MAX_ENTRIES_PER_POLL", 1)
    feed = rss(server.base_url, [("g-1", "/one/", "One"), ("g-2", "/two/", "Two")])
    server.answer(
        (200, {"Content-Type": "application/rss+xml", "ETag": '"r1"'}, feed),
        (200, HTML, article_page(seeds[0])),
        (200, {"Content-Type": "application/rss+xml", "ETag": '"r1"'}, feed),
        (200, HTML, article_page(seeds[1])),
    )
    call_command("follow", f"{server.base_url}/feed.xml", "--kind", "rss", "--by", reviewer.username)
    source = FollowedSource.objects.get()
    assert follow.poll(source.pk)["new"] == 1
    source.refresh_from_db()
    assert source.etag == ""
    assert follow.poll(source.pk)["new"] == 1
    source.refresh_from_db()
    assert source.etag == '"r1"'
    assert [r.path for r in server.requests] == ["/feed.xml", "/one/", "/feed.xml", "/two/"]


def test_what_is_not_a_feed_or_has_nobody_to_record_its_claims_fails_and_backs_off(server, reviewer, plain_user):
    with pytest.raises(CommandError, match="--by is required"):
        call_command("follow", f"{server.base_url}/feed.xml", "--kind", "rss")
    with pytest.raises(CommandError, match="not a reviewer or editor"):
        call_command("follow", f"{server.base_url}/feed.xml", "--kind", "rss", "--by", plain_user.username)
    server.answer((200, HTML, b"<html><body>just a page</body></html>"))
    call_command("follow", f"{server.base_url}/feed.xml", "--kind", "rss", "--by", reviewer.username)
    source = FollowedSource.objects.get()
    assert follow.poll(source.pk)["error"] == "Not an RSS or Atom feed."
    FollowedSource.objects.update(followed_by=None)
    assert "Nobody to record" in follow.poll(source.pk)["error"]
    source.refresh_from_db()
    assert source.failures == 2


def test_poll_followed_reports_a_feeds_new_claims_and_relative_links_resolve_against_the_feed(
    server, seeds, reviewer, capsys
):
    feed = rss("", [("g-1", "/news/one/", "One")])  # a link relative to the feed's address
    server.answer((200, {"Content-Type": "application/rss+xml"}, feed), (200, HTML, article_page(seeds[0])))
    call_command("follow", f"{server.base_url}/feeds/main.xml", "--kind", "rss", "--by", reviewer.username)
    capsys.readouterr()
    call_command("poll_followed")
    claims = Claim.objects.count()
    assert claims > 0
    assert capsys.readouterr().out == (
        f"{server.base_url}/feeds/main.xml: 1 items found, 1 new ({claims} new claims for review).\n"
    )
    assert [r.path for r in server.requests] == ["/feeds/main.xml", "/news/one/"]
