"""Turn one ClaimReview JSON-LD object, as publishers really write it, into flat fields.

Publishers vary a lot within the schema: ``author`` is an object or a list, ``appearance`` a URL
string, a CreativeWork or a list of either, dates carry times and zones or none, ratings come as
labels, numbers or both. :func:`normalise_review` absorbs that variety so the importer deals with
one shape; anything optional that is missing or unusable becomes ``None`` (with a note in
``warnings`` when something was present but unreadable).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .ratings import as_number, normalise_rating


class InvalidReview(ValueError):
    """An item that cannot be imported: no review URL or no claim text."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AppearanceRef:
    """Where a claim was seen: a page URL, with its headline and date when known."""

    url: str
    headline: str | None = None
    date_published: dt.date | None = None


@dataclass(frozen=True)
class NormalisedReview:
    """One fact-check, flattened; ``raw`` keeps the original for storage and debugging."""

    review_url: str
    claim_text: str
    rating: str  # one of ratings.RATING_SLUGS
    claim_date: dt.date | None = None
    claim_identifier: str | None = None  # itemReviewed.identifier (our claim slug on export)
    claimant_name: str | None = None
    claimant_url: str | None = None
    claimant_kind: str | None = None  # person / outlet / government / organisation
    appearances: tuple[AppearanceRef, ...] = ()
    appearance_urls: tuple[str, ...] = ()
    fact_checker_name: str | None = None
    fact_checker_url: str | None = None
    review_date: dt.date | None = None
    headline: str | None = None
    summary: str | None = None
    language: str | None = None
    rating_label: str | None = None
    rating_value: float | None = None
    rating_best: float | None = None
    rating_worst: float | None = None
    warnings: tuple[str, ...] = ()
    raw: dict = field(default_factory=dict, repr=False, compare=False)


# schema.org types of the party making a claim -> our Source kinds (claims.choices.SourceKind).
_KIND_BY_SCHEMA_TYPE = {
    "Person": "person",
    "NewsMediaOrganization": "outlet",
    "GovernmentOrganization": "government",
    "GovernmentOffice": "government",
    "Organization": "organisation",
    "PoliticalParty": "organisation",
}
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_SCHEMA_PREFIX = re.compile(r"^(https?://schema\.org/|schema:)")


def schema_types(node: object) -> set[str]:
    """The node's ``@type`` names, without ``schema:`` or ``https://schema.org/`` prefixes."""
    if not isinstance(node, Mapping):
        return set()
    declared = node.get("@type")
    names = declared if isinstance(declared, list) else [declared]
    return {_SCHEMA_PREFIX.sub("", name) for name in names if isinstance(name, str)}


def _first(value: object) -> object:
    """The first usable element of a list, or the value itself."""
    if isinstance(value, list):
        return next((element for element in value if element not in (None, "", {})), None)
    return value


def _text(value: object) -> str | None:
    """A stripped, single-spaced string, or None for empty/non-text values."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _is_web_url(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def _url_of(node: object) -> str | None:
    """The web address a node stands for: a URL string, or an object's url/@id/sameAs."""
    if isinstance(node, str):
        return node.strip() if _is_web_url(node) else None
    if isinstance(node, Mapping):
        for key in ("url", "@id", "sameAs"):
            candidate = _first(node.get(key))
            if _is_web_url(candidate):
                return candidate.strip()
    return None


def parse_date(value: object) -> dt.date | None:
    """The calendar date of an ISO-8601 date or date-time (as the publisher wrote it)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _ISO_DATE.match(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _party(value: object) -> tuple[str | None, str | None, set[str]]:
    """(name, url, types) of the first author/publisher given as object, list or plain name."""
    node = _first(value)
    if isinstance(node, str):
        return (None, node.strip(), set()) if _is_web_url(node) else (_text(node), None, set())
    if isinstance(node, Mapping):
        name = _text(node.get("name")) or _text(node.get("alternateName"))
        return name, _url_of(node), schema_types(node)
    return None, None, set()


def _kind_for(types: set[str]) -> str | None:
    for schema_type, kind in _KIND_BY_SCHEMA_TYPE.items():
        if schema_type in types:
            return kind
    return "organisation" if any(name.endswith("Organization") for name in types) else None


def _appearances(claim: Mapping, warnings: list[str]) -> list[AppearanceRef]:
    """firstAppearance then appearance, each a URL, a CreativeWork or a list; de-duplicated."""
    found: dict[str, AppearanceRef] = {}
    for key in ("firstAppearance", "appearance"):
        value = claim.get(key)
        for node in value if isinstance(value, list) else [value]:
            if node in (None, "", {}):
                continue
            url = _url_of(node)
            if url is None:
                warnings.append(f"itemReviewed.{key}: no web address in {str(node)[:80]!r}")
            elif url not in found:
                work = node if isinstance(node, Mapping) else {}
                headline = _text(work.get("headline")) or _text(work.get("name"))
                found[url] = AppearanceRef(url, headline, parse_date(work.get("datePublished")))
    return list(found.values())


def _language(value: object) -> str | None:
    value = _first(value)
    if isinstance(value, Mapping):
        return _text(value.get("alternateName")) or _text(value.get("name"))
    return _text(value)


def _date_field(node: Mapping, key: str, where: str, warnings: list[str]) -> dt.date | None:
    value = node.get(key)
    parsed = parse_date(value)
    if parsed is None and value not in (None, ""):
        warnings.append(f"{where}{key}: unreadable date {value!r}")
    return parsed


def missing_fields(raw: object) -> str | None:
    """Why an item cannot be imported, or None when it has a review URL and claim text."""
    if not isinstance(raw, Mapping):
        return f"item is not a JSON object (got {type(raw).__name__})"
    claim = _first(raw.get("itemReviewed"))
    claim = claim if isinstance(claim, Mapping) else {}
    problems = []
    if not _is_web_url(_first(raw.get("url"))):
        problems.append("no review URL ('url' missing or not an http(s) address)")
    if not (_text(raw.get("claimReviewed")) or _text(claim.get("text")) or _text(claim.get("name"))):
        problems.append("no claim text (neither 'claimReviewed' nor itemReviewed name/text)")
    return "; ".join(problems) or None


def normalise_review(raw: dict) -> NormalisedReview:
    """Flatten one ClaimReview object; raises InvalidReview when it cannot be imported."""
    problem = missing_fields(raw)
    if problem:
        raise InvalidReview(problem)
    warnings: list[str] = []
    claim = _first(raw.get("itemReviewed"))
    claim = claim if isinstance(claim, Mapping) else {}
    claim_text = _text(raw.get("claimReviewed")) or _text(claim.get("text")) or _text(claim.get("name"))
    claimant_name, claimant_url, claimant_types = _party(claim.get("author"))
    checker_name, checker_url, _ = _party(raw.get("author") or raw.get("publisher"))
    rating = _first(raw.get("reviewRating"))
    rating = rating if isinstance(rating, Mapping) else {}
    rating_label = _text(rating.get("alternateName")) or _text(rating.get("name"))
    value, best, worst = (as_number(rating.get(key)) for key in ("ratingValue", "bestRating", "worstRating"))
    appearances = _appearances(claim, warnings)
    first_appearance = _first(claim.get("firstAppearance"))
    claim_date = _date_field(claim, "datePublished", "itemReviewed.", warnings)
    if claim_date is None and isinstance(first_appearance, Mapping):
        claim_date = parse_date(first_appearance.get("datePublished"))
    return NormalisedReview(
        review_url=_first(raw["url"]).strip(),
        claim_text=claim_text,
        rating=normalise_rating(rating_label, value=value, best=best, worst=worst),
        claim_date=claim_date,
        claim_identifier=_text(_first(claim.get("identifier"))),
        claimant_name=claimant_name,
        claimant_url=claimant_url,
        claimant_kind=_kind_for(claimant_types) if (claimant_name or claimant_url) else None,
        appearances=tuple(appearances),
        appearance_urls=tuple(appearance.url for appearance in appearances),
        fact_checker_name=checker_name,
        fact_checker_url=checker_url,
        review_date=_date_field(raw, "datePublished", "", warnings),
        headline=_text(raw.get("headline")) or _text(raw.get("name")),
        summary=_text(raw.get("description")) or _text(raw.get("reviewBody")),
        language=_language(raw.get("inLanguage")),
        rating_label=rating_label,
        rating_value=value,
        rating_best=best,
        rating_worst=worst,
        warnings=tuple(warnings),
        raw=raw,
    )
