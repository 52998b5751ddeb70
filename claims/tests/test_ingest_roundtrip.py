"""Export then import: the same claims, ratings and review URLs come back."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from claims.choices import VerdictStatus
from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.models import Appearance, Article, Claim, Evidence, Figure, Source, Verdict

pytestmark = pytest.mark.django_db


def exported_with(monkeypatch, fmt: str) -> bytes:
    """export_claimreview writes to sys.stdout; capture it."""
    buffer = io.StringIO()
    monkeypatch.setattr("sys.stdout", buffer)
    call_command("export_claimreview", "--format", fmt, "--include-examples")
    return buffer.getvalue().encode()


def published_state() -> set[tuple]:
    return set(
        Verdict.objects.filter(status=VerdictStatus.PUBLISHED).values_list(
            "claim__slug", "claim__text", "rating__slug", "claim__claimant__name", "claim__status"
        )
    )


def wipe_claims() -> None:
    """A fresh database state: no claims, verdicts, articles or sources. TRUNCATE, because the
    application itself refuses to delete published records (claims/guards.py)."""
    tables = [model._meta.db_table for model in (Figure, Evidence, Appearance, Verdict, Claim, Article, Source)]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


@pytest.mark.parametrize("fmt", ["datafeed", "jsonl"])
def test_it_round_trips_the_demo_verdicts(demo, monkeypatch, settings, fmt):
    settings.FACTCHECK_SITE_URL = "https://factcheck.test"
    before = published_state()
    assert len(before) >= 6
    data = exported_with(monkeypatch, fmt)
    first = import_claimreview([ImportInput.from_bytes(f"export.{fmt}", data)])
    assert first.created == 0 and first.skipped == len(before)  # our own reviews are not imported twice
    assert {reason.split(" (")[0] for _, reason in first.skipped_items} == {"a review published by this site"}

    review_urls = {item["url"] for item in _items(data, fmt)}
    assert all(url.startswith("https://factcheck.test/claims/") for url in review_urls)
    wipe_claims()
    report = import_claimreview([ImportInput.from_bytes(f"export.{fmt}", data)])
    assert (report.created, report.skipped) == (len(before), 0)
    assert published_state() == before
    assert set(Verdict.objects.values_list("review_url", flat=True)) == review_urls
    # Imported reviews are another organisation's: our DataFeed lists none of them, while the
    # JSON Lines data export writes them back (under their URLs) and reads back unchanged.
    if fmt == "datafeed":
        assert _items(exported_with(monkeypatch, fmt), fmt) == []
    again = exported_with(monkeypatch, "jsonl")
    assert {item["url"] for item in _items(again, "jsonl")} == review_urls
    second = import_claimreview([ImportInput.from_bytes("again.jsonl", again)])
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(before))


def _items(data: bytes, fmt: str) -> list[dict]:
    if fmt == "jsonl":
        return [json.loads(line) for line in data.decode().splitlines() if line.strip()]
    return [element["item"][0] for element in json.loads(data)["dataFeedElement"]]


def test_it_keeps_unpublished_and_example_verdicts_out_of_the_export_by_default(demo, monkeypatch, settings):
    settings.FACTCHECK_EXPORT_EXAMPLE_REVIEWS = False
    buffer = io.StringIO()
    monkeypatch.setattr("sys.stdout", buffer)
    call_command("export_claimreview")
    assert json.loads(buffer.getvalue())["dataFeedElement"] == []  # every demo verdict is an example
    data = exported_with(monkeypatch, "jsonl")
    slugs = {item["itemReviewed"]["identifier"] for item in _items(data, "jsonl")}
    published = set(Claim.objects.filter(status="published").values_list("slug", flat=True))
    assert slugs == published


def test_it_exports_a_correction_as_an_update_of_the_same_review(monkeypatch, reviewer, editor, second_editor, ratings):
    """Our review URL is the claim page: another site re-importing after a correction updates its copy."""
    from claims import services
    from claims.tests.factories import published_claim

    claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    first_export = exported_with(monkeypatch, "jsonl")
    draft = services.draft_correction(
        verdict=Verdict.objects.get(claim=claim, status="published"),
        by=reviewer,
        rating=ratings["false"],
        correction_note="New data.",
    )
    services.submit_verdict(verdict=draft, by=reviewer)
    services.publish_verdict(verdict=draft, by=second_editor)
    corrected_export = exported_with(monkeypatch, "jsonl")
    wipe_claims()  # now play the other site: import our feed, then our corrected feed
    import_claimreview([ImportInput.from_bytes("first.jsonl", first_export)])
    report = import_claimreview([ImportInput.from_bytes("corrected.jsonl", corrected_export)])
    assert (report.created, report.updated) == (0, 1)
    assert Verdict.objects.get().rating.slug == "false"
