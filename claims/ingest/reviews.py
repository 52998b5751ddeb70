"""Apply one batch of normalised ClaimReviews to the database in a fixed number of queries.

Each review becomes (or updates) a published claim: the claim, its appearances, and a published
verdict attributed to the fact-checking organisation, keyed on the review URL. Imported verdicts
have no author or approver: an external organisation published them, so the two-person rule does
not apply; the history rows name the importing user. Called through
``services.import_reviews`` inside one transaction per batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_update_with_history

from claims.choices import ClaimStatus, SourceKind, VerdictStatus, Voice
from claims.claimreview import NormalisedReview, ReviewItem
from claims.ingest.copying import copy_history, copy_rows, defer_foreign_key, reserve_ids
from claims.ingest.links import domain_of, is_site_root, normalise_url
from claims.ingest.sources import SourceRef, SourceResolver
from claims.matching.language import detect_language, normalise_language
from claims.models import Appearance, Article, Claim, RatingLevel, Verdict
from claims.services.matching import embeddings_for, vector_literal

CREATED_REASON = "Imported from ClaimReview"
UPDATED_REASON = "Updated by ClaimReview re-import"
ATTACHED_REASON = "Imported from ClaimReview; attached to the claim it reviews (see its grouping reason)"
_URL_MAX = Verdict._meta.get_field("review_url").max_length
_CLAIM_TEXT_MAX = Claim._meta.get_field("text").max_length
_SUMMARY_MAX = Verdict._meta.get_field("summary").max_length
_LABEL_MAX = Verdict._meta.get_field("original_rating_label").max_length
_TITLE_MAX = Article._meta.get_field("title").max_length
_SLUG_MAX = 100
_OWN_CLAIM_PAGE = re.compile(r"^/claims/(?P<slug>[-\w]+)/$")


@dataclass
class BatchOutcome:
    created: int = 0
    attached: int = 0  # of the created reviews, those that joined a claim another review made
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (position, reason)
    touched_claims: list[int] = field(default_factory=list)  # created, changed, or with new appearances
    former_claimants: list[int] = field(default_factory=list)  # sources that lost a claim


@dataclass
class ImportSession:
    """State shared by the batches of one import: the importing user, caches, the rating scale."""

    by: object = None
    sources: SourceResolver = None
    ratings: dict[str, RatingLevel] = None
    site_url: str = ""
    recompute_credibility: bool = True  # collect the sources each batch touches (see _touched_sources)
    touched_sources: set[int] = field(default_factory=set)
    touched_overflow: bool = False  # too many to list: recompute every source at the end

    TOUCHED_LIMIT = 100_000  # ids kept at most (memory stays bounded)

    def __post_init__(self):
        self.sources = self.sources or SourceResolver(by=self.by, change_reason=CREATED_REASON)
        self.ratings = self.ratings or {level.slug: level for level in RatingLevel.objects.all()}
        self.site_url = normalise_url(self.site_url or getattr(settings, "FACTCHECK_SITE_URL", "")).rstrip("/")


class _Existing:
    """What a re-import compares of a known verdict and its claim, read as plain values (most
    re-imported reviews are unchanged: no model instances for them). ``original_data`` is never
    compared (it is stored again with any other change)."""

    VERDICT = ("id", "status", "rating_id", "summary", "rationale", "organisation_id", "original_rating_label",
               "review_url", "published_at", "version", "claim_id")  # fmt: skip
    CLAIM = ("text", "claimant_id", "published_verdict_id", "language")
    FIELDS = VERDICT + tuple(f"claim__{name}" for name in CLAIM)

    def __init__(self, values: dict):
        self.verdict = {name: values[name] for name in self.VERDICT}
        self.claim = {name: values[f"claim__{name}"] for name in self.CLAIM}
        self.pk, self.claim_id = values["id"], values["claim_id"]


@dataclass
class _Row:
    """One review of the batch with everything resolved for writing."""

    position: str
    review: NormalisedReview
    key: str  # normalised review URL
    existing: _Existing | None = None
    checker: SourceRef | None = None
    claimant: SourceRef | None = None
    article_urls: list[tuple[str, str | None, dt.date | None]] = field(default_factory=list)
    slug: str = ""  # of the claim the row created


def _clip(text: str | None, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _problem(review: NormalisedReview, key: str) -> str | None:
    if len(key) > _URL_MAX:
        return f"review URL longer than {_URL_MAX} characters"
    if len(review.claim_text) > _CLAIM_TEXT_MAX:
        return f"claim text longer than {_CLAIM_TEXT_MAX} characters"
    return None


def _summary(review: NormalisedReview) -> str:
    text = review.summary or review.headline or review.rating_label
    return _clip(
        text or f"Rated {review.rating.replace('-', ' ')} by {review.fact_checker_name or 'the publisher'}.",
        _SUMMARY_MAX,
    )


def _published_at(review: NormalisedReview) -> dt.datetime | None:
    if review.review_date is None:
        return None
    return dt.datetime.combine(review.review_date, dt.time(0, 0), tzinfo=dt.UTC)


def _verdict_values(row: _Row, session: ImportSession, sources: dict) -> dict:
    review = row.review
    checker = sources.get(row.checker)
    return {
        "rating": session.ratings[review.rating],
        "summary": _summary(review),
        "rationale": f"Published by {checker.name if checker else 'an external fact-checker'}: <{row.key}>",
        "organisation": checker,
        "original_rating_label": _clip(review.rating_label, _LABEL_MAX),
        "original_data": review.raw,
        "review_url": row.key,
    }


def _checker(review: NormalisedReview, key: str) -> SourceRef | None:
    """The fact-checker; when the review names none, the site that published it."""
    if review.fact_checker_name or review.fact_checker_url:
        return SourceRef.organisation(review.fact_checker_name, review.fact_checker_url, SourceKind.OUTLET)
    parts = urlsplit(key)
    if not parts.netloc:  # a review URL kept as written (relative): no site to name
        return None
    return SourceRef.organisation(None, f"{parts.scheme}://{parts.netloc}/", SourceKind.OUTLET)


def _find_existing(rows: list[_Row], session: ImportSession, outcome: BatchOutcome) -> list[_Row]:
    """Attach the verdict each review updates; drop reviews this site published itself (our
    claim pages, as our export writes them)."""
    by_key = {
        values["review_url"]: _Existing(values)
        for values in Verdict.objects.filter(review_url__in=[row.key for row in rows]).values(*_Existing.FIELDS)
    }
    own_pages = {}
    for row in rows:
        row.existing = by_key.get(row.key)
        page = _OWN_CLAIM_PAGE.match(row.key[len(session.site_url) :]) if session.site_url else None
        if row.existing is None and page and row.key.startswith(session.site_url + "/"):
            own_pages[row.key] = page["slug"]
    if not own_pages:
        return rows
    own = set(
        Claim.objects.filter(
            slug__in=own_pages.values(),
            published_verdict__isnull=False,
            published_verdict__organisation__isnull=True,
            published_verdict__review_url__isnull=True,
        ).values_list("slug", flat=True)
    )
    kept = []
    for row in rows:
        if own_pages.get(row.key) in own:
            outcome.skipped.append((row.position, f"a review published by this site (claim {own_pages[row.key]})"))
        else:
            kept.append(row)
    return kept


def _articles(rows: list[_Row], session: ImportSession, now: dt.datetime) -> dict[str, int]:
    """Article ids by normalised URL: found in one query, the missing ones written by COPY."""
    wanted: dict[str, tuple[str | None, dt.date | None]] = {}
    for row in rows:
        for url, headline, published in row.article_urls:
            wanted.setdefault(url, (headline, published))
    if not wanted:
        return {}
    known = Article.objects.filter(url__in=list(wanted)).with_is_public().values_list("url", "id", "is_public")
    found, withheld = {}, set()
    for url, pk, is_public in known:
        # An article known here only from unpublished claims keeps what our reviewers recorded of
        # it (title, outlet, authors) out of public view: an imported, published claim is not
        # linked to it. A later re-import links it once the article is public anyway.
        if is_public:
            found[url] = pk
        else:
            withheld.add(url)
    missing = [url for url in wanted if url not in found and url not in withheld]
    if missing:
        ids = reserve_ids({Article: len(missing)})[Article]
        new = [
            {"id": pk, "url": url, "title": _clip(wanted[url][0], _TITLE_MAX), "published_on": wanted[url][1]}
            for pk, url in zip(ids, missing, strict=True)
        ]
        copy_rows(Article, new, now=now)
        copy_history(Article, new, history_type="+", user=session.by, reason=CREATED_REASON, now=now)
        found.update(zip(missing, ids, strict=True))
    return found


def _claim_slugs(rows: list[_Row]) -> list[str]:
    """A free slug per new claim: the exported identifier or the text's slug, else one suffixed
    with a hash of the review URL (stable across re-imports), checked in one query."""
    options = []
    for row in rows:
        identifier = row.review.claim_identifier or ""
        base = identifier if identifier and slugify(identifier) == identifier else slugify(row.review.claim_text)
        base = base[:_SLUG_MAX].strip("-") or "claim"
        digest = hashlib.sha1(row.key.encode()).hexdigest()[:8]
        options.append((base, f"{base[: _SLUG_MAX - 9].rstrip('-')}-{digest}"))
    taken = set(Claim.objects.filter(slug__in=[s for pair in options for s in pair]).values_list("slug", flat=True))
    slugs = []
    for base, hashed in options:
        choice = next((s for s in (base, hashed) if s not in taken), None)
        if choice is None:
            from claims.services import unique_slug

            choice = unique_slug(Claim, hashed, max_length=_SLUG_MAX)
        taken.add(choice)
        slugs.append(choice)
    return slugs


def _verdict_row(row: _Row, session: ImportSession, sources: dict, *, verdict_id: int, claim_id: int, now) -> dict:
    values = _verdict_values(row, session, sources)
    rating, organisation = values.pop("rating"), values.pop("organisation")
    return {
        **values,
        "id": verdict_id,
        "claim_id": claim_id,
        "rating_id": rating.pk,
        "organisation_id": organisation.pk if organisation else None,
        "status": VerdictStatus.PUBLISHED.value,
        "published_at": _published_at(row.review) or now,
        "version": 1,
    }


def _language(review: NormalisedReview) -> str:
    """The language the publisher states, else the one detected in the claim text."""
    return normalise_language(review.language, field=None) or detect_language(review.claim_text)


def _create(rows: list[_Row], session: ImportSession, sources: dict, now: dt.datetime, vectors: list) -> list[int]:
    """New published claims and their verdicts, with history rows, by COPY (ids drawn first, so
    each claim points at its verdict as it is written). Returns the claim ids, in row order;
    `vectors` are the claim texts' embeddings (None each when not computed)."""
    ids = reserve_ids({Claim: len(rows), Verdict: len(rows)})
    claims, verdicts = [], []
    today = timezone.localdate()
    for row, slug, claim_id, verdict_id, vector in zip(
        rows, _claim_slugs(rows), ids[Claim], ids[Verdict], vectors, strict=True
    ):
        row.slug = slug
        claimant = sources.get(row.claimant)
        claims.append(
            {
                "embedding": vector_literal(vector),
                "id": claim_id,
                "text": row.review.claim_text,
                "language": _language(row.review),
                "slug": slug,
                "claimant_id": claimant.pk if claimant else None,
                "first_seen": row.review.claim_date or row.review.review_date or today,
                "status": ClaimStatus.PUBLISHED.value,
                "published_verdict_id": verdict_id,  # one history row per claim, in this final state
            }
        )
        verdicts.append(_verdict_row(row, session, sources, verdict_id=verdict_id, claim_id=claim_id, now=now))
    defer_foreign_key(Claim, "published_verdict")  # claims point at verdicts written just after
    for model, new in ((Claim, claims), (Verdict, verdicts)):
        copy_rows(model, new, now=now)
        copy_history(model, new, history_type="+", user=session.by, reason=CREATED_REASON, now=now)
    return ids[Claim]


def _attach(rows: list[tuple[_Row, int, str]], session: ImportSession, sources: dict, now: dt.datetime) -> None:
    """Verdicts of reviews that join a claim another review made: (row, claim id, the match's
    reason), by COPY with their history rows; the claim itself is left as it is."""
    verdicts = [
        {**_verdict_row(row, session, sources, verdict_id=pk, claim_id=claim_id, now=now), "grouping_reason": reason}
        for (row, claim_id, reason), pk in zip(rows, reserve_ids({Verdict: len(rows)})[Verdict], strict=True)
    ]
    copy_rows(Verdict, verdicts, now=now)
    copy_history(Verdict, verdicts, history_type="+", user=session.by, reason=ATTACHED_REASON, now=now)


def _differs(model, current: dict, name: str, value) -> bool:
    field = model._meta.get_field(name)
    if field.is_relation:
        return current[field.attname] != (value.pk if value is not None else None)
    return current[name] != value


def _only_label_filled(verdict: dict, changes: dict, labels: dict[int, str]) -> bool:
    """An export writes our rating label where the original had none: not a change."""
    label = changes.get("original_rating_label")
    return (
        set(changes) <= {"rationale", "original_rating_label"}
        and not verdict["original_rating_label"]
        and label is not None
        and label.casefold() == labels[verdict["rating_id"]].casefold()
    )


def _update(rows: list[_Row], session: ImportSession, sources: dict, outcome: BatchOutcome) -> list[_Row]:
    """Update verdicts (and their claims) in place; returns the rows whose claims stay current.
    Compared as plain values; the changed rows (only) are then loaded in one query and written
    with django-simple-history's bulk helpers."""
    labels = {level.pk: level.label for level in session.ratings.values()}
    changes, current = {}, []
    for row in rows:
        verdict, claim = row.existing.verdict, row.existing.claim
        if verdict["status"] != VerdictStatus.PUBLISHED:
            status = VerdictStatus(verdict["status"]).label.lower()
            outcome.skipped.append((row.position, f"its verdict was {status} here; not re-published"))
            continue
        current.append(row)
        values = _verdict_values(row, session, sources)
        original_data = values.pop("original_data")  # stored again with any other change, never compared
        published_at = _published_at(row.review)
        old_day = verdict["published_at"].date() if verdict["published_at"] else None
        if published_at is not None and old_day != published_at.date():
            values["published_at"] = published_at  # compared by day: exports carry days
        verdict_changes = {name: value for name, value in values.items() if _differs(Verdict, verdict, name, value)}
        if set(verdict_changes) <= {"rationale"} or _only_label_filled(verdict, verdict_changes, labels):
            verdict_changes = {}  # the same review re-serialised (e.g. our own export read back)
        else:
            verdict_changes["original_data"] = original_data
        claimant = sources.get(row.claimant)
        # A language the publisher states replaces ours; without one, ours (detected or corrected) stays.
        language = normalise_language(row.review.language, field=None) or claim["language"]
        # Only the review that made the claim words it; the ones grouped onto it leave it alone.
        claim_changes = {
            name: value
            for name, value in (("text", row.review.claim_text), ("claimant", claimant), ("language", language))
            if claim["published_verdict_id"] == row.existing.pk and _differs(Claim, claim, name, value)
        }
        if not verdict_changes and not claim_changes:
            outcome.unchanged += 1
            continue
        outcome.updated += 1
        changes[row.existing.pk] = (verdict_changes, claim_changes)
        outcome.touched_claims.append(row.existing.claim_id)
        if "claimant" in claim_changes and claim["claimant_id"] is not None:
            outcome.former_claimants.append(claim["claimant_id"])
    if not changes:
        return current
    changed_verdicts, changed_claims = [], []
    loaded = (
        Verdict.objects.select_related("claim")
        .defer("original_data", "claim__search_vector", "claim__embedding")
        .in_bulk(changes)
    )
    for pk, (verdict_changes, claim_changes) in changes.items():
        verdict = loaded[pk]
        if verdict_changes:
            for name, value in verdict_changes.items():
                setattr(verdict, name, value)
            verdict.version += 1
            changed_verdicts.append(verdict)
        if claim_changes:
            for name, value in claim_changes.items():
                setattr(verdict.claim, name, value)
            changed_claims.append(verdict.claim)
    now = timezone.now()
    if changed_verdicts:
        for verdict in changed_verdicts:
            verdict.updated_at = now
        fields = ["rating", "summary", "rationale", "organisation", "original_rating_label", "original_data",
                  "review_url", "published_at", "version", "updated_at"]  # fmt: skip
        bulk_update_with_history(
            changed_verdicts, Verdict, fields, default_user=session.by, default_change_reason=UPDATED_REASON
        )
    if changed_claims:
        retexted = [claim for claim in changed_claims if "text" in changes[claim.published_verdict_id][1]]
        vectors = embeddings_for([claim.text for claim in retexted]) or []
        for claim, vector in zip(retexted, vectors, strict=False):
            claim.embedding = vector
        for claim in changed_claims:
            claim.updated_at = now
        bulk_update_with_history(
            changed_claims,
            Claim,
            ["text", "claimant", "language", "updated_at", *(["embedding"] if vectors else [])],
            default_user=session.by,
            default_change_reason=UPDATED_REASON,
        )
    return current


def _published_by(url: str, party_url: str | None) -> bool:
    """Whether an address is the party's own: on their site (a homepage URL) or under their
    profile address (social.example/@someone/123 is @someone's)."""
    if not party_url:
        return False
    if is_site_root(party_url):
        return domain_of(url) == domain_of(party_url)
    prefix = normalise_url(party_url).rstrip("/")
    return domain_of(url) == domain_of(party_url) and url.split("://", 1)[-1].startswith(prefix.split("://", 1)[-1])


def _appearances(pairs: list[tuple[int, _Row]], articles: dict[str, int], sources: dict, session, now, *,
                 known_claims: list[int], outcome: BatchOutcome) -> None:  # fmt: skip
    """Record each review's appearances that are not recorded yet (never removes any); only the
    claims that existed before the batch (``known_claims``) can have some already."""
    existing = (
        set(Appearance.objects.filter(claim_id__in=known_claims).values_list("claim_id", "article_id"))
        if known_claims
        else set()
    )
    new = []
    for claim_id, row in pairs:
        claimant = sources.get(row.claimant)
        claimant_url = row.claimant.url if row.claimant else None
        for url, _, _ in row.article_urls:
            article_id = articles.get(url)  # None: withheld, see _articles
            if article_id is None or (claim_id, article_id) in existing:
                continue
            existing.add((claim_id, article_id))
            # The claimant's own site asserts the claim; elsewhere it is reported as theirs.
            own_site = _published_by(url, claimant_url)
            reports = claimant is not None and not own_site
            new.append(
                {
                    "claim_id": claim_id,
                    "article_id": article_id,
                    "voice": (Voice.REPORTS if reports else Voice.ASSERTS).value,
                    "attributed_to_id": claimant.pk if reports else None,
                }
            )
    if new:
        outcome.touched_claims += [row["claim_id"] for row in new]
        for row, pk in zip(new, reserve_ids({Appearance: len(new)})[Appearance], strict=True):
            row["id"] = pk
        copy_rows(Appearance, new, now=now)
        copy_history(Appearance, new, history_type="+", user=session.by, reason=CREATED_REASON, now=now)


def apply_batch(items: Sequence[ReviewItem], *, session: ImportSession, label=str) -> BatchOutcome:
    """Write one batch (call inside a transaction). Review URLs must be distinct within a batch."""
    outcome = BatchOutcome()
    rows = []
    for item in items:
        key = normalise_url(item.review.review_url, keep_fragment=True)
        problem = _problem(item.review, key)
        if problem:
            outcome.skipped.append((label(item.position), problem))
            continue
        review = item.review
        rows.append(
            _Row(
                position=label(item.position),
                review=review,
                key=key,
                checker=_checker(review, key),
                claimant=SourceRef.party(review.claimant_name, review.claimant_url, review.claimant_kind),
                article_urls=[
                    (url, ref.headline, ref.date_published)
                    for ref in review.appearances
                    if len(url := normalise_url(ref.url)) <= _URL_MAX
                ],
            )
        )
    if not rows:
        return outcome
    now = timezone.now()
    rows = _find_existing(rows, session, outcome)
    sources = session.sources.resolve([ref for row in rows for ref in (row.checker, row.claimant)])
    articles = _articles(rows, session, now)
    new_rows = [row for row in rows if row.existing is None]
    pairs, known = [], []
    if new_rows:
        pairs, known = _create_grouped(new_rows, session, sources, now)
        outcome.created += len(new_rows)
        outcome.attached += sum(1 for row in new_rows if not row.slug)  # the rows that made no claim
        outcome.touched_claims += sorted({claim_id for claim_id, _ in pairs})
    updated_rows = _update([row for row in rows if row.existing is not None], session, sources, outcome)
    updated = [row.existing.claim_id for row in updated_rows]
    pairs += list(zip(updated, updated_rows, strict=True))
    known += updated
    _appearances(pairs, articles, sources, session, now, known_claims=known, outcome=outcome)
    if session.recompute_credibility:
        _touched_sources(outcome, session)
    return outcome


def _create_grouped(rows: list[_Row], session: ImportSession, sources: dict, now) -> tuple[list, list[int]]:
    """New reviews: each joins the claim it reviews when one is found (claims/ingest/grouping.py),
    else makes its claim. Embeds the batch's claim texts once (for the search and to store).
    Returns (claim id, row) pairs for the appearances, and the ids of the claims that existed
    before the batch."""
    from claims.ingest.grouping import group_reviews

    # One encoder call per few hundred texts, written by the same COPY (no query of its own).
    vectors = embeddings_for([row.review.claim_text for row in rows])
    checkers = [getattr(sources.get(row.checker), "pk", None) for row in rows]
    targets = group_reviews(
        [row.review.claim_text for row in rows], [_language(row.review) for row in rows], checkers, vectors
    )
    leaders = [index for index, target in enumerate(targets) if target is None]
    leader_vectors = [vectors[index] for index in leaders] if vectors is not None else [None] * len(leaders)
    created = _create([rows[index] for index in leaders], session, sources, now, leader_vectors)
    claim_of = dict(zip(leaders, created, strict=True))
    attached, pairs, known = [], [], set()
    for index, (row, target) in enumerate(zip(rows, targets, strict=True)):
        if target is None:
            pairs.append((claim_of[index], row))
            continue
        if target.claim_id is not None:
            claim_id, slug = target.claim_id, target.match.slug
            known.add(claim_id)
        else:
            claim_id, slug = claim_of[target.leader], rows[target.leader].slug
        attached.append((row, claim_id, target.reason(slug)))
        pairs.append((claim_id, row))
    if attached:
        _attach(attached, session, sources, now)
    return pairs, sorted(known)


def _touched_sources(outcome: BatchOutcome, session: ImportSession) -> None:
    """Remember the sources whose credibility this batch changed (one query, none for a batch of
    unchanged reviews): the claimants, outlets and authors the created or changed claims count
    for, and claimants that lost a claim. The importer recomputes them once at the end
    (claims.ingest.claimreview_import.recompute_touched_credibility). Measures' conflict caches
    need nothing: an import records no figures and leaves which claims are published as it was."""
    from claims.credibility_sql import sources_of_claims

    if session.touched_overflow or not (outcome.touched_claims or outcome.former_claimants):
        return
    session.touched_sources.update(sources_of_claims(outcome.touched_claims) if outcome.touched_claims else ())
    session.touched_sources.update(outcome.former_claimants)
    if len(session.touched_sources) > session.TOUCHED_LIMIT:
        session.touched_overflow, session.touched_sources = True, set()
