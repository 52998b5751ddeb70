"""ClaimReview import into the database: every format, ratings, idempotence, errors, batching."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.choices import ClaimStatus, SourceKind, VerdictStatus, Voice
from claims.claimreview import ClaimReviewFileError
from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.models import Appearance, Article, Claim, Source, Verdict

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ALL_GOOD_FILES = [
    "single_http_context.json",
    "list_mixed_ratings.json",
    "datafeed.json",
    "factcheck_tools.json",
    "reviews.jsonl",
]


def run_import(*names, **kwargs):
    return import_claimreview([ImportInput.from_path(str(FIXTURES / name)) for name in names], **kwargs)


def review(url: str, rating: str = "False", text: str = "A claim.", **extra) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "author": {"@type": "Organization", "name": "Bulk Check", "url": "https://bulkcheck.example"},
        "claimReviewed": text,
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        **extra,
    }


def jsonl(items) -> ImportInput:
    return ImportInput.from_bytes("items.jsonl", "".join(json.dumps(item) + "\n" for item in items).encode())


def verdict_for(url: str) -> Verdict:
    return Verdict.objects.select_related("claim", "rating", "organisation", "claim__claimant").get(review_url=url)


def test_it_imports_a_single_review_with_http_context_and_author_lists():
    report = run_import("single_http_context.json")
    assert (report.created, report.skipped) == (1, 0)
    # tracking parameters are dropped from the key
    verdict = verdict_for("https://www.truthgauge.example/factchecks/2025/jan/14/azeris-iran-30-million/")
    claim = verdict.claim
    assert claim.text == "Some 30 million ethnic Azeris live in Iran."
    assert claim.status == ClaimStatus.PUBLISHED and claim.published_verdict_id == verdict.pk
    assert verdict.status == VerdictStatus.PUBLISHED and verdict.author is None and verdict.approver is None
    assert verdict.rating.slug == "false" and verdict.original_rating_label == "Pants on Fire!"
    assert verdict.organisation.name == "TruthGauge" and verdict.organisation.kind == SourceKind.OUTLET
    assert verdict.organisation.domain == "truthgauge.example"
    assert claim.claimant.name == "Example Commentator" and claim.claimant.kind == SourceKind.PERSON
    assert verdict.original_data["itemReviewed"]["datePublished"] == "2025-01-02"
    assert verdict.published_at.date().isoformat() == "2025-01-14"
    # the claimant's own post asserts the claim; the blog reports it as theirs
    appearances = sorted(claim.appearances.values_list("article__url", "voice", "attributed_to__name"))
    assert appearances == [
        ("https://blog.example/azeris", Voice.REPORTS, "Example Commentator"),
        ("https://social.example/@commentator/113456789", Voice.ASSERTS, None),
    ]


def test_it_maps_ratings_keeping_the_original_label_and_never_drops_an_unmapped_one():
    report = run_import("list_mixed_ratings.json")
    assert report.created == 7
    expected = {
        "https://checkers.example/reviews/1": ("mixed", "Half True"),
        "https://checkers.example/reviews/2": ("mostly-true", "Mostly True"),
        "https://checkers.example/reviews/3": (
            "mostly-true",
            "This claim is broadly accurate but leaves out the road distance.",
        ),
        "https://verificado.example/2025/corredor": ("false", "Falso"),
        "https://verificado.example/2025/petroleo": ("mostly-false", "Engañoso"),
        "https://checkers.example/reviews/4": ("unverifiable", "Flip-flop of the week"),
        "https://checkers.example/reviews/5": ("false", "False"),
    }
    got = {v.review_url: (v.rating.slug, v.original_rating_label) for v in Verdict.objects.select_related("rating")}
    assert got == expected
    ministry = verdict_for("https://checkers.example/reviews/1").claim.claimant
    assert (ministry.kind, ministry.domain) == (SourceKind.GOVERNMENT, "ministry.example")
    # no author: the fact-checker is the site that published the review
    assert verdict_for("https://checkers.example/reviews/5").organisation.domain == "checkers.example"
    # one Source per fact-checker, matched by domain or by the slug of its name
    assert Source.objects.filter(name="Checkers Desk").count() == 1
    assert Source.objects.filter(name="Verificado Sur").count() == 1


def test_it_imports_a_datafeed_and_reports_the_bad_element_by_position():
    report = run_import("datafeed.json")
    assert (report.created, report.skipped) == (2, 1)
    assert report.skipped_items[0][0] == "dataFeedElement[2].item[0]"
    assert "no review URL" in report.skipped_items[0][1]
    arash = verdict_for("https://kavkazcheck.example/en/2025/02/03/arash-2")
    assert arash.claim.text == "Arash-2 drones have a range of 2,000 km." and arash.rating.slug == "mostly-false"
    airport = verdict_for("https://kavkazcheck.example/en/2025/02/01/nakhchivan-airport")
    assert list(airport.claim.appearances.values_list("voice", "article__url")) == [
        (Voice.ASSERTS, "https://news.example/nakhchivan")
    ]


def test_it_imports_a_fact_check_tools_response_one_claim_per_review():
    report = run_import("factcheck_tools.json")
    assert (report.created, report.skipped) == (2, 1)
    assert report.skipped_items == [("claims[1]", "claim has no claimReview")]
    texts = Claim.objects.values_list("text", flat=True)
    assert list(texts) == ["Azerbaijan's population is 10.5 million"] * 2
    assert set(Verdict.objects.values_list("rating__slug", flat=True)) == {"true"}
    assert Source.objects.filter(name="Ministry spokesperson", kind=SourceKind.PERSON).count() == 1


def test_it_imports_json_lines_reporting_bad_lines_and_goes_on():
    report = run_import("reviews.jsonl")
    assert (report.created, report.skipped) == (3, 2)
    positions = [position for position, _ in report.skipped_items]
    assert positions == ["line 2", "line 4"]
    assert verdict_for("https://lines.example/r/4").rating.slug == "true"  # numeric rating only


def test_it_is_idempotent_a_second_import_changes_nothing():
    first = run_import(*ALL_GOOD_FILES)
    counts = (Claim.objects.count(), Verdict.objects.count(), Appearance.objects.count(), Source.objects.count())
    history = (Claim.history.count(), Verdict.history.count())
    second = run_import(*ALL_GOOD_FILES)
    assert first.created == 15 and second.created == 0
    assert (second.updated, second.unchanged) == (0, 15)
    assert (
        Claim.objects.count(),
        Verdict.objects.count(),
        Appearance.objects.count(),
        Source.objects.count(),
    ) == counts
    assert (Claim.history.count(), Verdict.history.count()) == history


def test_it_updates_a_changed_rating_in_place_and_records_history(editor):
    import_claimreview([jsonl([review("https://x.example/r/1", "Mostly True", text="Old text.")])], by=editor)
    verdict = verdict_for("https://x.example/r/1")
    report = import_claimreview(
        [jsonl([review("https://x.example/r/1", "Pants on Fire", text="New text.")])], by=editor
    )
    assert (report.created, report.updated) == (0, 1)
    updated = verdict_for("https://x.example/r/1")
    assert updated.pk == verdict.pk and updated.version == verdict.version + 1
    assert (updated.rating.slug, updated.original_rating_label) == ("false", "Pants on Fire")
    assert updated.claim.text == "New text." and updated.claim.published_verdict_id == updated.pk
    assert Verdict.objects.filter(claim=updated.claim, status=VerdictStatus.PUBLISHED).count() == 1
    ratings = [h.rating.slug for h in updated.history.order_by("history_date")]
    assert ratings == ["mostly-true", "false"]
    assert {h.history_user for h in updated.history.all()} == {editor}


def test_it_does_not_republish_a_verdict_withdrawn_here(editor):
    from claims import services

    import_claimreview([jsonl([review("https://x.example/r/9")])])
    services.withdraw_verdict(verdict=verdict_for("https://x.example/r/9"), by=editor, reason="Publisher retracted it.")
    report = import_claimreview([jsonl([review("https://x.example/r/9")])])
    assert report.skipped == 1 and "withdrawn here" in report.skipped_items[0][1]
    assert verdict_for("https://x.example/r/9").status == VerdictStatus.WITHDRAWN


def test_it_treats_a_repeated_review_url_in_one_file_as_an_update():
    report = import_claimreview(
        [jsonl([review("https://x.example/r/2", "True"), review("https://x.example/r/2#", "False")])]
    )
    assert (report.created, report.updated) == (1, 1)
    assert verdict_for("https://x.example/r/2").rating.slug == "false"


@pytest.mark.parametrize("bad", ["truncated.json", "wrong_top_level.json"])
def test_it_refuses_a_malformed_file_writing_nothing(bad):
    with pytest.raises(ClaimReviewFileError) as error:
        run_import("list_mixed_ratings.json", bad)  # the good file comes first: still nothing written
    assert bad in str(error.value)
    assert not Claim.objects.exists() and not Source.objects.exists() and not Article.objects.exists()


def test_it_fails_the_command_clearly_on_a_truncated_file():
    with pytest.raises(CommandError, match="Nothing imported: .*truncated"):
        call_command("import_claimreview", str(FIXTURES / "truncated.json"), "--no-progress")
    assert not Claim.objects.exists()


def test_it_reports_from_the_command_and_reads_stdin(monkeypatch):
    data = (FIXTURES / "reviews.jsonl").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    out = io.StringIO()
    call_command("import_claimreview", "-", "--no-progress", stdout=out)
    text = out.getvalue()
    assert "5 items read: 3 created, 0 updated, 0 unchanged, 2 skipped" in text
    assert "line 4: item is not a JSON object" in text
    assert "recompute_credibility" in text or "credibility recomputed" in text


def test_it_skips_only_the_item_the_database_refuses():
    too_long = "https://x.example/" + "a" * 1000
    report = import_claimreview([jsonl([review("https://x.example/ok"), review(too_long)])])
    assert (report.created, report.skipped) == (1, 1)
    assert "longer than 1000" in report.skipped_items[0][1]


def test_it_writes_a_batch_in_a_constant_number_of_queries():
    def queries_for(n: int, prefix: str) -> int:
        items = [
            review(
                f"https://q.example/{prefix}/{i}",
                text=f"Claim {prefix} {i}.",
                itemReviewed={
                    "@type": "Claim",
                    "author": {"@type": "Person", "name": f"Person {prefix} {i}"},
                    "appearance": [f"https://news.example/{prefix}/{i}"],
                },
            )
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as captured:
            report = import_claimreview([jsonl(items)], batch_size=1000, recompute_credibility=False)
        assert report.created == n
        return len(captured)

    assert queries_for(5, "small") == queries_for(60, "large")
    # and an update batch too
    with CaptureQueriesContext(connection) as captured:
        import_claimreview(
            [jsonl([review(f"https://q.example/large/{i}", "True", text=f"Claim large {i}.") for i in range(60)])],
            recompute_credibility=False,
        )
    assert len(captured) < 20


def _batch(n: int, prefix: str, rating: str = "False") -> ImportInput:
    """n reviews, each with its own claimant (a new source), a new article and a checker per prefix."""
    return jsonl(
        [
            review(
                f"https://q.example/{prefix}/{i}",
                rating,
                text=f"Claim {prefix} {i}.",
                author={"@type": "Organization", "name": f"Checker {prefix}", "url": f"https://{prefix}.example/"},
                itemReviewed={
                    "@type": "Claim",
                    "author": {"@type": "Person", "name": f"Person {prefix} {i}"},
                    "appearance": [f"https://news.example/{prefix}/{i}", f"https://other.example/{prefix}/{i}"],
                },
            )
            for i in range(n)
        ]
    )


def test_it_writes_n_and_2n_items_of_one_batch_in_the_same_statements_copy_included(editor):
    """Pinned: a batch costs the same statements (COPY and the credibility recompute of the
    sources it touches included) whatever its size, for creates, changed ratings and unchanged
    re-imports alike."""

    def statements(n: int, prefix: str, rating: str = "False"):
        with CaptureQueriesContext(connection) as captured:
            report = import_claimreview([_batch(n, prefix, rating)], by=editor, batch_size=1000)
        return report, [query["sql"].split(" -- ")[0] for query in captured]

    statements(2, "warm-up")  # the editor's permissions and the constraint name are looked up once
    (created_n, sql_n), (created_2n, sql_2n) = statements(40, "n"), statements(80, "nn")
    assert (created_n.created, created_2n.created) == (40, 80)
    assert len(sql_n) == len(sql_2n)
    copies = [sql for sql in sql_n if sql.startswith("COPY")]
    assert len(copies) == 10  # sources, articles, claims, verdicts, appearances, and their history
    assert Appearance.objects.count() == 2 * 122 and Source.objects.count() == 3 + 122

    (updated_n, sql_n), (updated_2n, sql_2n) = statements(40, "n", "True"), statements(80, "nn", "True")
    assert (updated_n.updated, updated_2n.updated) == (40, 80)
    assert len(sql_n) == len(sql_2n)

    (same_n, sql_n), (same_2n, sql_2n) = statements(40, "n", "True"), statements(80, "nn", "True")
    assert (same_n.unchanged, same_2n.unchanged) == (40, 80)
    assert len(sql_n) == len(sql_2n)


def test_it_writes_history_rows_for_every_created_row_with_the_importing_user(editor):
    report = import_claimreview([_batch(3, "h")], by=editor)
    assert report.created == 3
    for model, count in ((Claim, 3), (Verdict, 3), (Appearance, 6), (Article, 6), (Source, 4)):
        history = model.history.all()
        assert history.count() == count, model
        assert {(h.history_type, h.history_user_id, h.history_change_reason) for h in history} == {
            ("+", editor.pk, "Imported from ClaimReview")
        }
    claim = Claim.objects.get(slug="claim-h-0")
    recorded = claim.history.get()
    assert (recorded.published_verdict_id, recorded.text, recorded.created_at) == (
        claim.published_verdict_id,
        claim.text,
        claim.created_at,
    )
    verdict = claim.published_verdict
    assert verdict.original_data["url"] == "https://q.example/h/0" and verdict.original_rating_label == "False"
    assert verdict.history.get().rating_id == verdict.rating_id


def test_it_retries_a_batch_the_database_refuses_item_by_item():
    items = [review("https://x.example/a"), review("https://x.example/nul", text="A \u0000 claim."),
             review("https://x.example/b")]  # fmt: skip
    report = import_claimreview([jsonl(items)])
    assert (report.created, report.skipped) == (2, 1)
    assert report.skipped_items[0][0] == "line 2" and "refused by the database" in report.skipped_items[0][1]
    assert set(Verdict.objects.values_list("review_url", flat=True)) == {"https://x.example/a", "https://x.example/b"}


def test_it_keeps_the_credibility_of_the_sources_it_touches_current():
    def by(name: str) -> dict:
        return {"@type": "Claim", "author": {"@type": "Person", "name": name}}

    import_claimreview(
        [jsonl([review("https://x.example/c/1", "False", itemReviewed=by("Ann Example")),
                review("https://x.example/c/2", "True", itemReviewed=by("Ann Example"))])]
    )  # fmt: skip
    ann = Source.objects.get(name="Ann Example")
    assert (ann.rated_claims_count, ann.rating_counts) == (2, {"false": 1, "true": 1})
    assert ann.credibility_score is not None
    # a re-import moves one claim to another claimant: both sources are recomputed
    import_claimreview([jsonl([review("https://x.example/c/1", "False", itemReviewed=by("Bob Example"))])])
    ann.refresh_from_db()
    bob = Source.objects.get(name="Bob Example")
    assert (ann.rated_claims_count, ann.rating_counts) == (1, {"true": 1})
    assert (bob.rated_claims_count, bob.rating_counts) == (1, {"false": 1})


def test_it_recomputes_only_the_touched_sources_when_they_are_few(monkeypatch):
    monkeypatch.setattr("claims.ingest.claimreview_import._estimated_sources", lambda: 1_000_000)
    bystander = Source.objects.create(
        kind=SourceKind.PERSON, name="Bystander", slug="bystander", rated_claims_count=7
    )  # fmt: skip  (a stale cache nobody touches)
    item = review("https://x.example/t/1", "False",
                  itemReviewed={"@type": "Claim", "author": {"@type": "Person", "name": "Cid Example"}})  # fmt: skip
    report = import_claimreview([jsonl([item])])
    assert report.credibility_recomputed is True
    assert Source.objects.get(name="Cid Example").rating_counts == {"false": 1}
    bystander.refresh_from_db()
    assert bystander.rated_claims_count == 7  # recompute_all would have reset it to 0
