"""Import ClaimReview files: validate every file, then stream them in batches of one transaction.

* A malformed *file* (invalid or truncated JSON, a wrong top-level value) is found by
  :func:`claims.claimreview.validate_stream` before anything is written: the import raises
  :class:`ClaimReviewFileError` and the database is unchanged.
* A malformed *item* is reported with its position (``line 7``, ``dataFeedElement[3].item[0]``)
  and skipped; the others import.
* Items are written ``batch_size`` at a time, each batch in one transaction with a fixed number of
  queries (see claims/ingest/reviews.py). If a batch fails in the database, its items are retried
  one by one so that only the offending items are reported and skipped.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO
from urllib.parse import urlsplit

from django.db import DatabaseError, connection, reset_queries, transaction
from tqdm import tqdm

from claims import services
from claims.claimreview import ClaimReviewFileError, ItemError, ItemPosition, iter_claimreview_items, validate_stream
from claims.ingest.links import normalise_url
from claims.ingest.reviews import ImportSession
from claims.models import Source

DEFAULT_BATCH_SIZE = 500
REPORT_LIMIT = 50  # skipped items and warnings listed in the report (all are counted)


def is_base_url(value: str) -> bool:
    """A page address relative review URLs may resolve against: http(s), with a host."""
    parts = urlsplit(value.strip()) if isinstance(value, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.hostname and len(value) <= 1000)


@dataclass
class ImportInput:
    """A named file the importer can open twice (validation pass, then import)."""

    name: str
    open: Callable[[], BinaryIO]
    base_url: str | None = None  # the page the file came from: relative review URLs resolve against it

    @classmethod
    def from_path(cls, path: str) -> ImportInput:
        return cls(name=path, open=lambda: open(path, "rb"))

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> ImportInput:
        return cls(name=name, open=lambda: io.BytesIO(data))

    @classmethod
    def from_seekable(cls, name: str, stream: BinaryIO) -> ImportInput:
        def rewind():
            stream.seek(0)
            return _Unclosable(stream)

        return cls(name=name, open=rewind)


class _Unclosable(io.RawIOBase):
    """Let `with` blocks read an uploaded file without closing it between the two passes."""

    def __init__(self, stream):
        self._stream = stream

    def read(self, size=-1):
        return self._stream.read(size)

    def readable(self):
        return True


@contextmanager
def spooled_stdin():
    """Standard input copied to a temporary file, since an import reads its input twice."""
    with tempfile.TemporaryFile() as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool)
        yield ImportInput.from_seekable("<stdin>", spool)


@dataclass
class ImportReport:
    created: int = 0
    attached: int = 0  # created reviews that joined a claim another review made (grouped)
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    items: int = 0
    skipped_items: list[tuple[str, str]] = field(default_factory=list)
    warnings: int = 0
    first_warnings: list[tuple[str, str]] = field(default_factory=list)
    sources_created: int = 0
    credibility_recomputed: bool | None = None

    def skip(self, position: str, reason: str) -> None:
        self.skipped += 1
        if len(self.skipped_items) < REPORT_LIMIT:
            self.skipped_items.append((position, reason))

    def warn(self, position: str, message: str) -> None:
        self.warnings += 1
        if len(self.first_warnings) < REPORT_LIMIT:
            self.first_warnings.append((position, message))

    def lines(self) -> list[str]:
        lines = [
            f"{self.items} items read: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped; {self.sources_created} new sources."
        ]
        if self.attached:
            lines.append(
                f"{self.attached} of the created reviews joined a claim another fact-checker's review made "
                "(the same claim, by meaning and figures); each verdict keeps its grouping reason."
            )
        if self.skipped:
            lines.append(f"Skipped ({len(self.skipped_items)} of {self.skipped} listed):")
            lines += [f"  {position}: {reason}" for position, reason in self.skipped_items]
        if self.warnings:
            lines.append(f"Warnings ({len(self.first_warnings)} of {self.warnings} listed; items still imported):")
            lines += [f"  {position}: {message}" for position, message in self.first_warnings]
        return lines

    def as_dict(self) -> dict:
        return {
            "items": self.items,
            "created": self.created,
            "attached": self.attached,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "skipped_items": [{"position": p, "reason": r} for p, r in self.skipped_items],
            "warnings": self.warnings,
            "first_warnings": [{"position": p, "message": m} for p, m in self.first_warnings],
            "sources_created": self.sources_created,
            "credibility_recomputed": self.credibility_recomputed,
        }


def _labeller(name: str, prefix: bool) -> Callable[[ItemPosition], str]:
    return (lambda position: f"{name}: {position.path}") if prefix else (lambda position: position.path)


def validate_inputs(inputs: Iterable[ImportInput]) -> int:
    """Check every file structurally; raises ClaimReviewFileError naming the first bad file.
    Returns the number of items (good and bad) in all of them, for the progress bar."""
    total = 0
    for source in inputs:
        with source.open() as stream:
            summary = validate_stream(stream, filename=source.name, keep_errors=0, normalise=False)
        total += summary.items + summary.errors
    return total


def import_claimreview(
    inputs: list[ImportInput],
    *,
    by=None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = False,
    recompute_credibility: bool = True,
) -> ImportReport:
    """Import every item of every input; raises ClaimReviewFileError (nothing written) when any
    input is malformed as a whole. ``by`` is the importing user (an editor) or None (operator)."""
    total = validate_inputs(inputs)
    report = ImportReport()
    session = ImportSession(by=by, recompute_credibility=recompute_credibility)
    with tqdm(total=total, unit=" items", disable=not progress, file=sys.stderr, smoothing=0.1) as bar:
        for source in inputs:
            label = _labeller(source.name, prefix=len(inputs) > 1)
            with source.open() as stream:
                batch, keys = [], set()
                for element in iter_claimreview_items(stream, filename=source.name, base_url=source.base_url):
                    report.items += 1
                    if isinstance(element, ItemError):
                        report.skip(label(element.position), element.reason)
                        bar.update(1)
                        continue
                    for warning in element.review.warnings:
                        report.warn(label(element.position), warning)
                    key = normalise_url(element.review.review_url, keep_fragment=True)
                    if key in keys:  # a later item with the same review URL updates the earlier one
                        _write(batch, session, report, label, bar)
                        batch, keys = [], set()
                    batch.append(element)
                    keys.add(key)
                    if len(batch) >= batch_size:
                        _write(batch, session, report, label, bar)
                        batch, keys = [], set()
                _write(batch, session, report, label, bar)
    report.sources_created = session.sources.created
    if recompute_credibility and (report.created or report.updated):
        report.credibility_recomputed = recompute_touched_credibility(session)
    return report


def recompute_touched_credibility(session: ImportSession) -> bool:
    """Recompute, once after the import, the cached credibility of the sources the batches touched,
    with the set-based functions of claims.credibility_sql: only those sources
    (``recompute_sources``, 4 statements) when they are a small part of all sources — an import
    into a large database — otherwise every source (``recompute_all``, 8 statements), cheaper
    than the filtered aggregate when most sources are involved (a first import)."""
    from claims.credibility_sql import recompute_all, recompute_sources

    touched = session.touched_sources
    if not touched and not session.touched_overflow:
        return True
    with transaction.atomic():
        if not session.touched_overflow and len(touched) * 4 < _estimated_sources():
            recompute_sources(touched)
        else:
            recompute_all()
    return True


def _estimated_sources() -> float:
    """The planner's row estimate for the sources table (no COUNT(*)); 0 when never analysed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Source._meta.db_table])
        row = cursor.fetchone()
    return max(row[0], 0) if row else 0


def _write(batch, session: ImportSession, report: ImportReport, label, bar) -> None:
    if not batch:
        return
    try:
        outcomes = [services.import_reviews(items=batch, by=session.by, session=session, label=label)]
    except DatabaseError:
        session.sources.forget()  # sources created by the rolled-back batch are gone
        outcomes = []
        for item in batch:  # isolate the item(s) the database refused
            try:
                outcomes.append(services.import_reviews(items=[item], by=session.by, session=session, label=label))
            except DatabaseError as error:
                session.sources.forget()
                report.skip(label(item.position), f"refused by the database: {str(error).splitlines()[0][:200]}")
    if not connection.force_debug_cursor:  # but keep what a test's CaptureQueriesContext records
        reset_queries()  # with DEBUG on, Django keeps every query's SQL: bulk inserts would pile up
    for outcome in outcomes:
        report.created += outcome.created
        report.attached += outcome.attached
        report.updated += outcome.updated
        report.unchanged += outcome.unchanged
        for position, reason in outcome.skipped:
            report.skip(position, reason)
    bar.update(len(batch))


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "ClaimReviewFileError",
    "ImportInput",
    "ImportReport",
    "import_claimreview",
    "is_base_url",
    "spooled_stdin",
    "validate_inputs",
]
