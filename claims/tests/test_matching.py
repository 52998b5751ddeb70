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
from pgvector.django import CosineDistance

from claims import services
from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.matching.embeddings import DIMENSIONS, embed_text
from claims.matching.ranking import DIFFERENT_FIGURE, SAME, figures_differ, match_claims
from claims.models import Claim
from claims.tests.api_world import client_for

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
    def batch(prefix, first=0):
        items = [
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"https://{prefix}.example/{n}",
                "author": {"@type": "Organization", "name": f"Check {prefix}", "url": f"https://{prefix}.example"},
                "claimReviewed": f"Claim {prefix} number {n}: the river {prefix} flooded {n} villages.",
                "reviewRating": {"@type": "Rating", "alternateName": "False"},
            }
            for n in range(first, first + 5)
        ]
        return [ImportInput.from_bytes("x.jsonl", "".join(json.dumps(i) + "\n" for i in items).encode())]

    import_claimreview(batch("warm"))  # once-per-process lookups out of the way
    with override_settings(FACTCHECK_MATCHING_EMBED_ON_WRITE=False), CaptureQueriesContext(connection) as without:
        import_claimreview(batch("a"))
    with override_settings(FACTCHECK_IMPORT_GROUPING=False), CaptureQueriesContext(connection) as with_vectors:
        import_claimreview(batch("b"))
    assert len(with_vectors) == len(without)
    # Grouping reviews onto stored claims adds the candidate search: one LATERAL query per batch,
    # whatever its size (other figures: none joins a stored claim).
    with CaptureQueriesContext(connection) as grouped:
        report = import_claimreview(batch("c", first=50))
    assert len(grouped) == len(without) + 1 and report.attached == 0
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


# --- GET /api/v1/claims/match/ -----------------------------------------------------------------


@pytest.fixture
def published_corpus(reviewer, editor, ratings):
    from claims.tests import factories

    made = {}
    for text in [WAGE, SPAIN, *OTHERS]:
        claim = services.create_claim(text=text, by=reviewer)
        made[text] = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claim=claim)
    made["hidden"] = services.create_claim(
        text="The minimum wage will rise to 15 dollars an hour in 2027.", by=reviewer
    )
    return made


def test_the_match_endpoint_finds_a_paraphrase_and_a_translation(published_corpus):
    client = client_for()
    paraphrase = client.get("/api/v1/claims/match/", {"text": "Next year the lowest legal hourly pay goes up to $15."})
    assert paraphrase.status_code == 200, paraphrase.json()
    top = paraphrase.json()["results"][0]
    assert top["claim"]["slug"] == published_corpus[WAGE].slug
    assert top["claim"]["url"].endswith(f"/api/v1/claims/{published_corpus[WAGE].slug}/")
    assert set(top) >= {"score", "similarity", "match_class", "label", "reason", "lexical_rank", "semantic_rank"}
    translation = client.get(
        "/api/v1/claims/match/", {"text": "El salario mínimo subirá a 15 dólares por hora el próximo año."}
    ).json()
    assert translation["language"] == "es"
    assert translation["results"][0]["claim"]["slug"] == published_corpus[WAGE].slug
    assert translation["results"][0]["match_class"] == "same"
    assert translation["results"][0]["label"] == "likely the same claim"


def test_the_match_endpoint_calls_near_misses_related_not_the_same(published_corpus):
    client = client_for()
    for text in (
        "The minimum wage will rise to 12 dollars an hour next year.",
        "Unemployment in Italy reached 20 percent last year.",
    ):
        results = client.get("/api/v1/claims/match/", {"text": text}).json()["results"]
        assert results and results[0]["match_class"] == "related-different-figure", results[0]
        assert all(item["match_class"] != "same" for item in results)


def test_anonymous_callers_match_published_claims_only_staff_all(published_corpus, reviewer):
    text = "The minimum wage will rise to 15 dollars an hour in 2027."
    hidden = published_corpus["hidden"].slug
    anonymous = client_for().get("/api/v1/claims/match/", {"text": text}).json()["results"]
    assert hidden not in [item["claim"]["slug"] for item in anonymous]
    assert all(item["claim"]["status"] == "published" for item in anonymous)
    staff = client_for(reviewer).get("/api/v1/claims/match/", {"text": text}).json()["results"]
    assert staff[0]["claim"]["slug"] == hidden and staff[0]["match_class"] == "same"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x", "language": "no such tag"}, "language"),
        ({"text": "x", "limit": "0"}, "limit"),
        ({"text": "x", "limit": "many"}, "limit"),
        ({"text": "x" * 2001}, "text"),
    ],  # fmt: skip
)
def test_the_match_endpoint_answers_400_naming_the_field(params, field):
    response = client_for().get("/api/v1/claims/match/", params)
    assert response.status_code == 400 and field in response.json(), response.json()


def test_the_match_endpoint_is_in_the_openapi_document():
    import yaml

    schema = yaml.safe_load(client_for().get("/api/v1/schema/").content)
    operation = schema["paths"]["/api/v1/claims/match/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"text", "language", "limit"}
    assert "200" in operation["responses"] and "400" in operation["responses"]


# --- Where a claim enters: POST /api/v1/claims/ and the admin's add form -----------------------


def test_the_api_refuses_a_likely_duplicate_even_in_another_language_unless_insisted(corpus, reviewer):
    client = client_for(reviewer)
    existing = corpus[WAGE]
    before = Claim.objects.count()
    for text in (WAGE, "El salario mínimo subirá a 15 dólares por hora el próximo año."):
        refused = client.post("/api/v1/claims/", {"text": text}, format="json")
        assert refused.status_code == 409, refused.json()
        body = refused.json()
        assert body["code"] == "duplicate" and "text" in body and "allow_duplicate" in body["text"][0]
        assert body["duplicates"][0]["claim"]["slug"] == existing.slug
        assert body["duplicates"][0]["match_class"] == "same"
    assert Claim.objects.count() == before
    insisted = client.post(
        "/api/v1/claims/",
        {"text": "El salario mínimo subirá a 15 dólares por hora el próximo año.", "allow_duplicate": True},
        format="json",
    )
    assert insisted.status_code == 201, insisted.json()
    assert [item["claim"]["slug"] for item in insisted.json()["likely_duplicates"]] == [existing.slug]
    assert insisted.json()["language"] == "es"
    assert Claim.objects.count() == before + 1


def test_the_api_creates_a_near_miss_without_calling_it_a_duplicate(corpus, reviewer):
    created = client_for(reviewer).post(
        "/api/v1/claims/", {"text": "The minimum wage will rise to 12 dollars an hour next year."}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["likely_duplicates"] == []


def test_the_admin_add_form_warns_of_a_translation_and_needs_confirmation(client, corpus, reviewer):
    from django.urls import reverse

    client.force_login(reviewer)
    text = "Минимальная зарплата в следующем году вырастет до 15 долларов в час."
    data = {
        "text": text,
        "slug": "",
        "language": "",
        "first_seen": "2026-03-10",
        "appearances-TOTAL_FORMS": "0",
        "appearances-INITIAL_FORMS": "0",
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "1000",
    }
    add = reverse("admin:claims_claim_add")
    warned = client.post(add, data)
    page = warned.content.decode()
    assert warned.status_code == 200 and "likely duplicate" in page
    assert reverse("admin:claims_claim_change", args=[corpus[WAGE].pk]) in page
    assert not Claim.objects.filter(text=text).exists()
    saved = client.post(add, {**data, "not_a_duplicate": "on"})
    assert saved.status_code == 302
    assert Claim.objects.get(text=text).language == "ru"


def test_the_semantic_list_is_full_through_the_hnsw_index_even_with_hidden_claims_filtered_out():
    """The index scan alone yields at most hnsw.ef_search (40) rows before the visibility filter;
    the matcher must still get its 50 nearest public claims."""
    from django.db import transaction

    from claims.choices import ClaimStatus
    from claims.matching.ranking import CANDIDATES, semantic_candidates
    from claims.tests import factories

    for n in range(90):
        status = ClaimStatus.PUBLISHED if n % 3 else ClaimStatus.NEW
        factories.ClaimFactory(text=f"The river flooded {n} villages in the north.", status=status)
    services.embed_claims()
    distance = CosineDistance("embedding", embed_text("Floods hit villages"))
    with transaction.atomic(), connection.cursor() as cursor:
        # The plan of a large table: read in distance order from the index, not sorted.
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        sql, params = Claim.objects.public().order_by(distance).values("id")[:50].query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        assert "claim_embedding_hnsw_idx" in " ".join(row[0] for row in cursor.fetchall())
        found = semantic_candidates(Claim.objects.public(), distance)
    assert len(found) == CANDIDATES == 50
    assert set(found) <= set(Claim.objects.public().values_list("id", flat=True))


def test_the_match_endpoint_runs_a_fixed_number_of_queries(published_corpus, django_assert_num_queries):
    """The rate limit's counter, lexical list, index width, semantic list, candidate rows (plus the
    savepoint around the width setting inside the test's transaction), however many claims match."""
    client = client_for()
    client.get("/api/v1/claims/match/", {"text": WAGE})  # the model and URL templates warmed up
    for text in (WAGE, "Vaccines cause autism and the minimum wage will rise."):
        with django_assert_num_queries(7):
            assert client.get("/api/v1/claims/match/", {"text": text}).status_code == 200
