"""Ranking candidates for "is this the same claim?": lexical and semantic evidence fused.

Two candidate lists are drawn from the claims the user may see (`Claim.objects.visible_to`):
lexical, `Claim.objects.search` over any of the text's words (ts_rank order), and semantic, the
nearest embeddings by cosine distance (HNSW index). They are fused by reciprocal rank fusion
(RRF: the sum of 1 / (k + rank) over the lists a claim is in), which needs no calibration between
ts_rank and cosine. Each result is then classed, with its reason:

- "same" (likely the same claim): very close in meaning, and the same figures and places;
- "related-different-figure": close in meaning but another number or another named place.
  Embeddings alone cannot tell "…rise to 12 dollars" from "…to 15 dollars" (cosine ~0.95), so
  numbers (claims/figures.py's parser) and names decide, never the vector;
- "related": on the same subject, by meaning or by shared words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import FloatField, Value
from pgvector.django import CosineDistance

from claims.figures import find_figures
from claims.matching.embeddings import embed_text
from claims.matching.language import detect_language

CANDIDATES = 50  # per list, before fusion
RRF_K = 60  # the constant of Cormack et al. (2009); damps the weight of the very first ranks
# Cosine similarity of USE v3 vectors. Tuned on the dev split of the evaluation set
# (bench/matching_eval/, `python -m bench.matching_quality --tune`): "same" at the best F0.5 of the
# "likely the same" decision, "related" at the highest floor keeping recall@5 within a point of its
# best (translations into languages the model hardly knows, Persian and Hindi, sit at 0.25-0.45).
SAME_SIMILARITY = 0.60
SAME_SIMILARITY_WITH_WORDS = 0.54  # enough when most words are shared as well
RELATED_SIMILARITY = 0.25
# Without vectors (a claim not embedded yet, or a write path with the model off): nearly all the
# same words (Dice overlap of the words) is the same claim.
SAME_WORDS = 0.8

SAME = "same"
RELATED = "related"
DIFFERENT_FIGURE = "related-different-figure"
CLASSES = (SAME, DIFFERENT_FIGURE, RELATED)
CLASS_LABELS = {
    SAME: "likely the same claim",
    DIFFERENT_FIGURE: "related, different figure",
    RELATED: "related",
}

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Match:
    claim_id: int
    text: str
    slug: str
    status: str
    language: str
    similarity: float | None  # cosine similarity of the embeddings, when the claim has one
    lexical_rank: int | None  # 1-based rank in the lexical list, None when not in it
    semantic_rank: int | None
    score: float = 0.0  # fused RRF score scaled to 0..1 (1 = first in both lists)
    match_class: str = RELATED
    reason: str = ""
    shared_words: list[str] = field(default_factory=list)
    overlap: float = 0.0  # Dice overlap of the two texts' words
    # A question about what the claim states ("How many Azeris live in Iran?"): not the same claim,
    # but the tip line answers it from the claim's verdict.
    answers_the_question: bool = False

    @property
    def label(self) -> str:
        return CLASS_LABELS[self.match_class]


# --- Evidence that vectors cannot weigh ----------------------------------------------------------


def _mantissa(value) -> str:
    """The significant digits of a figure: 20 million and "20 milyon" (read as 20) agree, as do
    1,500 and 1.5 thousand, so that a translation with its own scale words is not a new figure."""
    return "".join(str(digit) for digit in value.normalize().as_tuple().digits).rstrip("0") or "0"


# The evidence of one text is read once however many candidates it is compared with (a bulk
# import classes each review against several claims): pure functions of the text, cached.
@functools.lru_cache(maxsize=4096)
def figure_keys(text: str) -> frozenset[str]:
    keys = set()
    for found in find_figures(text or ""):
        for bound in (found.figure.low, found.figure.high):
            if bound is not None:
                keys.add(_mantissa(abs(bound)))
    return frozenset(keys)


QUESTION_MARKS = ("?", "\u061f", "\uff1f")  # Latin, Arabic/Persian, full-width


def asks_for_the_figures(a: str, b: str) -> bool:
    """One text is a question with no figures, the other states figures: "How many Azeris live in
    Iran?" asks what "15 million Azeris live in Iran" claims, it does not claim it. A yes/no question
    that carries the figures ("Do 15 million Azeris live in Iran?") is about the same claim."""
    for question, statement in ((a, b), (b, a)):
        if question.rstrip().endswith(QUESTION_MARKS) and not statement.rstrip().endswith(QUESTION_MARKS):
            if figure_keys(statement) and not figure_keys(question):
                return True
    return False


def figures_differ(a: str, b: str) -> tuple[bool, str]:
    """Whether both texts state figures and they are not the same ones, with the figures."""
    first, second = figure_keys(a), figure_keys(b)
    if first and second and first != second:
        return True, f"{', '.join(_figure_texts(a))} vs {', '.join(_figure_texts(b))}"
    return False, ""


@functools.lru_cache(maxsize=4096)
def _figure_texts(text: str) -> tuple[str, ...]:
    return tuple(found.text for found in find_figures(text))


# Words that open a sentence with a capital letter without naming anything. Any other capitalised
# first word is read as a name: in "Japan holds…" or "Lebanon hosts…" the place comes first.
SENTENCE_OPENERS = frozenset(
    """a about according across after all almost also among an and apart are around as at before between
    but by can close could did do does during each every few first five for four from half has have
    he her his how if in is it its just last less many more most new next nearly nine no not now of on
    one only or our over per relative roughly seven she since six some still ten than thanks that the
    their there these they this those three to today two under was we were what when where which who
    why will with within without would
    al am au aux com con da das de del der des die do du ein eine el em en et im la las le les los mit
    na no o os para por um uma un una und une von zu""".split()
)


@functools.lru_cache(maxsize=4096)
def names(text: str) -> frozenset[str]:
    """Capitalised words (place and other proper names, in scripts with case), the first word too
    unless it is one of the words sentences open with."""
    found = set()
    for position, word in enumerate(_WORD.findall(text or "")):
        word = re.sub(r"(?:'s|’s)$", "", word)
        if len(word) >= 3 and word[0].isupper() and word.isalpha():
            if position == 0 and word.casefold() in SENTENCE_OPENERS:
                continue
            found.add(word.casefold())
    return frozenset(found)


def _same_name(a: str, b: str) -> bool:
    """One name, inflected or made an adjective: Iran and Iranian, Japan and Japanese, Azeri and
    Azerbaijanis (one is the start of the other, or they share their first four letters)."""
    return a.startswith(b) or b.startswith(a) or (len(a) >= 4 and len(b) >= 4 and a[:4] == b[:4])


def _unnamed_in(first: set[str], second: set[str]) -> set[str]:
    return {name for name in first if not any(_same_name(name, other) for other in second)}


def names_differ(a: str, b: str, *, same_language: bool) -> tuple[bool, str]:
    """Each text names a place (or person) the other does not: one place put for another, even
    when other names are shared ("Japan holds … United States bonds" vs "China holds …"). Only
    within one language: across languages the same place is spelt otherwise (Iran, İran, Иран)."""
    if not same_language:
        return False, ""
    first, second = names(a), names(b)
    only_first, only_second = _unnamed_in(first, second), _unnamed_in(second, first)
    if only_first and only_second:
        return True, f"{', '.join(sorted(only_first))} vs {', '.join(sorted(only_second))}"
    return False, ""


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in _WORD.findall(text or "") if len(word) >= 3 and not word.isdigit())


# --- Candidates and fusion ----------------------------------------------------------------------


def _any_word_query(text: str) -> str:
    """A web-search query matching any of the text's words (websearch's `or`), with the syntax
    characters (quotes, a leading minus) left out so that the text cannot be read as operators."""
    words = [word for word in _WORD.findall(text) if word.casefold() != "or"]
    return " or ".join(words)


def classify(query_text: str, match: Match, *, query_language: str) -> Match | None:
    similarity = match.similarity
    shared = sorted(_words(query_text) & _words(match.text))
    match.shared_words = shared
    overlap = 2 * len(shared) / max(1, len(_words(query_text)) + len(_words(match.text)))
    match.overlap = round(overlap, 2)
    close = (
        similarity is not None
        and (similarity >= SAME_SIMILARITY or (similarity >= SAME_SIMILARITY_WITH_WORDS and overlap >= 0.5))
    ) or overlap >= SAME_WORDS
    related = close or (similarity is not None and similarity >= RELATED_SIMILARITY) or bool(shared)
    if not related:
        return None
    figure_differs, figures = figures_differ(query_text, match.text)
    same_language = bool(query_language) and query_language.split("-")[0] == (match.language or "").split("-")[0]
    name_differs, found_names = names_differ(query_text, match.text, same_language=same_language)
    meaning = f"similar meaning (similarity {similarity:.2f})" if similarity is not None else "no embedding yet"
    if figure_differs and (close or shared):
        match.match_class, match.reason = DIFFERENT_FIGURE, f"{meaning}, but other figures: {figures}"
    elif name_differs and (close or shared):
        match.match_class, match.reason = DIFFERENT_FIGURE, f"{meaning}, but other places or names: {found_names}"
    elif close and asks_for_the_figures(query_text, match.text):
        match.match_class, match.reason = RELATED, f"{meaning}, but one asks for the figures the other states"
        match.answers_the_question = True
    elif close:
        words = f"; shares the words {', '.join(shared[:6])}" if shared else ""
        match.match_class = SAME
        if similarity is not None and similarity >= SAME_SIMILARITY_WITH_WORDS:
            match.reason = f"same meaning (similarity {similarity:.2f}){words}; figures and places agree"
        else:
            match.reason = f"nearly the same words (overlap {overlap:.2f}); figures and places agree"
    elif similarity is not None and similarity >= RELATED_SIMILARITY:
        match.match_class, match.reason = RELATED, f"on the same subject ({meaning})"
    else:
        match.match_class, match.reason = RELATED, f"shares the words {', '.join(shared[:6])}"
    return match


def semantic_candidates(queryset, distance, limit: int = CANDIDATES) -> list[int]:
    """The ids of the `limit` nearest claims of `queryset` by `distance`, through the HNSW index.
    pgvector's index scan returns at most `hnsw.ef_search` rows (default 40) *before* the
    visibility filter: below `limit`, and fewer still when hidden claims are filtered out. So the
    query runs with a larger candidate list and, where the list runs short after filtering,
    an iterative scan in exact distance order (pgvector >= 0.8)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('hnsw.ef_search', %s, true), set_config('hnsw.iterative_scan', 'strict_order', true)",
            [str(max(2 * limit, 40))],
        )
        return list(
            queryset.filter(embedding__isnull=False)
            .annotate(distance=distance)
            .order_by("distance", "-id")
            .values_list("id", flat=True)[:limit]
        )


def match_claims(
    text: str,
    *,
    queryset,
    language: str | None = None,
    limit: int = 10,
    exclude_pk: int | None = None,
    semantic: bool = True,
    vector=None,
) -> tuple[str, list[Match]]:
    """Claims of `queryset` (already scoped to what the caller may see) matching `text`, best
    first, each classed with its reason; and the query's language (given, else detected).
    Queries: the lexical list, the semantic list (after setting the index's search width), the
    candidates' rows. `semantic=False`
    leaves the model out (lexical evidence and stored vectors only); `vector` is the text's embedding
    when the caller has it already."""
    text = " ".join((text or "").split())
    language = language or detect_language(text)
    if not text:
        return language, []
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    lexical_ids = []
    query = _any_word_query(text)
    if query:
        lexical_ids = list(queryset.search(query).order_by("-rank", "-id").values_list("id", flat=True)[:CANDIDATES])
    semantic_ids = []
    distance = Value(None, output_field=FloatField())
    if semantic or vector is not None:
        distance = CosineDistance("embedding", embed_text(text) if vector is None else vector)
        semantic_ids = semantic_candidates(queryset, distance)
    lexical_rank = {pk: rank for rank, pk in enumerate(lexical_ids, 1)}
    semantic_rank = {pk: rank for rank, pk in enumerate(semantic_ids, 1)}
    ids = set(lexical_rank) | set(semantic_rank)
    if not ids:
        return language, []
    rows = (
        queryset.model.objects.filter(pk__in=ids)
        .annotate(distance=distance)
        .values_list("id", "text", "slug", "status", "language", "distance")
    )
    best = 2 / (RRF_K + 1)
    candidates = []
    for pk, claim_text, slug, status, claim_language, found_distance in rows:
        ranks = (lexical_rank.get(pk), semantic_rank.get(pk))
        fused = sum(1 / (RRF_K + rank) for rank in ranks if rank is not None)
        candidates.append(
            Match(
                claim_id=pk,
                text=claim_text,
                slug=slug,
                status=status,
                language=claim_language,
                similarity=None if found_distance is None else round(1 - found_distance, 4),
                lexical_rank=ranks[0],
                semantic_rank=ranks[1],
                score=round(fused / best, 4),
            )
        )
    return language, classed(text, candidates, language=language, limit=limit)


def classed(text: str, candidates: list[Match], *, language: str, limit: int) -> list[Match]:
    """The candidates that `classify` keeps, "same" first, then by fused score: the order the
    callers show. Apart from `match_claims` so that the thresholds can be evaluated on stored
    candidates (bench/matching_quality.py) without querying again."""
    results = [match for match in candidates if classify(text, match, query_language=language) is not None]
    order = {SAME: 0, DIFFERENT_FIGURE: 1, RELATED: 1}
    results.sort(key=lambda m: (order[m.match_class], -m.score, -m.claim_id))
    return results[:limit]
