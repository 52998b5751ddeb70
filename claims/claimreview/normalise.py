"""Turn one ClaimReview JSON-LD object, as publishers really write it, into flat fields.

Publishers vary a lot within the schema: ``author`` is an object or a list, ``appearance`` a URL
string, a CreativeWork or a list of either, dates carry times and zones or none, ratings come as
labels, numbers or both. :func:`normalise_review` absorbs that variety so the importer deals with
one shape; anything optional that is missing or unusable becomes ``None`` (with a note in
``warnings`` when something was present but unreadable).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

from .ratings import as_number, rate


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
    """A stripped, single-spaced string with HTML entities decoded ("Singh&#039;s" is
    "Singh's"), or None for empty/non-text values; of a list, its first text."""
    if isinstance(value, list):
        return next((text for element in value if (text := _text(element))), None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    for _ in range(2):  # feeds escape twice too ("&amp;#039;")
        if "&" not in value:
            break
        value = html.unescape(value)
    return " ".join(value.split()) or None


def _is_web_url(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


# "aosfatos.org/noticias/..." or "www.example.com": a host name written without its scheme.
_BARE_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)


def resolve_url(value: object, base: str | None = None) -> str | None:
    """A web address for what a publisher wrote: absolute as is; "//host/..." and a bare host
    ("aosfatos.org/...") over https; a relative path ("/estadao-verifica/...") against ``base``
    (the page or the publisher's site) when one is known. None when it cannot be made absolute."""
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip()
    if any(char.isspace() for char in url):
        return None  # words ("on TV"), not an address
    if _is_web_url(url):
        return url
    if url.startswith("//"):
        return "https:" + url
    if "://" in url or url.lower().startswith(("mailto:", "javascript:", "data:", "tel:")):
        return None  # another scheme: not a web page
    if _BARE_HOST.match(url):
        return "https://" + url
    if base and _is_web_url(base):
        return urljoin(base.strip(), url)
    return None


def _url_of(node: object, base: str | None = None) -> str | None:
    """The web address a node stands for: a URL string, or an object's url/@id/sameAs."""
    if isinstance(node, str):
        return resolve_url(node, base)
    if isinstance(node, Mapping):
        for key in ("url", "@id", "sameAs"):
            # only "url" is a link to resolve; "@id" may be a blank node ("_:b0") or "#org"
            candidate = resolve_url(_first(node.get(key)), base if key == "url" else None)
            if candidate:
                return candidate
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
        url = resolve_url(node) if " " not in node.strip() else None
        return (None, url, set()) if url else (_text(node), None, set())
    if isinstance(node, Mapping):
        name = _text(node.get("name")) or _text(node.get("alternateName"))
        return name, _url_of(node), schema_types(node)
    return None, None, set()


def _kind_for(types: set[str]) -> str | None:
    for schema_type, kind in _KIND_BY_SCHEMA_TYPE.items():
        if schema_type in types:
            return kind
    return "organisation" if any(name.endswith("Organization") for name in types) else None


def _appearances(claim: Mapping, warnings: list[str], base: str | None) -> list[AppearanceRef]:
    """firstAppearance then appearance, each a URL, a CreativeWork or a list; de-duplicated;
    relative addresses resolved against ``base`` (the review's URL)."""
    found: dict[str, AppearanceRef] = {}
    for key in ("firstAppearance", "appearance"):
        value = claim.get(key)
        for node in value if isinstance(value, list) else [value]:
            if node in (None, "", {}):
                continue
            url = _url_of(node, base)
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


# The earliest date each kind can carry: a claim may quote an old statement, a review is a web page.
EARLIEST_CLAIM_DATE = dt.date(1000, 1, 1)
EARLIEST_REVIEW_DATE = dt.date(1990, 1, 1)


def _date_field(node: Mapping, key: str, where: str, warnings: list[str], *, earliest: dt.date) -> dt.date | None:
    """The date, or None with a warning when it is unreadable or impossible (in the future, or
    before ``earliest``): the item imports without it rather than with a date nobody wrote."""
    value = _first(node.get(key))
    parsed = parse_date(value)
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:39] + "…"
    if parsed is None and value not in (None, ""):
        warnings.append(f"{where}{key}: unreadable date {shown}; left empty")
    elif parsed is not None and not earliest <= parsed <= dt.date.today() + dt.timedelta(days=1):
        warnings.append(f"{where}{key}: impossible date {shown}; left empty")
        return None
    return parsed


def missing_fields(raw: object) -> str | None:
    """Why an item cannot be imported, or None when it has a review URL and claim text."""
    if not isinstance(raw, Mapping):
        return f"item is not a JSON object (got {type(raw).__name__})"
    claim = _first(raw.get("itemReviewed"))
    claim = claim if isinstance(claim, Mapping) else {}
    problems = []
    if not _text(_first(raw.get("url"))):
        problems.append("no review URL ('url' missing)")
    if not (_text(raw.get("claimReviewed")) or _text(claim.get("text")) or _text(claim.get("name"))):
        problems.append("no claim text (neither 'claimReviewed' nor itemReviewed name/text)")
    return "; ".join(problems) or None


def _page_url(raw: Mapping) -> str | None:
    """The page the review sits on, when the item says so (mainEntityOfPage)."""
    page = _first(raw.get("mainEntityOfPage"))
    candidate = page if isinstance(page, str) else _url_of(page)
    return candidate.strip() if _is_web_url(candidate) else None


def _review_url(raw: Mapping, bases: tuple[str | None, ...], warnings: list[str]) -> str:
    """The review's address made absolute against the first known base (page, publisher); one
    that cannot be is kept as written, with a warning: the review itself is still readable."""
    written = _text(_first(raw["url"]))
    resolved = resolve_url(written, next((base for base in bases if _is_web_url(base)), None))
    if resolved:
        return resolved
    warnings.append(
        f"url: {written!r} is not a full web address and no page or publisher URL is known; kept as written"
    )
    return written


def normalise_review(raw: dict, *, base_url: str | None = None) -> NormalisedReview:
    """Flatten one ClaimReview object; raises InvalidReview when it cannot be imported.
    ``base_url`` is the page the item was read from, when known: relative URLs resolve against it."""
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
    given = [_first(rating.get(key)) for key in ("ratingValue", "bestRating", "worstRating")]
    slug, note = rate(rating_label, value=given[0], best=given[1], worst=given[2])
    if slug is None:
        raise InvalidReview(f"reviewRating: {note}")
    if note:
        warnings.append(f"reviewRating: {note}")
    value, best, worst = (as_number(number) for number in given)
    review_url = _review_url(raw, (base_url, _page_url(raw), checker_url), warnings)
    appearances = _appearances(claim, warnings, review_url if _is_web_url(review_url) else base_url)
    first_appearance = _first(claim.get("firstAppearance"))
    claim_date = _date_field(claim, "datePublished", "itemReviewed.", warnings, earliest=EARLIEST_CLAIM_DATE)
    if claim_date is None and isinstance(first_appearance, Mapping):
        claim_date = parse_date(first_appearance.get("datePublished"))
    return NormalisedReview(
        review_url=review_url,
        claim_text=claim_text,
        rating=slug,
        claim_date=claim_date,
        claim_identifier=_text(_first(claim.get("identifier"))),
        claimant_name=claimant_name,
        claimant_url=claimant_url,
        claimant_kind=_kind_for(claimant_types) if (claimant_name or claimant_url) else None,
        appearances=tuple(appearances),
        appearance_urls=tuple(appearance.url for appearance in appearances),
        fact_checker_name=checker_name,
        fact_checker_url=checker_url,
        review_date=_date_field(raw, "datePublished", "", warnings, earliest=EARLIEST_REVIEW_DATE),
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
