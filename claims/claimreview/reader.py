"""Read ClaimReview items from a file in any of the shapes publishers distribute, streaming.

Accepted shapes (``@context`` http, https or absent):

* one ClaimReview object, or a JSON array of them;
* a schema.org ``DataFeed`` (``dataFeedElement[].item`` as a list or a single object, or the
  element itself being the ClaimReview); a JSON-LD ``@graph`` (non-ClaimReview nodes skipped);
* a Google Fact Check Tools ``claims:search`` response (each ``claims[].claimReview[]`` is turned
  into a ClaimReview-shaped dict, see :func:`claimreview_from_fact_check_tools`);
* JSON Lines: one object per line, by extension (``.jsonl``/``.ndjson``) or because the first
  line is a complete JSON object and more content follows it.

Memory stays constant: the file is parsed as events by ijson and only one item is built at a
time, so a 200 MB feed costs what its largest item costs.

Two kinds of failure, on purpose:

* a bad *item* (not an object, no review URL, no claim text) is *yielded* as an :class:`ItemError`
  with its position, and reading goes on;
* a bad *file* (invalid or truncated JSON, a number or string at the top, an object of no known
  shape) *raises* :class:`ClaimReviewFileError`. Streaming means this can happen after items
  were yielded (truncation is only seen at the end). So a caller that must write nothing for a
  malformed file either runs :func:`validate_stream` first and then reads again (two passes,
  nothing written if the first raises), or consumes the iterator inside one database transaction
  so the exception rolls back what was written.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

import ijson

from .normalise import InvalidReview, NormalisedReview, normalise_review, schema_types

JSON_LINES_EXTENSIONS = (".jsonl", ".ndjson")
# Real ClaimReview nests about eight levels (feed, element, item, itemReviewed, author...);
# deeper input is refused as a whole before it can exhaust the interpreter's recursion limit.
MAX_DEPTH = 64
_CHUNK = 64 * 1024
_MAX_HEAD = 256 * 1024  # bytes read to decide the format; a first JSON Lines record must fit
_BOM = b"\xef\xbb\xbf"
_CLAIMREVIEW_KEYS = ("claimReviewed", "itemReviewed", "reviewRating")


class ClaimReviewFileError(ValueError):
    """The file as a whole is unreadable: nothing from it should be applied."""


class _TooDeep(Exception):
    """Raised where the filename is unknown; turned into a ClaimReviewFileError naming it."""


def _too_deep(filename: str) -> ClaimReviewFileError:
    return ClaimReviewFileError(_named(filename, f"the JSON is nested more than {MAX_DEPTH} levels deep"))


@dataclass(frozen=True)
class ItemPosition:
    """Where an item sits in the file, to report it to the person who supplied the file."""

    index: int  # 0-based order among everything yielded (items and errors)
    path: str  # "$", "[12]", "dataFeedElement[3].item[0]", "claims[2].claimReview[0]", "line 7"
    line: int | None = None  # 1-based line number, JSON Lines only

    def __str__(self) -> str:
        return self.path


@dataclass(frozen=True)
class ReviewItem:
    """An importable item: the normalised review (its ``raw`` is the ClaimReview dict)."""

    position: ItemPosition
    review: NormalisedReview

    @property
    def raw(self) -> dict:
        return self.review.raw


@dataclass(frozen=True)
class ItemError:
    """An item that was skipped, with the reason to show the user."""

    position: ItemPosition
    reason: str
    raw: object = field(default=None, repr=False)


ItemOrError = ReviewItem | ItemError


@dataclass
class StreamSummary:
    """What :func:`validate_stream` found in a structurally sound file."""

    format: str  # "json" or "jsonl"
    items: int = 0
    errors: int = 0
    first_errors: list[ItemError] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Public entry points


def iter_claimreview_items(
    stream: BinaryIO, *, filename: str = "", base_url: str | None = None
) -> Iterator[ItemOrError]:
    """Yield every item of the file in order; raises ClaimReviewFileError for a bad file.
    ``base_url``: the page the file came from, when known (relative URLs resolve against it)."""
    _, found = _open(stream, filename)
    yield from _with_positions(found, base_url)


def validate_stream(
    stream: BinaryIO, *, filename: str = "", keep_errors: int = 100, normalise: bool = True
) -> StreamSummary:
    """Read the whole file once without keeping items; raises ClaimReviewFileError if unsound.

    Run it before an import that must not write anything for a malformed file, then rewind
    (``stream.seek(0)``) and import. Item errors are counted, the first ``keep_errors`` kept.
    With ``normalise=False`` items are only found, not normalised: the file is checked just as
    well (a file error is structural), ``items + errors`` is the same, but an item that would
    fail normalisation counts as an item (the import reports it) — half the work, for callers
    that only need the file checked and counted.
    """
    file_format, found = _open(stream, filename)
    summary = StreamSummary(format=file_format)
    if not normalise:
        for _, _, _, reason in found:
            if reason is None:
                summary.items += 1
            else:
                summary.errors += 1
        return summary
    for element in _with_positions(found):
        if isinstance(element, ItemError):
            summary.errors += 1
            if len(summary.first_errors) < keep_errors:
                summary.first_errors.append(element)
        else:
            summary.items += 1
    return summary


def claimreview_from_fact_check_tools(claim: Mapping, review: Mapping) -> dict:
    """A ClaimReview-shaped dict for one ``claims[].claimReview[]`` of a claims:search answer."""
    publisher = review.get("publisher") if isinstance(review.get("publisher"), Mapping) else {}
    site = publisher.get("site")
    if isinstance(site, str) and site and "://" not in site:
        site = f"https://{site}"
    converted = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review.get("url"),
        "claimReviewed": claim.get("text"),
        "datePublished": review.get("reviewDate"),
        "headline": review.get("title"),
        "inLanguage": review.get("languageCode"),
        "author": {"@type": "Organization", "name": publisher.get("name"), "url": site},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"name": claim.get("claimant")} if claim.get("claimant") else None,
            "datePublished": claim.get("claimDate"),
        },
        "reviewRating": {"@type": "Rating", "alternateName": review.get("textualRating")},
    }
    return _without_empty(converted)


# ---------------------------------------------------------------------------------------------
# Format detection


def _open(stream: BinaryIO, filename: str) -> tuple[str, Iterator[tuple]]:
    """Detect the format from the first bytes; return it and a generator of found items."""
    head = _read_head(stream)
    content = head.lstrip()
    if not content:
        raise ClaimReviewFileError(_named(filename, "the file is empty"))
    rewound = _Rewound(head, stream)
    if _looks_like_json_lines(content, filename):
        return "jsonl", _iter_json_lines(rewound, filename)
    return "json", _iter_json(rewound, filename)


def _read_head(stream: BinaryIO) -> bytes:
    """Read up to the end of the first line of content (at most _MAX_HEAD bytes), minus a BOM."""
    head = b""
    while len(head) < _MAX_HEAD:
        chunk = _as_bytes(stream.read(_CHUNK))
        if not chunk:
            return _without_bom(head) + b"\n"  # the whole file: its first line is complete
        head += chunk
        content = head.lstrip()
        if content and b"\n" in content:
            break
    return _without_bom(head)


def _without_bom(head: bytes) -> bytes:
    return head[len(_BOM) :] if head.startswith(_BOM) else head


def _looks_like_json_lines(content: bytes, filename: str) -> bool:
    """JSON Lines: the first line is a whole JSON object, and the extension or more content say so."""
    first_line, newline, rest = content.partition(b"\n")
    if not newline or not first_line.rstrip().endswith(b"}"):
        return False  # a first line longer than _MAX_HEAD, or "{" alone on line 1
    if _nesting_depth(first_line) > MAX_DEPTH:
        return True  # an object on one line: refused as too deep when the line is read
    try:
        first_value = json.loads(first_line)
    except ValueError:
        return False
    if not isinstance(first_value, dict):
        return False
    by_extension = os.path.splitext(filename.lower())[1] in JSON_LINES_EXTENSIONS
    return by_extension or bool(rest.strip())


class _Rewound:
    """The stream with the bytes already read for format detection put back in front."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = memoryview(head)
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return _as_bytes(self._rest.read(size))
        if size is None or size < 0:
            data, self._head = bytes(self._head) + _as_bytes(self._rest.read()), memoryview(b"")
            return data
        data, self._head = bytes(self._head[:size]), self._head[size:]
        return data


def _as_bytes(data: bytes | str | None) -> bytes:
    """Accept text streams too (a file opened without "b")."""
    return data.encode("utf-8") if isinstance(data, str) else data or b""


def _named(filename: str, message: str) -> str:
    return f"{filename}: {message}" if filename else message


# ---------------------------------------------------------------------------------------------
# JSON documents, as a stream of ijson events


def _iter_json(stream: _Rewound, filename: str) -> Iterator[tuple]:
    """Found items of one JSON document, translating parser errors into ClaimReviewFileError."""
    count = 0
    try:
        events = ijson.basic_parse(stream, use_float=True)
        for found in _walk_document(events, filename):
            count += 1
            yield found
        for _ in events:  # the parser only notices trailing garbage when asked for more
            pass
    except ijson.JSONError as error:
        raise ClaimReviewFileError(_named(filename, _describe_parse_error(error, count))) from None
    except _TooDeep:
        raise _too_deep(filename) from None


def _describe_parse_error(error: ijson.JSONError, items_read: int) -> str:
    detail = error.args[0] if error.args else ""
    detail = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
    detail = detail.strip().splitlines()[0] if detail.strip() else "invalid JSON"
    if "premature EOF" in detail:
        detail = "the JSON ends before it is complete (truncated file?)"
    elif "trailing garbage" in detail:
        detail = "unexpected content after the end of the JSON value"
    return f"not valid JSON: {detail} (after {items_read} item(s))"


def _walk_document(events: Iterator[tuple], filename: str) -> Iterator[tuple]:
    event, value = next(events)
    if event == "start_array":
        for index, element in enumerate(_array_elements(events)):
            yield from _expand(element, f"[{index}]")
    elif event == "start_map":
        yield from _walk_top_object(events, filename)
    else:
        raise ClaimReviewFileError(
            _named(
                filename,
                f"the top-level value is a {event}, not an object or array; expected a ClaimReview "
                "object, an array of them, a DataFeed or a Fact Check Tools response",
            )
        )


# Top-level keys whose arrays may be huge: their elements are handled one at a time.
_STREAMED_KEYS = ("dataFeedElement", "claims", "@graph")


def _walk_top_object(events: Iterator[tuple], filename: str) -> Iterator[tuple]:
    top: dict = {}
    streamed = False
    for event, key in events:
        if event == "end_map":
            break
        event, value = next(events)
        if key in _STREAMED_KEYS and event == "start_array":
            streamed = True
            for index, element in enumerate(_array_elements(events)):
                yield from _expand_member(key, element, f"{key}[{index}]")
        else:
            top[key] = _build(event, value, events)
    if streamed:
        return
    if _is_container(top) or _looks_like_claimreview(top):
        yield from _expand(top, "")
        return
    keys = ", ".join(sorted(top)[:8]) or "none"
    raise ClaimReviewFileError(
        _named(
            filename,
            f"the top-level object is not a ClaimReview, DataFeed or Fact Check Tools response (keys: {keys})",
        )
    )


def _array_elements(events: Iterator[tuple]) -> Iterator[object]:
    """Build the elements of the array just opened (at depth 1), one at a time."""
    for event, value in events:
        if event == "end_array":
            return
        yield _build(event, value, events, depth=2)


def _build(event: str, value: object, events: Iterator[tuple], depth: int = 2) -> object:
    """Build the JSON value that starts with this event from the events that follow; ``depth``
    is its nesting level (the top-level value is 1)."""
    if event in ("start_map", "start_array") and depth > MAX_DEPTH:
        raise _TooDeep()
    if event == "start_map":
        built: dict = {}
        for inner_event, key in events:
            if inner_event == "end_map":
                return built
            built[key] = _build(*next(events), events, depth=depth + 1)
    elif event == "start_array":
        elements: list = []
        for inner_event, inner_value in events:
            if inner_event == "end_array":
                return elements
            elements.append(_build(inner_event, inner_value, events, depth=depth + 1))
    return value


_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _nesting_depth(data: bytes) -> int:
    """The deepest nesting of objects and arrays in a JSON text (strings skipped). Counting
    brackets first keeps ordinary lines at C speed: only a line with more brackets than
    MAX_DEPTH is scanned."""
    if data.count(b"{") + data.count(b"[") <= MAX_DEPTH:
        return 0
    depth = deepest = 0
    for token in _JSON_TOKEN.finditer(data):
        char = token.group()[:1]
        if char in (b"{", b"["):
            depth += 1
            deepest = max(deepest, depth)
        elif char in (b"}", b"]"):
            depth -= 1
    return deepest


# ---------------------------------------------------------------------------------------------
# JSON Lines


def _iter_json_lines(stream: _Rewound, filename: str) -> Iterator[tuple]:
    """Found items of each line; a line that is not JSON is an item error, not a file error."""
    for number, line in enumerate(_lines(stream), start=1):
        if not line.strip():
            continue
        path = f"line {number}"
        if _nesting_depth(line) > MAX_DEPTH:
            raise _too_deep(f"{filename}, {path}" if filename else path)
        try:
            value = json.loads(line)
        except ValueError as error:
            yield path, number, None, f"line is not valid JSON: {error}"
            continue
        for sub_path, _, raw, reason in _expand(value, ""):
            yield (f"{path}: {sub_path}" if sub_path else path), number, raw, reason


def _lines(stream: _Rewound) -> Iterator[bytes]:
    pending = b""
    while chunk := stream.read(_CHUNK):
        pending += chunk
        *complete, pending = pending.split(b"\n")
        yield from complete
    if pending:
        yield pending


# ---------------------------------------------------------------------------------------------
# From built values to found items: (path, line, raw dict or None, error reason or None)


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


def _looks_like_claimreview(node: Mapping) -> bool:
    return "ClaimReview" in schema_types(node) or any(key in node for key in _CLAIMREVIEW_KEYS)


def _is_container(node: Mapping) -> bool:
    return "DataFeed" in schema_types(node) or any(key in node for key in (*_STREAMED_KEYS, "claimReview"))


def _expand(value: object, path: str) -> Iterator[tuple]:
    """The items inside one value: a ClaimReview, a DataFeed, a Fact Check Tools claim or page."""
    if not isinstance(value, Mapping):
        yield path, None, None, f"item is not a JSON object (got {type(value).__name__})"
    elif "claimReview" in value:
        yield from _fact_check_tools_claim(value, path)
    elif _is_container(value):
        for key in _STREAMED_KEYS:
            members = value.get(key)
            if not isinstance(members, list):
                members = [] if members is None else [members]
            for index, member in enumerate(members):
                yield from _expand_member(key, member, _join(path, f"{key}[{index}]"))
    else:
        yield path, None, value, None


def _expand_member(key: str, member: object, path: str) -> Iterator[tuple]:
    if key == "dataFeedElement":
        yield from _feed_element(member, path)
    elif key == "claims":
        yield from _fact_check_tools_claim(member, path)
    elif isinstance(member, Mapping) and not _looks_like_claimreview(member):
        return  # other @graph nodes (WebPage, Organization...) are context, not items
    else:
        yield from _expand(member, path)


def _feed_element(element: object, path: str) -> Iterator[tuple]:
    if not isinstance(element, Mapping):
        yield path, None, None, f"feed element is not a JSON object (got {type(element).__name__})"
    elif "item" in element:
        items = element["item"]
        if isinstance(items, list):
            for index, item in enumerate(items):
                yield from _expand(item, _join(path, f"item[{index}]"))
        else:
            yield from _expand(items, _join(path, "item"))
    elif _looks_like_claimreview(element):
        yield path, None, element, None
    else:
        yield path, None, element, "feed element has no 'item'"


def _fact_check_tools_claim(claim: object, path: str) -> Iterator[tuple]:
    if not isinstance(claim, Mapping):
        yield path, None, None, f"claim is not a JSON object (got {type(claim).__name__})"
        return
    reviews = claim.get("claimReview")
    reviews = [reviews] if isinstance(reviews, Mapping) else reviews
    if not isinstance(reviews, list) or not reviews:
        yield path, None, claim, "claim has no claimReview"
        return
    for index, review in enumerate(reviews):
        review_path = _join(path, f"claimReview[{index}]")
        if isinstance(review, Mapping):
            yield review_path, None, claimreview_from_fact_check_tools(claim, review), None
        else:
            yield review_path, None, None, f"claimReview is not an object (got {type(review).__name__})"


def _without_empty(node: object) -> object:
    """Drop None/empty members so a converted item looks like a hand-written one."""
    if isinstance(node, dict):
        cleaned = {key: _without_empty(value) for key, value in node.items()}
        return {key: value for key, value in cleaned.items() if value not in (None, "", {}, [])}
    return node


def _with_positions(found: Iterator[tuple], base_url: str | None = None) -> Iterator[ItemOrError]:
    """Number the found items and normalise them, turning InvalidReview into an ItemError."""
    for index, (path, line, raw, reason) in enumerate(found):
        position = ItemPosition(index=index, path=path or "$", line=line)
        if reason is None:
            try:
                yield ReviewItem(position, normalise_review(raw, base_url=base_url))
                continue
            except InvalidReview as invalid:
                reason = invalid.reason
        yield ItemError(position, reason, raw)
