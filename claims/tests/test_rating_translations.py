"""The rating scale in every shipped language: seeded data, one function choosing the text (with
the English fallback), the admin inline that edits it, and the language of ClaimReview's
`alternateName` on pages, in the API and in the feed."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from claims import selectors
from claims.models import Claim, RatingLevel, RatingLevelTranslation
from claims.rating_text import rating_label, rating_text
from claims.tests.api_world import _fresh_throttle_counts, build_world, client_for  # noqa: F401

pytestmark = pytest.mark.django_db

SHIPPED = ["fa", "az", "ru", "ar", "tr", "es"]


@pytest.fixture
def world(reviewer, editor, ratings):
    return build_world(reviewer=reviewer, editor=editor, ratings=ratings)


def _translation(slug: str, language: str) -> RatingLevelTranslation:
    return RatingLevelTranslation.objects.get(level__slug=slug, language=language)


# --- The seeded data ------------------------------------------------------------------------------


def test_every_level_is_seeded_in_every_shipped_language_and_no_two_levels_share_a_name():
    levels = list(RatingLevel.objects.all())
    assert [code for code, _name in settings.LANGUAGES if code != "en"] == SHIPPED
    for language in SHIPPED:
        labels = [rating_text(level, language).label for level in levels]
        assert len(set(labels)) == len(levels), (language, labels)
        for level in levels:
            row = _translation(level.slug, language)
            assert row.label and row.description
            assert row.label != level.label or language in ("az", "tr") and level.slug == "true"
            assert row.description != level.description
    # Persian and Arabic are written in their own script, not transliterated.
    for language in ("fa", "ar"):
        assert all(re.search(r"[\u0600-\u06FF]", _translation(level.slug, language).label) for level in levels)


# --- The one function ---------------------------------------------------------------------------


def test_it_gives_the_translation_and_falls_back_to_the_levels_english(ratings):
    level = ratings["mostly-false"]
    assert rating_text(level, "es").label == "Mayormente falso"
    assert rating_text(level, "es-AR").label == "Mayormente falso"  # per language, not per region
    assert rating_text(level, "en") == rating_text(level, "en-GB")
    assert rating_text(level, "en").label == level.label == "Mostly false"
    assert rating_text(level, "de").label == "Mostly false"  # not shipped: the English
    with translation.override("ru"):
        assert rating_label(level) == "В основном неправда"  # the active language by default
    row = _translation("mostly-false", "tr")
    row.description = ""
    row.save()
    assert rating_text(level, "tr").label == "Çoğunlukla yanlış"
    assert rating_text(level, "tr").description == level.description  # an empty text reads the English
    row.delete()
    assert rating_text(level, "tr").label == "Mostly false"


def test_it_reads_a_languages_texts_in_one_query_however_many_levels_it_names(ratings):
    levels = list(RatingLevel.objects.all())
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            fa = [rating_label(level, "fa") for level in levels]
            en = [rating_label(level, "en") for level in levels]
    assert len(queries) == 1  # English needs none
    assert fa[0] == "درست" and en[0] == "True"


# --- The admin inline ---------------------------------------------------------------------------


def _level_form(level, rows, *, initial=0):
    data = {
        "slug": level.slug,
        "label": level.label,
        "ordinal": level.ordinal or "",
        "truth_weight": level.truth_weight if level.truth_weight is not None else "",
        "colour": level.colour,
        "description": level.description,
        "translations-TOTAL_FORMS": str(len(rows)),
        "translations-INITIAL_FORMS": str(initial),
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"translations-{index}-{name}"] = value
        data[f"translations-{index}-level"] = level.pk
    return data


def test_editors_edit_a_levels_translations_inline_and_readers_see_the_change(client, editor, reviewer, ratings):
    level = ratings["mixed"]
    RatingLevelTranslation.objects.filter(level=level).delete()
    change = reverse("admin:claims_ratinglevel_change", args=[level.pk])
    assert rating_text(level, "es").label == "Mixed"  # read (and kept) before the edit
    client.force_login(editor)
    page = client.get(change).content.decode()
    assert 'name="translations-TOTAL_FORMS"' in page and "فارسی" in page  # languages offered by name
    response = client.post(
        change,
        _level_form(
            level,
            [
                {"language": "es", "label": "Verdad a medias", "description": "En parte exacta."},
                {"language": "fa", "label": "نیمه‌درست", "description": ""},
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert rating_text(level, "es").label == "Verdad a medias"
    assert rating_text(level, "fa").description == level.description
    # One row per language: a second Spanish row is refused with the form, nothing is written.
    existing = list(RatingLevelTranslation.objects.filter(level=level).order_by("id"))
    rows = [{"id": row.pk, "language": row.language, "label": row.label, "description": ""} for row in existing]
    rows.append({"language": "es", "label": "Mixto", "description": ""})
    refused = client.post(change, _level_form(level, rows, initial=len(existing)))
    assert refused.status_code == 200
    assert "Please correct the duplicate data for language" in refused.content.decode()
    assert RatingLevelTranslation.objects.filter(level=level).count() == 2
    # A language the site does not ship is not a choice.
    refused = client.post(change, _level_form(level, [{"language": "de", "label": "Gemischt", "description": ""}]))
    assert refused.status_code == 200 and not RatingLevelTranslation.objects.filter(language="de").exists()
    client.force_login(reviewer)  # reviewers read the scale and its translations, never edit them
    page = client.get(change).content.decode()
    assert "Verdad a medias" in page and 'name="translations-0-label"' not in page


# --- ClaimReview alternateName per language -----------------------------------------------------


def test_the_claim_pages_claimreview_names_the_rating_in_the_pages_language(world, client):
    with translation.override("fa"):
        url = world.public_claim.get_absolute_url()
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    document = json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)[1])
    review = document if document.get("@type") == "ClaimReview" else document["@graph"][0]
    assert review["reviewRating"]["alternateName"] == "عمدتاً درست"
    assert review["reviewRating"]["ratingValue"] == 4  # the number is the same in every language
    with translation.override("en"):
        english = selectors.claimreview_for_claim(Claim.objects.get(pk=world.public_claim.pk))
    assert english["reviewRating"]["alternateName"] == "Mostly true"


@pytest.mark.parametrize(
    ("headers", "query", "expected"),
    [
        ({}, "", "Mostly true"),
        ({"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}, "", "Mayormente verdadero"),
        ({"HTTP_ACCEPT_LANGUAGE": "es"}, "?language=ru", "В основном правда"),  # the parameter wins
        ({"HTTP_ACCEPT_LANGUAGE": "de"}, "", "Mostly true"),
    ],
)
def test_the_api_names_the_rating_in_the_requested_language(world, headers, query, expected):
    response = client_for().get(f"/api/v1/claims/azeris-in-iran/claimreview/{query}", **headers)
    assert response.status_code == 200
    assert response.json()["reviewRating"]["alternateName"] == expected
    feed = client_for().get(f"/api/v1/claimreview/feed/{query}", **headers)
    items = [element["item"][0] for element in json.loads(b"".join(feed.streaming_content))["dataFeedElement"]]
    assert [item["reviewRating"]["alternateName"] for item in items] == [expected]
    assert "Accept-Language" in response.get("Vary", "")


def test_a_malformed_language_is_a_400_naming_it(world):
    response = client_for().get("/api/v1/claims/azeris-in-iran/claimreview/?language=!!")
    assert response.status_code == 400 and "language" in response.json()


def test_another_language_costs_the_api_one_query_for_its_translations(world):
    counts = {}
    for language in ("en", "tr"):
        with CaptureQueriesContext(connection) as queries:
            response = client_for().get(f"/api/v1/claims/azeris-in-iran/claimreview/?language={language}")
            assert response.status_code == 200
        counts[language] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            feed = client_for().get(f"/api/v1/claimreview/feed/?language={language}")
            b"".join(feed.streaming_content)
        counts[f"feed-{language}"] = len(queries)
    assert counts["tr"] == counts["en"] + 1
    assert counts["feed-tr"] == counts["feed-en"] + 1


def test_the_feed_names_ratings_in_the_readers_language(world, client):
    with translation.override("es"):
        url = reverse("claims:feed")
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Mayormente verdadero: " in body


# --- The API's messages follow the request language ---------------------------------------------


def test_the_api_error_messages_are_in_every_shipped_catalogue():
    """The machinery for Spanish errors under Accept-Language: es (LocaleMiddleware activates the
    request's language, `test_the_api_names_the_rating_in_the_requested_language` shows it) is
    the message being in each catalogue for the translators."""
    message = 'msgid "This claim has no published verdict, so there is no ClaimReview."'
    for language in SHIPPED:
        catalogue = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.po").read_text()
        assert message in catalogue, language


def test_the_badge_tag_and_the_filters_name_a_level_in_the_pages_language(ratings):
    from claims.templatetags.factcheck import rating_badge, rating_description
    from claims.templatetags.factcheck import rating_label as label_filter

    with translation.override("ar"):
        assert rating_badge(ratings["false"])["label"] == "خاطئ"
        assert label_filter(ratings["mixed"]) == "صحيح جزئيًا"
        assert rating_description(ratings["false"]) == "الادعاء غير دقيق."
        # A claim with no verdict hands the tag "" (a missing attribute), not a level.
        assert rating_badge("")["label"] == "" and label_filter("") == ""
