"""Store an article and propose its check-worthy sentences as new claims for the review queue.

Candidates come from :func:`claims.extraction.extract_candidates` (ranked, with figures parsed and a
measure suggested). Each becomes a *new* claim whose text is the sentence itself, a placeholder
that reviewers rewrite neutrally, with its appearance in the article (``asserts``, or ``reports``
when the sentence attributes the statement to someone). A figure is recorded only when its
suggested measure matches an existing Measure in a compatible unit; otherwise the suggestion is
reported for a reviewer to act on. Idempotent per article URL: a sentence already recorded as an
appearance of the article is not proposed again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from claims import services
from claims.choices import ArticleKind, SourceKind, Voice
from claims.extraction import Candidate, extract_candidates, suggest_measure
from claims.figures import UnitConversionError, convert
from claims.ingest.links import normalise_url
from claims.ingest.sources import SourceRef, SourceResolver
from claims.matching.language import detect_language
from claims.models import Appearance, Article, Measure

DEFAULT_LIMIT = 10
_CLAIM_TEXT_MAX = 2000
_STOPWORDS = {"of", "the", "a", "an", "in", "on", "to", "for", "from", "by", "and", "own", "over", "with", "s"}


@dataclass
class ProposedFigure:
    text: str  # as written: "close to 15 million"
    reading: str  # how it was parsed, e.g. "≈ 15,000,000"
    suggested_measure: str | None
    measure: Measure | None = None  # the existing measure it was recorded against, if any


@dataclass
class ProposedClaim:
    candidate: Candidate
    claim_id: int | None  # None when the sentence was already proposed from this article
    voice: str
    figures: list[ProposedFigure] = field(default_factory=list)


@dataclass
class ArticleIngestResult:
    article: Article
    article_created: bool
    proposed: list[ProposedClaim] = field(default_factory=list)

    @property
    def created_claims(self) -> int:
        return sum(1 for p in self.proposed if p.claim_id is not None)

    def lines(self) -> list[str]:
        state = "stored" if self.article_created else "already stored; updated"
        lines = [f"Article {self.article.url} {state}. {self.created_claims} new claim(s) for review:"]
        for number, proposal in enumerate(self.proposed, start=1):
            c = proposal.candidate
            flag = "" if proposal.claim_id else " (already proposed)"
            lines.append(f"{number}. [{c.score:g}] {c.sentence[:160]}{flag}")
            lines.append(f"   voice: {proposal.voice}; reasons: {'; '.join(c.reasons)}")
            for fig in proposal.figures:
                target = f"recorded on measure '{fig.measure.name}'" if fig.measure else "no matching measure"
                suggestion = fig.suggested_measure or "-"
                lines.append(f"   figure {fig.text!r} = {fig.reading}; suggested measure: {suggestion}; {target}")
        return lines


def _tokens(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", (text or "").casefold().replace("’", "'").replace("'s", ""))
    return {w for w in words if w not in _STOPWORDS}


def _same_word(a: str, b: str) -> bool:
    """Azeri/Azeris, Israel/Israeli, import/imports: equal or one a prefix (4+ letters) of the other."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def match_measure(suggestion: str | None, unit: str, measures: list[Measure]) -> Measure | None:
    """The existing measure a suggested name most likely means: a compatible unit and at least two
    shared words covering half the suggestion; None when nothing is that close."""
    wanted = _tokens(suggestion or "")
    if not wanted:
        return None
    best, best_score = None, 0.0
    for measure in measures:
        try:
            convert(Decimal(1), unit, measure.unit)
        except UnitConversionError:
            continue
        if slugify(suggestion) == measure.slug or (suggestion or "").casefold() == measure.name.casefold():
            return measure
        names = _tokens(measure.name)
        shared = sum(1 for w in wanted if any(_same_word(w, n) for n in names))
        score = shared / len(wanted)
        if shared >= 2 and score >= 0.5 and score > best_score:
            best, best_score = measure, score
    return best


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
    """Store the article (matched on its normalised URL) and propose up to ``limit`` candidates."""
    services._require_reviewer(by)
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
    measures = list(Measure.objects.only("id", "name", "slug", "unit"))
    result = ArticleIngestResult(article=article, article_created=created)
    for candidate in extract_candidates(text, limit=limit):
        voice = Voice.REPORTS if candidate.attributed else Voice.ASSERTS
        proposal = ProposedClaim(candidate=candidate, claim_id=None, voice=voice)
        for found in candidate.figures:
            suggestion = suggest_measure(candidate.sentence, found)
            proposal.figures.append(
                ProposedFigure(
                    text=found.text,
                    reading=found.figure.display(),
                    suggested_measure=suggestion,
                    measure=match_measure(suggestion, found.figure.unit, measures),
                )
            )
        result.proposed.append(proposal)
        if candidate.quote in known_quotes:
            continue
        known_quotes.add(candidate.quote)
        claim = services.create_claim(
            text=candidate.sentence[:_CLAIM_TEXT_MAX],
            by=by,
            claimant=None if candidate.attributed else claimant,
            first_seen=published_on,
        )
        appearance = services.add_appearance(claim=claim, article=article, by=by, quote=candidate.quote, voice=voice)
        proposal.claim_id = claim.pk
        for found, fig in zip(candidate.figures, proposal.figures, strict=True):
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
                )
    return result
