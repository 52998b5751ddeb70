"""Store an article and propose its check-worthy sentences as new claims for the review queue.

Candidates come from :func:`claims.extraction.extract_candidates` (ranked, with figures parsed and a
measure suggested). Each becomes a *new* claim whose text is the sentence itself, a placeholder
that reviewers rewrite neutrally, with its appearance in the article (``asserts``, or ``reports``
when the sentence attributes the statement to someone). A figure is recorded only when its
suggested measure names the same quantity as an existing Measure in a compatible unit, and then
only as a *proposal* (confidence and reason kept) that counts nowhere until a reviewer confirms
it; otherwise the suggestion is reported as a new measure for a reviewer to create. Idempotent
per article URL: a sentence already recorded as an appearance of the article is not proposed again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from claims import services
from claims.choices import ArticleKind, SourceKind, Voice
from claims.extraction import Candidate, extract_candidates, suggest_measure
from claims.figures import UnitConversionError, convert
from claims.ingest.links import normalise_url
from claims.ingest.sources import SourceRef, SourceResolver
from claims.matching.language import detect_language
from claims.matching.ranking import Match
from claims.models import Appearance, Article, Claim, Measure

DEFAULT_LIMIT = 10
# The work one ingestion may do, whoever asks (admin page or command): reading the text is linear
# in its length; each claim and each figure filed costs a few queries, so both are capped.
MAX_TEXT_LENGTH = 200_000
MAX_CLAIMS = 50
MAX_FIGURES = 200
_CLAIM_TEXT_MAX = 2000
_STOPWORDS = {"of", "the", "a", "an", "in", "on", "to", "for", "from", "by", "and", "own", "over", "with", "s"}


@dataclass
class ProposedFigure:
    text: str  # as written: "close to 15 million"
    reading: str  # how it was parsed, e.g. "≈ 15,000,000"
    suggested_measure: str | None
    measure: Measure | None = None  # the existing measure it is proposed for, if any
    confidence: Decimal | None = None
    reason: str = ""  # why that measure, or why none (the near miss)


@dataclass
class ProposedClaim:
    candidate: Candidate
    claim_id: int | None  # None when the sentence was already proposed, or is likely an existing claim
    voice: str
    figures: list[ProposedFigure] = field(default_factory=list)
    # The existing claim the sentence likely states (claims/matching/ranking.py's Match): proposed
    # as a new appearance of it instead of a new claim, for a reviewer to accept or overrule.
    existing: Match | None = None


@dataclass
class ArticleIngestResult:
    article: Article
    article_created: bool
    proposed: list[ProposedClaim] = field(default_factory=list)
    figures_not_read: int = 0  # figures of the proposed sentences beyond MAX_FIGURES

    @property
    def cap_note(self) -> str:
        if not self.figures_not_read:
            return ""
        return (
            f"{self.figures_not_read} more figure(s) in these sentences were not read: at most {MAX_FIGURES} "
            "figures are read per ingestion. Record the others on the claims' appearances in the admin."
        )

    @property
    def created_claims(self) -> int:
        return sum(1 for p in self.proposed if p.claim_id is not None)

    @property
    def existing_claims(self) -> int:
        return sum(1 for p in self.proposed if p.existing is not None)

    def lines(self) -> list[str]:
        state = "stored" if self.article_created else "already stored; updated"
        lines = [f"Article {self.article.url} {state}. {self.created_claims} new claim(s) for review:"]
        for number, proposal in enumerate(self.proposed, start=1):
            c = proposal.candidate
            flag = "" if proposal.claim_id or proposal.existing else " (already proposed)"
            lines.append(f"{number}. [{c.score:g}] {c.sentence[:160]}{flag}")
            if proposal.existing:
                match = proposal.existing
                lines.append(
                    f"   {match.label}: claim '{match.slug}' (score {match.score:.2f}: {match.reason}); "
                    "proposed as a new appearance of it, not a new claim: accept it or create a new claim "
                    "on the admin's ingestion page"
                )
            lines.append(f"   voice: {proposal.voice}; reasons: {'; '.join(c.reasons)}")
            for fig in proposal.figures:
                suggestion = fig.suggested_measure or "-"
                if fig.measure:
                    target = (
                        f"proposed for measure '{fig.measure.name}' (confidence {fig.confidence:.2f}: {fig.reason}),"
                        " counted once a reviewer confirms it"
                    )
                else:
                    target = f"no matching measure ({fig.reason}): propose a new measure"
                lines.append(f"   figure {fig.text!r} = {fig.reading}; suggested measure: {suggestion}; {target}")
        if self.cap_note:
            lines.append(self.cap_note)
        return lines


def _tokens(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", (text or "").casefold().replace("’", "'").replace("'s", ""))
    return {w for w in words if w not in _STOPWORDS}


def _same_word(a: str, b: str) -> bool:
    """Azeri/Azeris, Israel/Israeli, import/imports: equal or one a prefix (4+ letters) of the other."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def _unmatched(words: set[str], others: set[str]) -> list[str]:
    return sorted(w for w in words if not any(_same_word(w, o) for o in others))


@dataclass(frozen=True)
class MeasureMatch:
    """An existing measure a figure is proposed for, how sure the match is, and why."""

    measure: Measure
    confidence: Decimal
    reason: str


@dataclass
class MeasureMatcher:
    """Finds the existing measure that names *the same quantity* as a suggestion: what is counted,
    of what and where. Shared words are not enough ("70 km from Baku" is not the distance from
    Nakhchivan to Baku; Iran's population is not the Azeri population of Iran): every word of the
    measure's name must be in the suggestion and every word of the suggestion in the name, and
    the units must convert. Anything less is a near miss, reported, and a new measure is
    proposed instead. Measures' words are read once, so matching costs one pass over them."""

    measures: list[Measure]
    _words: dict[int, set[str]] = field(init=False)  # by id(): measures may be unsaved
    _by_key: dict[str, list[Measure]] = field(init=False)

    def __post_init__(self):
        # Indexed by each word's first four letters (what _same_word needs in common), so one
        # figure is compared with the measures sharing a word, not with every measure.
        self._words, self._by_key = {}, {}
        for measure in self.measures:
            self._words[id(measure)] = words = _tokens(measure.name)
            for key in {w[:4] for w in words} | {f"slug:{measure.slug}", f"name:{measure.name.casefold()}"}:
                self._by_key.setdefault(key, []).append(measure)

    def _candidates(self, suggestion: str, wanted: set[str]) -> list[Measure]:
        keys = [f"slug:{slugify(suggestion)}", f"name:{suggestion.casefold()}", *sorted({w[:4] for w in wanted})]
        seen, found = set(), []
        for key in keys:
            for measure in self._by_key.get(key, ()):
                if id(measure) not in seen:
                    seen.add(id(measure))
                    found.append(measure)
        return found

    def match(self, suggestion: str | None, unit: str) -> tuple[MeasureMatch | None, str]:
        """(the match or None, a reason a reviewer can read)."""
        wanted = _tokens(suggestion or "")
        if not wanted:
            return None, "no name for the quantity in the sentence"
        near_miss = ""
        for measure in self._candidates(suggestion, wanted):
            names = self._words[id(measure)]
            try:
                convert(Decimal(1), unit, measure.unit)
            except UnitConversionError:
                continue
            if slugify(suggestion) == measure.slug or suggestion.casefold() == measure.name.casefold():
                return MeasureMatch(measure, Decimal("0.95"), f"same name as the measure '{measure.name}'"), ""
            missing, extra = _unmatched(names, wanted), _unmatched(wanted, names)
            if not missing and not extra:
                reason = f"same quantity: every word of '{measure.name}' and of '{suggestion}' agree"
                return MeasureMatch(measure, Decimal("0.80"), reason), ""
            if not near_miss and len(missing) + len(extra) < len(names | wanted) / 2:
                parts = []
                if missing:
                    parts.append(f"the measure names {', '.join(missing)}, the text does not")
                if extra:
                    parts.append(f"the text names {', '.join(extra)}, the measure does not")
                near_miss = f"not '{measure.name}': {'; '.join(parts)}"
        return None, near_miss or "no measure of the same quantity"


def match_measure(suggestion: str | None, unit: str, measures: list[Measure]) -> Measure | None:
    """The existing measure of the same quantity as the suggested name, or None when unsure."""
    found, _reason = MeasureMatcher(measures).match(suggestion, unit)
    return found.measure if found else None


def _title(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= 300 and not first.endswith((".", "!", "?")) else ""


@transaction.atomic
def ingest_article(
    *,
    text: str,
    url: str,
    by,
    outlet: str | None = None,
    authors: list[str] = (),
    published_on: dt.date | None = None,
    title: str | None = None,
    kind: str = ArticleKind.NEWS,
    limit: int = DEFAULT_LIMIT,
) -> ArticleIngestResult:
    """Store the article (matched on its normalised URL) and propose up to ``limit`` candidates,
    reading at most MAX_FIGURES of their figures."""
    services._require_reviewer(by)
    if len(text or "") > MAX_TEXT_LENGTH:
        raise ValidationError(
            {"text": f"The text has {len(text):,} characters; at most {MAX_TEXT_LENGTH:,} are ingested at once."}
        )
    if not 1 <= limit <= MAX_CLAIMS:
        raise ValidationError({"limit": f"Propose between 1 and {MAX_CLAIMS} claims per ingestion (not {limit})."})
    url = normalise_url(url)
    resolver = SourceResolver(by=by, change_reason="Created by article ingestion")
    # An explicit outlet name is authoritative: matched by its slug, not by the article's host.
    outlet_ref = SourceRef(name=outlet, url=None, kind=SourceKind.OUTLET) if outlet else None
    author_refs = [SourceRef.party(name, None, SourceKind.PERSON) for name in authors if name]
    sources = resolver.resolve([outlet_ref, *author_refs])
    article = Article.objects.select_for_update().filter(url=url).first()
    created = article is None
    article = article or Article(url=url, language=detect_language(text[:5000]) or "en")
    article.title = (title or article.title or _title(text))[:500]
    article.body = text
    article.kind = kind
    article.published_on = published_on or article.published_on
    article.outlet = sources.get(outlet_ref) or article.outlet
    article._history_user = by
    article.full_clean(exclude=["parent"])
    article.save()
    if author_refs:
        article.authors.add(*[sources[ref] for ref in author_refs])
    claimant = sources.get(author_refs[0]) if author_refs else sources.get(outlet_ref)
    known_quotes = set(Appearance.objects.filter(article=article).values_list("quote", flat=True))
    matcher = MeasureMatcher(list(Measure.objects.only("id", "name", "slug", "unit")))
    result = ArticleIngestResult(article=article, article_created=created)
    budget = MAX_FIGURES
    for candidate in extract_candidates(text, limit=limit):
        read = candidate.figures[:budget]
        budget -= len(read)
        result.figures_not_read += len(candidate.figures) - len(read)
        proposal = _proposal(candidate, read, matcher)
        result.proposed.append(proposal)
        if candidate.quote in known_quotes:
            continue
        known_quotes.add(candidate.quote)
        try:
            claim = services.create_claim(
                text=candidate.sentence[:_CLAIM_TEXT_MAX],
                by=by,
                claimant=None if candidate.attributed else claimant,
                first_seen=published_on,
                check_duplicates=True,
            )
        except services.DuplicateClaim as duplicate:
            proposal.existing = duplicate.matches[0]  # nothing written: a reviewer decides
            continue
        _file(proposal, read, claim=claim, article=article, by=by)
    return result


def _proposal(candidate: Candidate, read, matcher: MeasureMatcher) -> ProposedClaim:
    """A candidate with its voice and the measures its (first `read`) figures are proposed for."""
    voice = Voice.REPORTS if candidate.attributed else Voice.ASSERTS
    proposal = ProposedClaim(candidate=candidate, claim_id=None, voice=voice)
    for found in read:
        suggestion = suggest_measure(candidate.sentence, found)
        match, why_not = matcher.match(suggestion, found.figure.unit)
        proposal.figures.append(
            ProposedFigure(
                text=found.text,
                reading=found.figure.display(),
                suggested_measure=suggestion,
                measure=match.measure if match else None,
                confidence=match.confidence if match else None,
                reason=match.reason if match else why_not,
            )
        )
    return proposal


def _file(proposal: ProposedClaim, read, *, claim: Claim, article: Article, by) -> Appearance:
    """Record the candidate as an appearance of `claim` in the article, with its figures filed as
    proposals on the measures matched."""
    candidate = proposal.candidate
    appearance = services.add_appearance(
        claim=claim, article=article, by=by, quote=candidate.quote, voice=proposal.voice
    )
    proposal.claim_id = claim.pk
    for found, fig in zip(read, proposal.figures, strict=True):
        if fig.measure is not None:
            parsed = found.figure
            services.record_figure(
                appearance=appearance,
                measure=fig.measure,
                by=by,
                quoted_text=found.text[:200],
                low=parsed.low,
                high=parsed.high,
                qualifier=parsed.qualifier,
                unit=parsed.unit,
                proposal=(fig.confidence, fig.reason),
            )
    return appearance


@transaction.atomic
def file_proposal(*, article: Article, quote: str, by, claim: Claim | None = None) -> ProposedClaim:
    """A reviewer's answer to an ingestion's proposal: the article's candidate sentence `quote` is
    recorded as a new appearance of `claim` (accepting "likely the same claim"), or, with no
    claim, as a new claim anyway. The candidate is read again from the stored article text, so
    only a sentence the ingestion proposed can be filed, with the same voice and figures."""
    services._require_reviewer(by)
    article = Article.objects.select_for_update().get(pk=article.pk)
    candidate = next((c for c in extract_candidates(article.body, limit=MAX_CLAIMS) if c.quote == quote), None)
    if candidate is None:
        raise ValidationError({"quote": "That sentence is not one this article's ingestion proposes."})
    if Appearance.objects.filter(article=article, quote=candidate.quote).exists():
        raise ValidationError({"quote": "That sentence is already recorded as an appearance of this article."})
    read = candidate.figures[:MAX_FIGURES]
    proposal = _proposal(candidate, read, MeasureMatcher(list(Measure.objects.only("id", "name", "slug", "unit"))))
    if claim is None:
        authors = list(article.authors.order_by("id")[:1])
        claim = services.create_claim(
            text=candidate.sentence[:_CLAIM_TEXT_MAX],
            by=by,
            claimant=None if candidate.attributed else (authors[0] if authors else article.outlet),
            first_seen=article.published_on,
        )
    _file(proposal, read, claim=claim, article=article, by=by)
    return proposal
