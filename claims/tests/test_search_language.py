"""Search in the claim's language: the stored vector is stemmed in the claim's own language and a
query in the reader's (`?language=`, Accept-Language) or the text's own, so a Portuguese, Russian
or Arabic claim is found by its other word forms — which English stemming never matched."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.models import Claim
from claims.tests import factories
from claims.tests.api_world import client_for

pytestmark = pytest.mark.django_db

# (language, the claim as stored, a query in other word forms of its words)
WORD_FORMS = [
    ("pt", "O desmatamento na Amazônia caiu pela metade.", "desmatamentos amazônicos"),
    ("ru", "Население России сократилось на миллион человек.", "населения россии"),
    ("ar", "الحكومة خفضت أسعار الخبز.", "حكومة الخبز"),
]


@pytest.fixture
def claims(reviewer, editor, ratings):
    made = {}
    for language, text, _query in WORD_FORMS:
        claim = factories.ClaimFactory(text=text, slug=f"claim-{language}", language=language)
        factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claim=claim)
        made[language] = claim
    factories.published_claim(
        reviewer=reviewer,
        editor=editor,
        rating=ratings["true"],
        claim=factories.ClaimFactory(text="Forests in Brazil were cut by half.", slug="claim-en", language="en"),
    )
    return made


def found(**params) -> list[str]:
    headers = params.pop("headers", {})
    response = client_for().get("/api/v1/claims/", params, headers=headers)
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_each_claims_vector_is_stemmed_in_its_own_language(claims):
    with connection.cursor() as cursor:
        cursor.execute("SELECT slug, search_vector::text FROM claims_claim WHERE slug LIKE 'claim-%%' ORDER BY slug")
        vectors = dict(cursor.fetchall())
    assert "'desmat'" in vectors["claim-pt"] and "'amazôn'" in vectors["claim-pt"]
    assert "'населен'" in vectors["claim-ru"]
    assert "'حكوم'" in vectors["claim-ar"] and "'خبز'" in vectors["claim-ar"]
    assert "'forest'" in vectors["claim-en"]  # English as before


@pytest.mark.parametrize(("language", "text", "query"), WORD_FORMS)
def test_other_word_forms_find_the_claim_in_its_language(claims, language, text, query):
    assert Claim.objects.search(query, language=language).get().slug == f"claim-{language}"
    # the reader's language from the API's `language`, or from Accept-Language
    assert found(q=query, language=language) == [f"claim-{language}"]
    assert found(q=query, headers={"Accept-Language": f"{language};q=0.9, *;q=0.1"}) == [f"claim-{language}"]
    # with neither (or a reader of another language), the text's own language is detected
    assert found(q=query) == [f"claim-{language}"]
    assert found(q=query, headers={"Accept-Language": "en-GB,en;q=0.8"}) == [f"claim-{language}"]
    # with an ordering and another filter beside it, the search stems the same way
    assert found(q=query, language=language, ordering="-rank", status="published") == [f"claim-{language}"]


def test_english_still_stems_and_a_language_without_stemmer_is_searched_as_written(claims, reviewer, editor, ratings):
    assert found(q="forest cutting") == ["claim-en"]
    persian = factories.ClaimFactory(text="دولت قیمت بنزین را دو برابر کرد.", slug="claim-fa", language="fa")
    factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claim=persian)
    assert found(q="قیمت بنزین", language="fa") == ["claim-fa"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT factcheck_search_config('fa')::text, factcheck_search_config('pt-BR')::text")
        assert cursor.fetchone() == ("simple", "portuguese")


def test_a_malformed_language_is_a_400_naming_it(claims):
    for params in ({"q": "x", "language": "not a tag!"}, {"q": "x", "language": "x" * 40, "status": "published"}):
        response = client_for().get("/api/v1/claims/", params)
        assert response.status_code == 400, response.content
        assert "language" in response.json()


def test_a_malformed_accept_language_is_ignored_not_an_error(claims):
    for header in ("!!!", "*", "x" * 300, "pt;q=abc"):
        assert found(q="населения россии", headers={"Accept-Language": header}) == ["claim-ru"]
