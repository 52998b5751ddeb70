"""A fixed slice of the matching evaluation set (bench/matching_eval/) run through the real match
path with the real model, so that matching quality cannot regress without a failing test: 20
claims written through the service; a paraphrase and one translation in each language the
embedding model covers must find their claim first and call it likely the same; 6 near misses
(another figure, in three languages, and a question asking for the figure) must not be called the
same claim.

The full set and its recall/MAP table: `python -m bench.matching_quality` (docs/MATCHING.md)."""

from __future__ import annotations

import pytest

from bench.matching_eval import load
from claims import services
from claims.matching.ranking import SAME, match_claims
from claims.models import Claim

pytestmark = [pytest.mark.django_db, pytest.mark.matching]

CLAIMS = [
    "eco-001", "eco-002", "eco-006", "eco-011", "eco-018", "geo-004", "geo-005", "geo-017", "geo-021",
    "ene-003", "ene-015", "hea-004", "hea-017", "hea-029", "mig-005", "mig-006", "mig-012", "mig-017",
    "ele-009", "geo-001",
]  # fmt: skip
FOUND = [  # (claim, kind, language of the query)
    ("eco-001", "paraphrase", "en"),
    ("geo-005", "translation", "ru"),
    ("ene-003", "translation", "es"),
    ("eco-002", "translation", "fr"),
    ("mig-006", "translation", "de"),
    ("geo-004", "translation", "pt"),
    ("eco-006", "translation", "ar"),
    ("geo-001", "translation", "tr"),
    ("hea-029", "translation", "en"),
]
NEAR_MISSES = [
    ("eco-001", "other-figure", "en"),
    ("eco-001", "other-figure", "es"),
    ("geo-017", "other-figure", "ru"),
    ("mig-005", "other-figure", "fr"),
    ("ene-015", "other-figure", "en"),
    ("geo-001", "question", "en"),  # "How many Azeris live in Iran?" asks, it does not claim
]


def _queries():
    claims, queries = load()
    texts = {claim.id: claim for claim in claims}
    chosen = {}
    for query in queries:
        chosen.setdefault((query.claim_id, query.kind, query.language), query)
    return texts, chosen


TEXTS, QUERIES = _queries()


@pytest.fixture
def eval_claims(reviewer):
    made = {
        claim_id: services.create_claim(text=TEXTS[claim_id].text, by=reviewer, language=TEXTS[claim_id].language)
        for claim_id in CLAIMS
    }
    assert Claim.objects.filter(embedding__isnull=False).count() == len(CLAIMS)
    return made


def test_the_slice_covers_every_language_the_model_knows_and_each_kind_of_near_miss():
    assert {language for _, _, language in FOUND} >= {"en", "es", "fr", "de", "pt", "ru", "ar", "tr"}
    assert all(key in QUERIES for key in FOUND + NEAR_MISSES)
    assert {claim for claim, _, _ in FOUND + NEAR_MISSES} <= set(CLAIMS)


@pytest.mark.parametrize("key", FOUND, ids=lambda key: "-".join(key))
def test_a_paraphrase_or_translation_finds_its_claim_first_as_likely_the_same(eval_claims, key):
    query = QUERIES[key]
    ranked = match_claims(query.text, queryset=Claim.objects.all())[1]
    assert ranked, query.text
    assert ranked[0].claim_id == eval_claims[key[0]].pk, (query.text, ranked[0].text, ranked[0].reason)
    assert ranked[0].match_class == SAME, ranked[0].reason


@pytest.mark.parametrize("key", NEAR_MISSES, ids=lambda key: "-".join(key))
def test_a_near_miss_is_not_called_the_same_claim(eval_claims, key):
    query = QUERIES[key]
    ranked = match_claims(query.text, queryset=Claim.objects.all())[1]
    called = [match for match in ranked if match.match_class == SAME]
    assert not called, [(match.text, match.reason) for match in called]
    source = [match for match in ranked if match.claim_id == eval_claims[key[0]].pk]
    assert source, "the near miss's own claim is still shown, as related"
