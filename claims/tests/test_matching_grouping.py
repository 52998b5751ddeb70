"""ClaimReview import groups reviews of one claim from different fact-checkers onto that claim
(paraphrased, or in another language), shows them together in claims:search, keeps a near miss
(another number) apart, and lets a reviewer split a wrong match off into its own claim."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.choices import ClaimStatus, VerdictStatus
from claims.ingest.articles import file_proposal, ingest_article
from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.models import Appearance, Article, Claim, Measure, Source, Verdict
from claims.tests.api_world import _fresh_throttle_counts, client_for  # noqa: F401
from claims.tests.seeds import SEEDS, needs_seeds

pytestmark = [pytest.mark.django_db, pytest.mark.matching]

ORIGINAL = "More than 30 million ethnic Azeris live in Iran."
PARAPHRASE = "Over 30 million Azerbaijani people live in Iran."
SPANISH = "En Irán viven más de 30 millones de azerbaiyanos."
RUSSIAN = "В Иране живут более 30 миллионов азербайджанцев."
NEAR_MISS = "Over 15 million Azerbaijani people live in Iran."


def review(checker: str, text: str, *, rating: str = "False", language: str | None = None, page: str = "") -> dict:
    slug = checker.lower().replace(" ", "")
    item = {"@type": "Claim", "author": {"@type": "Person", "name": "A Politician"}}
    if page:
        item["appearance"] = [{"@type": "CreativeWork", "url": page}]
    node = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://{slug}.example/checks/{abs(hash(text)) % 10**8}/",
        "author": {"@type": "Organization", "name": checker, "url": f"https://{slug}.example/"},
        "claimReviewed": text,
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        "datePublished": "2026-02-01",
    }
    if language:
        node["inLanguage"] = language
    return node


def run(*reviews, by=None):
    body = "".join(json.dumps(node) + "\n" for node in reviews).encode()
    return import_claimreview([ImportInput.from_bytes("reviews.jsonl", body)], by=by)


@pytest.fixture
def grouped():
    report = run(
        review("Truth Gauge", ORIGINAL, page="https://news.example/azeris"),
        review("Fakt Check", PARAPHRASE, rating="Mostly false", page="https://blog.example/iran"),
        review("Verificado", SPANISH, language="es", page="https://diario.example/azerbaiyanos"),
        review("Numbers Desk", NEAR_MISS, rating="Mixed"),
    )
    assert (report.created, report.attached, report.skipped) == (4, 2, 0), report.lines()
    return report


def test_three_fact_checkers_reviews_land_on_one_claim_and_a_near_miss_does_not(grouped):
    claim = Verdict.objects.get(organisation__name="Truth Gauge").claim
    reviews = Verdict.objects.filter(claim=claim, status=VerdictStatus.PUBLISHED)
    assert {v.organisation.name for v in reviews} == {"Truth Gauge", "Fakt Check", "Verificado"}
    assert claim.text == ORIGINAL and claim.published_verdict.organisation.name == "Truth Gauge"
    attached = {v.organisation.name: v.grouping_reason for v in reviews if v.grouping_reason}
    assert set(attached) == {"Fakt Check", "Verificado"}
    assert all("likely the same claim" in reason and "similarity" in reason for reason in attached.values())
    # Each review brought its appearance to the one claim.
    assert set(claim.appearances.values_list("article__url", flat=True)) == {
        "https://news.example/azeris",
        "https://blog.example/iran",
        "https://diario.example/azerbaiyanos",
    }
    near = Verdict.objects.get(organisation__name="Numbers Desk")
    assert near.claim_id != claim.pk and near.claim.text == NEAR_MISS and near.grouping_reason == ""
    assert Claim.objects.count() == 2


def test_claims_search_shows_the_grouped_reviews_under_one_claim(grouped):
    response = client_for(None).get("/api/v1alpha1/claims:search", {"query": "Iran", "pageSize": 10})
    assert response.status_code == 200, response.content
    by_text = {claim["text"]: claim for claim in response.json()["claims"]}
    assert set(by_text) == {ORIGINAL, NEAR_MISS}
    publishers = sorted(review["publisher"]["name"] for review in by_text[ORIGINAL]["claimReview"])
    assert publishers == ["Fakt Check", "Truth Gauge", "Verificado"]
    assert {review["textualRating"] for review in by_text[ORIGINAL]["claimReview"]} == {"False", "Mostly false"}
    assert [review["publisher"]["name"] for review in by_text[NEAR_MISS]["claimReview"]] == ["Numbers Desk"]


def test_a_later_import_attaches_a_translation_to_the_stored_claim_and_a_reimport_changes_nothing(grouped):
    claim = Verdict.objects.get(organisation__name="Truth Gauge").claim
    report = run(review("Proverka", RUSSIAN, language="ru"))
    assert (report.created, report.attached) == (1, 1), report.lines()
    russian = Verdict.objects.get(organisation__name="Proverka")
    assert russian.claim_id == claim.pk and f"'{claim.slug}'" in russian.grouping_reason
    again = run(
        review("Truth Gauge", ORIGINAL, page="https://news.example/azeris"),
        review("Fakt Check", PARAPHRASE, rating="Mostly false", page="https://blog.example/iran"),
        review("Proverka", RUSSIAN, language="ru"),
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3), again.lines()
    claim.refresh_from_db()
    assert claim.text == ORIGINAL and claim.language == "en"  # the grouped reviews do not reword it


def test_one_fact_checkers_two_reviews_are_never_grouped():
    report = run(review("Truth Gauge", ORIGINAL), review("Truth Gauge", PARAPHRASE))
    assert (report.created, report.attached) == (2, 0), report.lines()
    assert Claim.objects.count() == 2


def test_credibility_counts_a_grouped_claim_once(grouped):
    claimant = Source.objects.get(name="A Politician")
    assert claimant.rated_claims_count == 2  # the grouped claim and the near miss, not four reviews
    assert claimant.rating_counts == {"false": 1, "mixed": 1}


def test_a_reviewer_splits_a_wrong_match_into_its_own_claim(grouped, reviewer):
    claim = Verdict.objects.get(organisation__name="Truth Gauge").claim
    spanish = Verdict.objects.get(organisation__name="Verificado")
    measure = Measure.objects.create(name="Azeri population of Iran", slug="azeri-pop", unit="count")
    moved = Appearance.objects.get(claim=claim, article__url="https://diario.example/azerbaiyanos")
    figure = services.record_figure(
        appearance=moved, measure=measure, by=reviewer, quoted_text="30 millones", low=30_000_000, high=30_000_000
    )
    new = services.split_review(verdict=spanish, by=reviewer, expected_version=spanish.version)
    new.refresh_from_db()
    spanish.refresh_from_db()
    assert new.text == SPANISH and new.language == "es" and new.status == ClaimStatus.PUBLISHED
    assert new.published_verdict_id == spanish.pk and spanish.claim_id == new.pk and spanish.grouping_reason == ""
    assert list(new.appearances.values_list("article__url", flat=True)) == ["https://diario.example/azerbaiyanos"]
    figure.refresh_from_db()
    assert figure.appearance.claim_id == new.pk  # the figure went with its appearance
    assert set(claim.verdicts.values_list("organisation__name", flat=True)) == {"Truth Gauge", "Fakt Check"}
    assert not claim.appearances.filter(article__url="https://diario.example/azerbaiyanos").exists()
    history = spanish.history.order_by("-history_id").first()
    assert history.history_user == reviewer and "Split off" in history.history_change_reason
    reasons = {row.history_change_reason for row in new.history.all()}
    assert reasons == {f"Split off into its own claim (from claim '{claim.slug}')"[:100]}
    claimant = Source.objects.get(name="A Politician")
    assert claimant.rated_claims_count == 3  # the split claim now counts on its own


def test_splitting_the_headline_review_hands_the_claim_to_another_review(grouped, reviewer):
    claim = Verdict.objects.get(organisation__name="Truth Gauge").claim
    headline = claim.published_verdict
    services.split_review(verdict=headline, by=reviewer)
    claim.refresh_from_db()
    assert claim.published_verdict.organisation.name == "Fakt Check" and claim.status == ClaimStatus.PUBLISHED


def test_a_split_is_refused_for_a_lone_review_a_stale_version_and_a_non_reviewer(
    grouped, reviewer, staff_without_group
):
    near = Verdict.objects.get(organisation__name="Numbers Desk")
    with pytest.raises(ValidationError) as lone:
        services.split_review(verdict=near, by=reviewer)
    assert "only current review" in str(lone.value)
    spanish = Verdict.objects.get(organisation__name="Verificado")
    with pytest.raises(services.StaleVersion):
        services.split_review(verdict=spanish, by=reviewer, expected_version=spanish.version + 1)
    with pytest.raises(services.NotAllowed):
        services.split_review(verdict=spanish, by=staff_without_group)


# --- Article ingestion proposes the claims we have ------------------------------------------------


@needs_seeds
def test_a_republished_seed_article_proposes_its_claims_as_new_appearances(reviewer):
    text = (SEEDS / "000_3efd370b78738b1c.txt").read_text(encoding="utf-8")
    first = ingest_article(text=text, url="https://seed.example/000", by=reviewer, limit=4)
    assert first.created_claims == 4 and first.existing_claims == 0, first.lines()
    copy = ingest_article(text=text, url="https://syndicated.example/000", by=reviewer, limit=4)
    assert copy.created_claims == 0 and copy.existing_claims == 4, copy.lines()
    assert Claim.objects.count() == 4  # nothing written for the proposals
    made = {p.candidate.quote: p.claim_id for p in first.proposed}
    for proposal in copy.proposed:
        assert proposal.existing.claim_id == made[proposal.candidate.quote]
        assert proposal.existing.label == "likely the same claim" and proposal.existing.reason
    assert "proposed as a new appearance of it" in "\n".join(copy.lines())
    accepted, anyway = copy.proposed[0], copy.proposed[1]
    article = Article.objects.get(url="https://syndicated.example/000")
    claim = Claim.objects.get(pk=accepted.existing.claim_id)
    file_proposal(article=article, quote=accepted.candidate.quote, by=reviewer, claim=claim)
    assert set(claim.appearances.values_list("article__url", flat=True)) == {
        "https://seed.example/000",
        "https://syndicated.example/000",
    }
    filed = file_proposal(article=article, quote=anyway.candidate.quote, by=reviewer)
    assert filed.claim_id not in made.values() and Claim.objects.count() == 5
    with pytest.raises(ValidationError, match="already recorded"):
        file_proposal(article=article, quote=anyway.candidate.quote, by=reviewer)
    with pytest.raises(ValidationError, match="not one this article's ingestion proposes"):
        file_proposal(article=article, quote="A sentence the article never had.", by=reviewer)


def test_a_paraphrased_sentence_proposes_the_claim_and_a_near_miss_makes_a_new_one(reviewer):
    claim = services.create_claim(text=ORIGINAL, by=reviewer)
    paraphrase = ingest_article(
        text=f"Regional tensions rose again this week. {PARAPHRASE}\n", url="https://news.example/a", by=reviewer
    )
    (proposal,) = [p for p in paraphrase.proposed if PARAPHRASE in p.candidate.sentence]
    assert proposal.existing.claim_id == claim.pk and proposal.claim_id is None
    assert "similarity" in proposal.existing.reason and 0 < proposal.existing.score <= 1
    near = ingest_article(text=f"{NEAR_MISS}\n", url="https://news.example/b", by=reviewer)
    (proposal,) = near.proposed
    assert proposal.existing is None and proposal.claim_id not in (None, claim.pk)


def test_the_admin_page_shows_the_proposal_and_files_the_answer(client, reviewer, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    claim = services.create_claim(text=ORIGINAL, by=reviewer)
    client.force_login(reviewer)
    page = client.post(
        reverse("claims-ingest-article"),
        {"url": "https://news.example/a", "kind": "news", "limit": 5, "text": f"{PARAPHRASE}\n"},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Likely the same claim" in html and "Create a new claim anyway" in html
    article = Article.objects.get(url="https://news.example/a")
    answer = client.post(
        reverse("claims-ingest-proposal"), {"article": article.pk, "quote": PARAPHRASE, "claim": claim.pk}
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    assert claim.appearances.filter(article=article).exists()


def test_the_admin_confirms_then_splits_a_review(client, grouped, reviewer, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    spanish = Verdict.objects.get(organisation__name="Verificado")
    client.force_login(reviewer)
    change = client.get(reverse("admin:claims_verdict_change", args=[spanish.pk])).content.decode()
    assert "Split off into its own claim…" in change and "Grouped onto this claim by the import" in change
    url = reverse("admin:claims_verdict_split", args=[spanish.pk])
    page = client.get(url).content.decode()
    assert SPANISH in page and "https://diario.example/azerbaiyanos" in page and "likely the same claim" in page
    assert Verdict.objects.get(pk=spanish.pk).claim.text == ORIGINAL  # showing the page changed nothing
    stale = client.post(url, {"wf_version": spanish.version + 5})
    assert stale.status_code == 200 and "errornote" in stale.content.decode()
    done = client.post(url, {"wf_version": spanish.version})
    spanish.refresh_from_db()
    assert done.status_code == 302 and done["Location"] == reverse("admin:claims_claim_change", args=[spanish.claim_id])
    assert spanish.claim.text == SPANISH
    lone = client.get(reverse("admin:claims_verdict_change", args=[spanish.pk])).content.decode()
    assert "Split off into its own claim…" not in lone  # alone on its claim now
