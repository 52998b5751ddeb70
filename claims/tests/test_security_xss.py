"""User text is inert on every page that shows it: claim text, quotes, summaries, rationales,
source and measure names, correction notes and withdrawal reasons, in HTML, JSON-LD, the feed
and the admin."""

import pytest

from claims import services
from claims.tests import factories

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT} {ATTRIBUTE}"
RAW = [b"<script>alert(1)", b"<img src=x onerror", b"onerror=alert(1)>"]


@pytest.fixture
def poisoned(reviewer, editor, ratings):
    source = factories.SourceFactory(name=f"Outlet {PAYLOAD}", slug="poisoned-outlet", description=PAYLOAD)
    claim = services.create_claim(text=f"Claim {PAYLOAD} about oil", by=reviewer, claimant=source)
    article = factories.ArticleFactory(outlet=source, title=f"Article {PAYLOAD}")
    appearance = services.add_appearance(claim=claim, article=article, by=reviewer, quote=f"Quote {PAYLOAD}")
    measure = factories.MeasureFactory(name=f"Measure {PAYLOAD}", slug="poisoned-measure", description=PAYLOAD)
    services.record_figure(
        appearance=appearance, measure=measure, by=reviewer, quoted_text=f"{ATTRIBUTE}", low=1, high=2
    )
    verdict = services.create_verdict(
        claim=claim, rating=ratings["false"], summary=f"Summary {PAYLOAD}",
        rationale=f"Rationale {PAYLOAD}\n\n[link](javascript:alert(1)) and <a href=\"javascript:alert(1)\">x</a>",
        by=reviewer, evidence=[{"url": "https://example.org/e", "title": f"Evidence {PAYLOAD}"}],
    )  # fmt: skip
    verdict = services.publish_verdict(verdict=services.submit_verdict(verdict=verdict, by=reviewer), by=editor)
    correction = services.draft_correction(
        verdict=verdict, by=reviewer, summary=f"Fix {PAYLOAD}", correction_note=f"Note {PAYLOAD}"
    )
    correction = services.publish_verdict(verdict=services.submit_verdict(verdict=correction, by=reviewer), by=editor)
    other = factories.published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["true"], claim=factories.ClaimFactory(slug="other")
    )
    services.withdraw_verdict(verdict=other.published_verdict, by=editor, reason=f"Reason {PAYLOAD}")
    claim.refresh_from_db()
    return {"claim": claim, "source": source, "measure": measure, "verdict": correction, "article": article}


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_inert(response, where):
    assert response.status_code == 200, where
    body = content(response)
    for raw in RAW:
        at = body.find(raw)
        assert at < 0, f"{raw!r} unescaped on {where}: {body[max(0, at - 300) : at + 80]!r}"
    assert b'href="javascript:' not in body, where  # markdown links are sanitised (text in a textarea is fine)


@pytest.mark.django_db
def test_it_escapes_user_text_on_every_reader_page(client, poisoned):
    claim = poisoned["claim"]
    pages = [
        "/",
        "/claims/",
        "/claims/?q=oil",
        f"/claims/{claim.slug}/",
        f"/sources/{poisoned['source'].slug}/",
        f"/measures/{poisoned['measure'].slug}/",
        "/corrections/",
        "/feed/",
        "/sitemap.xml",
        f"/claims/?q={SCRIPT}",  # the query itself is echoed back
    ]
    for page in pages:
        assert_inert(client.get(page), page)
    detail = content(client.get(f"/claims/{claim.slug}/"))
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in detail  # shown, as text
    assert detail.count(b"</script>") == detail.count(b"<script")  # JSON-LD cannot be closed early


@pytest.mark.django_db
def test_it_escapes_user_text_in_the_api_and_claimreview(client, poisoned):
    claim = poisoned["claim"]
    for path in (
        f"/api/v1/claims/{claim.slug}/claimreview/",
        "/api/v1/claimreview/feed/",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"].split(";")[0] in ("application/json", "application/ld+json")
        assert response["X-Content-Type-Options"] == "nosniff"  # never sniffed into HTML


@pytest.mark.django_db
def test_it_escapes_user_text_in_the_admin(client, editor, poisoned):
    client.force_login(editor)
    claim, verdict = poisoned["claim"], poisoned["verdict"]
    pages = [
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        "/admin/claims/verdict/",
        f"/admin/claims/verdict/{verdict.pk}/change/",
        f"/admin/claims/source/{poisoned['source'].pk}/change/",
        f"/admin/claims/measure/{poisoned['measure'].pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
    ]
    for page in pages:
        assert_inert(client.get(page), page)
