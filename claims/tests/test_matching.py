"""Semantic matching with the real model: embeddings on write and in bulk, fused ranking, the
two thresholds and the near misses they must not call "the same claim", the match endpoint.

Everything that runs the ~150 MB encoder is in this module (marked `matching`), so the model is
loaded once per test process; other tests write claims without vectors (conftest.py)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from claims import services
from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.matching.embeddings import DIMENSIONS, embed_text
from claims.matching.ranking import DIFFERENT_FIGURE, SAME, figures_differ, match_claims
from claims.models import Claim
from claims.tests.api_world import _fresh_throttle_counts, client_for  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.matching]

WAGE = "The minimum wage will rise to 15 dollars an hour next year."
SPAIN = "Unemployment in Spain reached 20 percent last year."
OTHERS = [
    "Teachers' salaries will be frozen next year.",
    "Vaccines cause autism.",
    "More than 20 million ethnic Azeris live in Iran.",
    "The government doubled the price of petrol.",
]


@pytest.fixture
def corpus(reviewer):
    made = {text: services.create_claim(text=text, by=reviewer) for text in [WAGE, SPAIN, *OTHERS]}
    return made


def _ranked(text, **kwargs):
    return match_claims(text, queryset=Claim.objects.all(), **kwargs)[1]


def test_a_claim_gets_its_embedding_when_written_and_again_when_its_text_changes(reviewer):
    claim = services.create_claim(text=WAGE, by=reviewer)
    stored = Claim.objects.get(pk=claim.pk).embedding
    assert stored is not None and len(stored) == DIMENSIONS
    claim = services.update_claim(claim=claim, by=reviewer, text=SPAIN)
    changed = Claim.objects.get(pk=claim.pk).embedding
    assert sum(a * b for a, b in zip(stored, changed, strict=True)) < 0.9
    assert abs(sum(a * b for a, b in zip(changed, embed_text(SPAIN), strict=True)) - 1) < 1e-3


def test_a_paraphrase_is_found_first(corpus):
    ranked = _ranked("Next year the lowest legal hourly pay goes up to $15.")
    assert ranked[0].text == WAGE
    assert ranked[0].semantic_rank == 1 and ranked[0].reason


@pytest.mark.parametrize(
    "translation",
    [
        "Минимальная зарплата в следующем году вырастет до 15 долларов в час.",
        "El salario mínimo subirá a 15 dólares por hora el próximo año.",
        "O salário mínimo vai subir para 15 dólares por hora no ano que vem.",
    ],
)
def test_a_translation_is_found_first_and_called_likely_the_same(corpus, translation):
    ranked = _ranked(translation)
    assert ranked[0].text == WAGE
    assert ranked[0].match_class == SAME, ranked[0].reason
    assert "same meaning" in ranked[0].reason


def test_a_translation_with_its_own_scale_words_is_not_a_different_figure(corpus):
    ranked = _ranked("Irán tiene más de 20 millones de azeríes.")
    assert ranked[0].text == "More than 20 million ethnic Azeris live in Iran."
    assert figures_differ(
        "More than 20 million ethnic Azeris live in Iran.", "İranda 20 milyondan çox azərbaycanlı yaşayır."
    ) == (False, "")


def test_the_same_claim_with_another_number_is_related_different_figure_never_the_same(corpus):
    ranked = _ranked("The minimum wage will rise to 12 dollars an hour next year.")
    top = ranked[0]
    assert top.text == WAGE and top.similarity > 0.9  # the vectors alone would call it the same
    assert top.match_class == DIFFERENT_FIGURE
    assert "12 dollars" in top.reason and "15 dollars" in top.reason
    assert all(item.match_class != SAME for item in ranked)


def test_the_same_claim_about_another_place_is_never_the_same(corpus):
    ranked = _ranked("Unemployment in Italy reached 20 percent last year.")
    top = ranked[0]
    assert top.text == SPAIN and top.similarity > 0.8
    assert top.match_class == DIFFERENT_FIGURE and "italy" in top.reason and "spain" in top.reason
    assert all(item.match_class != SAME for item in ranked)


def test_an_unrelated_text_matches_nothing_as_the_same(corpus):
    ranked = _ranked("The moon landing was filmed in a studio.")
    assert all(item.match_class != SAME for item in ranked)


def test_the_import_writes_embeddings_in_its_copy_without_an_extra_statement():
    def batch(prefix):
        items = [
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"https://{prefix}.example/{n}",
                "author": {"@type": "Organization", "name": f"Check {prefix}", "url": f"https://{prefix}.example"},
                "claimReviewed": f"Claim {prefix} number {n}: the river {prefix} flooded {n} villages.",
                "reviewRating": {"@type": "Rating", "alternateName": "False"},
            }
            for n in range(5)
        ]
        return [ImportInput.from_bytes("x.jsonl", "".join(json.dumps(i) + "\n" for i in items).encode())]

    import_claimreview(batch("warm"))  # once-per-process lookups out of the way
    with override_settings(FACTCHECK_MATCHING_EMBED_ON_WRITE=False), CaptureQueriesContext(connection) as without:
        import_claimreview(batch("a"))
    with CaptureQueriesContext(connection) as with_vectors:
        import_claimreview(batch("b"))
    assert len(with_vectors) == len(without)
    assert Claim.objects.filter(text__startswith="Claim b", embedding__isnull=False).count() == 5
    assert Claim.objects.filter(text__startswith="Claim a", embedding__isnull=True).count() == 5


def test_the_backfill_command_embeds_what_is_missing_without_touching_versions(reviewer):
    with override_settings(FACTCHECK_MATCHING_EMBED_ON_WRITE=False):
        claim = services.create_claim(text=SPAIN, by=reviewer)
    Claim.objects.filter(pk=claim.pk).update(language="")
    before = Claim.objects.get(pk=claim.pk)
    assert before.embedding is None
    call_command("embed_claims", verbosity=0)
    after = Claim.objects.get(pk=claim.pk)
    assert after.embedding is not None and after.language == "en"
    assert after.updated_at == before.updated_at  # the optimistic-lock version is unchanged

