"""The reader site in every language of settings.LANGUAGES: language-prefixed URLs (English
unprefixed), the no-JavaScript switcher, lang/dir and hreflang alternates, the sitemap's and the
feed's languages, the page cache per language, tip emails in the tipster's language, and claims
shown in their own language with the same claim in other languages."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test.signals import template_rendered
from django.utils import translation
from rest_framework.test import APIClient

from claims import services
from claims import site_selectors as selectors
from claims.intake import emails
from claims.models import TipSubscription
from claims.tests.factories import published_claim
from claims.tests.test_tipline import smtp  # noqa: F401  (the real SMTP server fixture)

pytestmark = pytest.mark.django_db

WAGE = "The minimum wage will rise to 15 dollars an hour next year."
WAGE_RU = "Минимальная зарплата в следующем году вырастет до 15 долларов в час."
WAGE_ES = "El salario mínimo subirá a 15 dólares por hora el próximo año."
CODES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request leaves its language active in the thread; each test starts from the default."""
    translation.deactivate()
    yield
    translation.deactivate()


def _url(obj) -> str:
    """The object's English (unprefixed) path, whatever language the last request left active."""
    with translation.override(settings.LANGUAGE_CODE):
        return obj.get_absolute_url()


def _prefix(code: str) -> str:
    return "" if code == settings.LANGUAGE_CODE else f"/{code}"


def _html_tag(html: str) -> str:
    found = re.search(r"<html[^>]*>", html)
    assert found, html[:200]
    return found.group(0)


@pytest.fixture
def claim(reviewer, editor, ratings):
    return published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], summary="No such law.")


# --- URLs, lang and dir ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "lang", "direction"),
    [
        ("/", "en", "ltr"),
        ("/fa/", "fa", "rtl"),
        ("/fa/claims/", "fa", "rtl"),
        ("/fa/sources/", "fa", "rtl"),
        ("/fa/measures/", "fa", "rtl"),
        ("/fa/methodology/", "fa", "rtl"),
        ("/fa/corrections/", "fa", "rtl"),
        ("/fa/tips/", "fa", "rtl"),
        ("/ar/", "ar", "rtl"),
        ("/ru/claims/", "ru", "ltr"),
        ("/az/", "az", "ltr"),
        ("/tr/", "tr", "ltr"),
        ("/es/", "es", "ltr"),
    ],
)
def test_each_language_has_its_own_urls_with_lang_and_dir_on_html(client, path, lang, direction):
    response = client.get(path)
    assert response.status_code == 200
    assert _html_tag(response.content.decode()) == f'<html lang="{lang}" dir="{direction}">'


def test_a_persian_claim_page_has_lang_fa_and_dir_rtl_and_its_claim_keeps_its_own_language(client, claim):
    html = client.get(f"/fa{_url(claim)}").content.decode()
    assert _html_tag(html) == '<html lang="fa" dir="rtl">'
    assert f'<h1 class="claim__text" lang="{claim.language}" dir="auto">' in html


def test_the_cookie_does_not_move_english_urls_and_the_admin_follows_the_cookie(client, claim):
    """English keeps its unprefixed URLs whatever the cookie says; the unprefixed admin and API
    follow the switcher's cookie (or Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    assert _html_tag(client.get(_url(claim)).content.decode()) == '<html lang="en" dir="ltr">'
    login = client.get("/admin/login/")
    assert login.status_code == 200 and login.headers["Content-Language"] == "fa"
    api = APIClient(headers={"Accept-Language": "ru"}).get("/api/v1/claims/")
    assert api.headers["Content-Language"] == "ru"


# --- The switcher ---------------------------------------------------------------------------


def _switcher_next(html: str, code: str) -> str:
    """The `next` the switcher's form for `code` sends (one plain form per language)."""
    forms = re.findall(r'<form method="post" action="/i18n/setlang/">(.*?)</form>', html, flags=re.S)
    for form in forms:
        if f'name="language" value="{code}"' in form:
            return re.search(r'name="next" value="([^"]*)"', form).group(1)
    raise AssertionError(f"no switcher form for {code}")


def test_switching_language_keeps_the_reader_on_the_same_page(client, claim):
    english = client.get(_url(claim) + "?page=1")
    next_fa = _switcher_next(english.content.decode(), "fa")
    assert next_fa == f"/fa{_url(claim)}?page=1"

    persian = client.post("/i18n/setlang/", {"language": "fa", "next": next_fa}, follow=True)
    assert persian.redirect_chain == [(next_fa, 302)]
    assert persian.status_code == 200 and persian.request["PATH_INFO"] == f"/fa{_url(claim)}"
    assert _html_tag(persian.content.decode()) == '<html lang="fa" dir="rtl">'
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fa"

    next_en = _switcher_next(persian.content.decode(), "en")
    back = client.post("/i18n/setlang/", {"language": "en", "next": next_en}, follow=True)
    assert back.redirect_chain == [(f"{_url(claim)}?page=1", 302)]
    assert _html_tag(back.content.decode()) == '<html lang="en" dir="ltr">'


def test_the_switcher_refuses_to_send_the_reader_off_the_site(client):
    response = client.post("/i18n/setlang/", {"language": "fa", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/fa/"


# --- hreflang, sitemap, feed ----------------------------------------------------------------


def test_every_page_lists_each_language_and_x_default_as_alternates(client, claim):
    for path in ["/", _url(claim), "/sources/", "/methodology/", "/tips/"]:
        for shown_in in ("en", "fa"):
            html = client.get(f"{_prefix(shown_in)}{path}").content.decode()
            head = html.split("</head>")[0]
            for code in CODES:
                assert f'<link rel="alternate" hreflang="{code}" href="http://testserver{_prefix(code)}{path}">' in head
            assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{path}">' in head


def test_the_sitemap_lists_each_page_in_every_language_with_alternates(client, claim):
    xml = client.get("/sitemap.xml").content.decode()
    path = _url(claim)
    for code in CODES:
        assert f"<loc>http://testserver{_prefix(code)}{path}</loc>" in xml
        assert f'hreflang="{code}" href="http://testserver{_prefix(code)}{path}"' in xml
    assert f'hreflang="x-default" href="http://testserver{path}"' in xml


def test_there_is_a_feed_per_language_under_its_prefix(client, claim):
    persian = client.get("/fa/feed/")
    assert persian.status_code == 200 and persian["Content-Type"].startswith("application/atom+xml")
    xml = persian.content.decode()
    assert 'xml:lang="fa"' in xml
    assert f'href="http://testserver/fa{_url(claim)}#verdict-' in xml
    assert "<id>http://testserver/fa/feed/</id>" in xml
    english = client.get("/feed/").content.decode()
    assert 'xml:lang="en"' in english and f'href="http://testserver{_url(claim)}#verdict-' in english
    # Every page points at its own language's feed.
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml" [^>]*href="/fa/feed/">',
        client.get("/fa/").content.decode(),
    )


# --- The page cache -------------------------------------------------------------------------


def test_the_page_cache_never_serves_one_languages_page_to_another(client, claim, django_assert_num_queries):
    assert settings.FACTCHECK_PAGE_CACHE_SECONDS > 0  # the cache is on
    path = _url(claim)
    english = client.get(path)
    with django_assert_num_queries(1):  # from the cache: only the publication generation
        assert client.get(path).content == english.content
    persian = client.get(f"/fa{path}")
    assert _html_tag(persian.content.decode()) == '<html lang="fa" dir="rtl">'
    with django_assert_num_queries(1):
        again = client.get(f"/fa{path}")
    assert again.content == persian.content and again.content != english.content
    # A Persian reader's cookie does not change what the English URL serves from the cache.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    assert client.get(path).content == english.content


def test_the_page_cache_keys_name_the_language(rf):
    """Belt and braces: the same URL rendered in two languages lands under two keys."""
    from claims.page_cache import _key

    request = rf.get("/claims/x/")
    with translation.override("en"):
        english = _key(request, 7)
    with translation.override("fa"):
        persian = _key(request, 7)
    assert english != persian and ":fa:" in persian and ":en:" in english


# --- Emails in the tipster's language -------------------------------------------------------


def test_a_subscription_keeps_the_language_of_the_page_or_of_accept_language(client):
    client.post(
        "/fa/tips/",
        {"text": "دولت قیمت بنزین را دو برابر کرد.", "email": "page@example.org", "consent": "on"},
    )
    APIClient(headers={"Accept-Language": "ru"}).post(
        "/api/v1/tips/",
        {"text": "Население России сократилось на миллион человек.", "email": "api@example.org", "consent": True},
        format="json",
    )
    languages = dict(TipSubscription.objects.values_list("email", "language"))
    assert languages == {"page@example.org": "fa", "api@example.org": "ru"}


@pytest.fixture
def rendered_in():
    """(template name, active language) of each template rendered while the test runs."""
    seen = []

    def record(sender, template, context, **kwargs):
        seen.append((template.name, translation.get_language()))

    template_rendered.connect(record)
    yield seen
    template_rendered.disconnect(record)


def test_emails_are_written_and_linked_in_the_tipsters_language(smtp, claim, editor, rendered_in):  # noqa: F811
    services_claim = claim
    persian = TipSubscription.objects.create(
        claim=services_claim, email="fa@example.org", language="fa", consented_at=claim.created_at
    )
    english = TipSubscription.objects.create(
        claim=services_claim, email="en@example.org", language="en", consented_at=claim.created_at
    )
    with translation.override("ru"):  # whatever the worker's own language is
        assert emails.send_confirmation(persian.pk) == 1
        assert emails.send_confirmation(english.pk) == 1
    assert ("claims/emails/confirmation.txt", "fa") in rendered_in
    assert ("claims/emails/confirmation.txt", "en") in rendered_in
    to_persian, to_english = smtp.messages
    assert to_persian["Content-Language"] == "fa" and to_english["Content-Language"] == "en"
    assert re.search(r"https?://[^\s/]+/fa/tips/confirm/", to_persian.get_content())
    assert re.search(r"https?://[^\s/]+/fa/tips/unsubscribe/", to_persian["List-Unsubscribe"])
    assert re.search(r"https?://[^\s/]+/tips/confirm/", to_english.get_content())

    TipSubscription.objects.filter(pk=persian.pk).update(confirmed_at=claim.created_at)
    assert emails.send_verdict_message(
        subscription_id=persian.pk, verdict_id=claim.published_verdict_id, event="published"
    )
    assert ("claims/emails/verdict.txt", "fa") in rendered_in
    verdict_mail = smtp.messages[-1]
    assert verdict_mail["Content-Language"] == "fa"
    assert f"/fa{_url(claim)}" in verdict_mail.get_content()
    assert claim.text in verdict_mail.get_content()  # the claim keeps its own wording


# --- Claims in their own language, the same claim in other languages -----------------------


@pytest.fixture
def translations(reviewer, editor, ratings):
    def made(text, *, publish=True):
        created = services.create_claim(text=text, by=reviewer)
        if publish:
            return published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claim=created)
        return created

    return {
        "en": made(WAGE),
        "ru": made(WAGE_RU),
        "es_draft": made(WAGE_ES, publish=False),
        "other": made("Vaccines cause autism."),
    }


@pytest.mark.matching
def test_a_claim_page_offers_the_same_claim_in_other_languages(client, translations, django_assert_num_queries):
    english, russian = translations["en"], translations["ru"]
    assert (english.language, russian.language) == ("en", "ru")
    html = client.get(_url(english)).content.decode()
    section = html.split('id="other-languages"')[1].split("</section>")[0]
    assert f'<a href="{_url(russian)}" lang="ru" dir="auto" hreflang="ru">{russian.text}</a>' in section
    assert WAGE_ES not in html  # not published: never offered
    assert "Vaccines" not in section  # another claim, not a translation
    assert f'<h1 class="claim__text" lang="en" dir="auto">{english.text}</h1>' in html
    # And back: the Russian claim, read on the Persian site, links to the English one.
    persian_page = client.get(f"/fa{_url(russian)}").content.decode()
    assert f'href="/fa{_url(english)}" lang="en"' in persian_page

    # Bounded and a fixed number of queries: the lexical list, the savepoint with the index's
    # search width and the semantic list, the candidates' rows, the linked claims.
    english.refresh_from_db()
    with django_assert_num_queries(7):
        found = selectors.same_claim_elsewhere(english)
    assert [other.pk for other in found] == [russian.pk]
    assert len(selectors.same_claim_elsewhere(english, limit=0)) == 0


def test_a_claim_without_an_embedding_links_to_none_and_costs_no_query(claim, django_assert_num_queries):
    claim.embedding = None
    with django_assert_num_queries(0):
        assert selectors.same_claim_elsewhere(claim) == []
