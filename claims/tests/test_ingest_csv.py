"""CSV export of published claims and their current verdicts."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from claims.ingest.csv_export import COLUMNS, stream_csv
from claims.tests.factories import ClaimFactory, SourceFactory, published_claim

pytestmark = pytest.mark.django_db


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_it_exports_only_published_claims_with_their_current_verdict(reviewer, editor, ratings, settings):
    settings.FACTCHECK_SITE_URL = "https://fc.test"
    claimant = SourceFactory(name="Jane Claimant", kind="person")
    published = published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["mostly-false"], summary="Too high.", claimant=claimant
    )
    ClaimFactory(text="An unpublished claim.")
    rows = read_csv("".join(stream_csv()))
    assert [row["slug"] for row in rows] == [published.slug]
    row = rows[0]
    assert list(row) == COLUMNS
    assert (row["claimant"], row["rating"], row["summary"]) == ("Jane Claimant", "Mostly false", "Too high.")
    assert row["url"] == f"https://fc.test/claims/{published.slug}/"
    assert row["published_at"].startswith(str(published.published_verdict.published_at.date()))


def test_it_neutralises_spreadsheet_formulas(reviewer, editor, ratings):
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], text='=HYPERLINK("http://evil")')
    rows = read_csv("".join(stream_csv()))
    assert rows[0]["text"] == '\'=HYPERLINK("http://evil")'


def test_it_writes_a_file_from_the_command(tmp_path, reviewer, editor, ratings):
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    target = tmp_path / "claims.csv"
    call_command("export_csv", "--output", str(target))
    rows = read_csv(target.read_text(encoding="utf-8"))
    assert len(rows) == 1 and rows[0]["rating"] == "True"


def test_it_reads_in_a_constant_number_of_queries(reviewer, editor, ratings, django_assert_num_queries):
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    with django_assert_num_queries(1):
        assert len(list(stream_csv())) == 2
    for _ in range(5):
        published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"])
    with django_assert_num_queries(1):
        assert len(list(stream_csv())) == 7
