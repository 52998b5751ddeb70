"""Article ingestion does bounded work per request, whatever the article: a capped number of claims
and figures (each costs a few queries), text read in one linear pass."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.extraction import extract_candidates, suggest_measure
from claims.ingest.articles import MAX_CLAIMS, MAX_FIGURES, MAX_TEXT_LENGTH, ingest_article
from claims.models import Claim, Figure, Measure

pytestmark = pytest.mark.django_db


def _article(figures: int) -> str:
    """One long sentence of many figures, each naming the same quantity as a known measure."""
    body = ", ".join(f"{100 + i} km from Nakhchivan to Baku" for i in range(figures))
    return f"Officials said in 2026 that the routes run {body}.\n"


def _ingest(reviewer, figures: int, url: str, outlet: str):
    with CaptureQueriesContext(connection) as queries:
        result = ingest_article(text=_article(figures), url=url, by=reviewer, outlet=outlet)
    return result, len(queries)


def test_a_large_article_costs_what_a_capped_one_does(reviewer):
    Measure.objects.create(name="Distance from Nakhchivan to Baku", slug="nakhchivan-baku", unit="km")
    small, small_queries = _ingest(reviewer, MAX_FIGURES + 50, "https://news.example/small", "Small News")
    # Else the large article's sentence is likely the same claim as the small one's: proposed as a
    # new appearance of it, nothing filed.
    Claim.objects.all().delete()
    large, large_queries = _ingest(reviewer, 2_000, "https://news.example/large", "Large News")
    assert len(_article(2_000)) > 60_000
    assert large_queries <= small_queries  # bounded: the work does not grow with the article
    assert large_queries < 8 * MAX_FIGURES  # a few per figure filed (validation, insert, history)
    assert Figure.objects.count() == MAX_FIGURES and all(f.proposed for f in Figure.objects.all())
    assert large.figures_not_read == 2_000 - MAX_FIGURES and small.figures_not_read == 50
    assert f"1800 more figure(s) in these sentences were not read: at most {MAX_FIGURES}" in "\n".join(large.lines())


def test_each_figure_reads_a_bounded_window_of_its_sentence():
    """suggest_measure used to split the whole rest of the sentence for every figure (quadratic): the
    phrase naming the quantity is read from a window, so padding far away changes nothing."""
    sentence = _article(3).strip()
    padded = sentence[:-1] + ", " + ", ".join(f"and {i} more" for i in range(5_000)) + "."
    near = extract_candidates(sentence, min_score=None)[0]
    far = extract_candidates(padded, min_score=None)[0]
    assert (
        [suggest_measure(near.sentence, f) for f in near.figures[:3]]
        == [suggest_measure(far.sentence, f) for f in far.figures[:3]]
        == ["distance from Nakhchivan to Baku"] * 3
    )


def test_it_refuses_more_text_or_claims_than_one_request_may_cost(reviewer):
    with pytest.raises(ValidationError) as error:
        ingest_article(text="x" * (MAX_TEXT_LENGTH + 1), url="https://news.example/long", by=reviewer)
    assert "at most 200,000 are ingested" in error.value.message_dict["text"][0]
    with pytest.raises(ValidationError) as error:
        ingest_article(text=_article(3), url="https://news.example/many", by=reviewer, limit=MAX_CLAIMS + 1)
    assert "between 1 and 50 claims" in error.value.message_dict["limit"][0]
