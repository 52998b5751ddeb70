"""URL normalisation (plain functions)."""

import pytest

from claims.ingest.links import domain_of, is_site_root, normalise_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.ORG/Path/Page?b=2&a=1", "https://www.example.org/Path/Page?b=2&a=1"),
        ("https://example.org/a?utm_source=x&utm_medium=y&id=7#section", "https://example.org/a?id=7"),
        ("https://example.org/a?fbclid=abc&gclid=def", "https://example.org/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/story#comment-5", "https://example.org/story#comment-5"),
        ("  https://example.org/x  ", "https://example.org/x"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
        ("not a url", "not a url"),
    ],
)
def test_it_normalises_urls(url, expected):
    assert normalise_url(url) == expected


def test_it_keeps_the_fragment_when_asked():
    assert normalise_url("https://Site.example/c/x/?utm_id=1#verdict-12", keep_fragment=True) == (
        "https://site.example/c/x/#verdict-12"
    )


def test_it_is_idempotent():
    url = "https://WWW.example.org/a?utm_source=x&q=1#frag"
    assert normalise_url(normalise_url(url)) == normalise_url(url)


def test_it_reads_domains_and_site_roots():
    assert domain_of("https://WWW.Example.org/a") == "example.org"
    assert domain_of(None) == "" and domain_of("nonsense") == ""
    assert is_site_root("https://example.org") and is_site_root("https://example.org/")
    assert not is_site_root("https://social.example/@someone") and not is_site_root(None)
