"""Candidate claims from article text: which sentences are worth a reviewer's time.

A transparent, deterministic scoring of sentences (figures, dates, names, attribution, comparisons
up; questions, opinion and fragments down) with the reasons spelled out, so reviewers can see why
a sentence was suggested. Plain functions, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.figures import FoundFigure, find_figures

QUOTE_LIMIT = 300

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc", "e.g", "i.e", "approx", "ca",
    "mio", "mrd", "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "u.s", "u.k", "u.n",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "inc", "ltd", "co", "corp", "jr", "sr", "est", "fig", "cf", "al",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9À-Ý])")

_ATTRIBUTION = re.compile(  # lower case on purpose: "the United States" attributes nothing
    r"\b(?:said|says|say|told|tells|claimed|claims|[Aa]ccording to|stated|states|announced|"
    r"reported|reportedly|estimated|estimates|tweeted|asserted|argued|insisted|denied|"
    r"accused|warned|wrote|added|adding|noted|declared|confirmed|alleged|believes)\b"
)
_QUOTE_MARKS = re.compile(r"[“”«»\"]")
_COMPARATIVE = re.compile(
    r"\b(?:more|less|fewer|greater|larger|largest|bigger|biggest|higher|highest|lower|lowest|"
    r"most|least|smaller|smallest|record|double|twice|triple|half|majority|minority|than|"
    r"overshadowing|outnumber\w*|exceed\w*)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:1[89]\d\d|20\d\d)\b|\b(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\s+\d{1,2}\b|\b\d{1,2}\s+(?:January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\b"
)
_OPINION = re.compile(
    r"\b(?:I|I’m|I'm|I’d|my|My|we|We|our|Our|me|should|must|in my opinion|I think|I believe|"
    r"obvious\w*|surely|undoubtedly|bullshit|fool\w*|stupid|idiot\w*|absurd|whore|delusional|"
    r"incompeten\w*|traitor\w*|disgust\w*)\b"
)
_SPECULATION = re.compile(r"\b(?:might|could|likely|perhaps|maybe|probably)\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b(?:[A-Z][a-z]+(?:[-’'][A-Za-z]+)*|[A-Z]{2,})\b")
_NOT_NAMES = {"I", "The", "A", "An", "In", "On", "It", "This", "That", "He", "She", "They", "We"}

# Words that end the noun phrase naming what a figure counts ("15 million Azeris | live in ...").
_PHRASE_STOPS = {
    "that", "which", "who", "whom", "whose", "is", "are", "was", "were", "be", "been", "being",
    "has", "have", "had", "will", "would", "can", "could", "may", "might", "should", "must",
    "do", "does", "did", "and", "but", "or", "while", "since", "because", "as", "than", "if",
    "when", "where", "say", "says", "said", "according", "last", "this", "next", "ago",
}  # fmt: skip
_SKIPPED_VERBS = {"live", "lives", "lived", "reside", "resides"}  # "Azeris live in Iran"
_TRAILING_DROP = {"in", "of", "the", "a", "an", "to", "for", "with", "on", "at", "by", "from"}


@dataclass
class Candidate:
    sentence: str
    score: float
    reasons: list[str]
    figures: list[FoundFigure]  # spans index the sentence
    quote: str  # an exact substring of the sentence, at most QUOTE_LIMIT characters
    suggested_measure: str | None
    attributed: bool
    position: int = 0  # index of the sentence in the text


# A dateline that scraped or pasted text often begins a line with ("date 2026-03-09 Surrounded by
# …", "Published: 2026-03-09"): page furniture, not part of the sentence that follows.
_DATELINE = re.compile(r"^\s*(?:date|dated|published|updated)\s*:?\s*\d{4}-\d{2}-\d{2}(?:[T ][\d:]+)?\s*", re.I)


def split_sentences(text: str) -> list[str]:
    """Sentences in order; every line break ends one too (headlines, comments, list items). A
    dateline at the start of a line is dropped."""
    sentences = []
    for block in re.split(r"\n+", text or ""):
        block = _DATELINE.sub("", block)
        start = 0
        for match in _SENTENCE_END.finditer(block):
            before = block[start : match.start()]
            last_word = re.search(r"(\S+)$", before)
            word = last_word.group(1).lower().lstrip("(“\"'") if last_word else ""
            if block[match.start()] == "." and (word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word)):
                continue  # "Dr. Smith", "J. Smith", "1,5 Mio. Euro"
            sentences.append(block[start : match.end()].strip())
            start = match.end()
        sentences.append(block[start:].strip())
    return [s for s in sentences if s]


def _is_substantive(found: FoundFigure) -> bool:
    """A bare small count ("5 cargo planes", list item "1") says little; units and scale do."""
    fig = found.figure
    value = max(b for b in (fig.low, fig.high) if b is not None)
    return fig.unit != "count" or fig.qualifier != "exact" or value >= 100


# How far either side of a figure its measure's name is looked for. The phrase is a few words, so a
# bounded window reads the same; scanning the rest of the sentence for every figure made a long
# sentence of many figures quadratic.
PHRASE_WINDOW = 200


def _phrase_after(sentence: str, end: int) -> list[str]:
    window = sentence[end : end + PHRASE_WINDOW]
    rest = re.split(r"\s[-–—]\s|[,;:()\"“”!?]|\.(?:\s|$)", window, maxsplit=1)[0]
    words: list[str] = []
    for word in rest.split():
        lower = word.lower()
        if lower in _PHRASE_STOPS or len(words) >= 6:
            break
        if lower in _SKIPPED_VERBS:
            continue
        if lower.endswith("ing") and len(words) >= 2:
            break
        words.append(word)
    return words


def _phrase_before(sentence: str, start: int) -> list[str]:
    """ "Azerbaijan’s own population of roughly 10.5 million", "rights over the corridor for
    99 years": the few words before "of" / "for"."""
    match = re.search(r"((?:[\w’'-]+\s+){1,4})(?:of|for)\s+$", sentence[max(0, start - PHRASE_WINDOW) : start])
    if not match:
        return []
    words = match.group(1).split()
    named = [i for i, word in enumerate(words) if word[0].isupper()]
    if named:
        words = words[named[0] :]  # "overshadowing | Azerbaijan’s own population"
    while words and words[0].lower() in _TRAILING_DROP:
        words.pop(0)
    return words


def suggest_measure(sentence: str, found: FoundFigure) -> str | None:
    """A short noun phrase naming what the figure measures, or None when nothing sensible."""
    words = _phrase_after(sentence, found.end)
    prefix = ""
    if words and words[0].lower() == "of":
        words = words[1:]
        prefix = "share of " if found.figure.unit == "percent" else ""
    elif words and words[0].lower() == "from" and found.figure.unit in ("km", "mi", "m"):
        words, prefix = words[1:], "distance from "
    elif found.figure.unit in ("km", "mi", "m"):
        prefix = "length of "
    elif found.figure.unit in ("day", "week", "month", "year"):
        prefix = "duration of "
    while words and words[-1].lower() in _TRAILING_DROP:
        words.pop()
    if not words:
        words = _phrase_before(sentence, found.start)
        prefix = "duration of " if prefix == "duration of " else ""
    phrase = (prefix + " ".join(words)).strip(" .,;") if words else ""
    return phrase or None


def _short_quote(sentence: str, figures: list[FoundFigure]) -> str:
    """The sentence itself, or a word-aligned window of it around the first figure."""
    if len(sentence) <= QUOTE_LIMIT:
        return sentence
    anchor = figures[0].start if figures else 0
    start = max(0, anchor - QUOTE_LIMIT // 3)
    if start:
        start = sentence.find(" ", start) + 1 or start
    end = min(len(sentence), start + QUOTE_LIMIT)
    if end < len(sentence):
        end = sentence.rfind(" ", start, end) if " " in sentence[start:end] else end
    return sentence[start:end].strip()


def _score(sentence: str, figures: list[FoundFigure]) -> tuple[float, list[str], set[str]]:
    score, reasons, signals = 0.0, [], set()
    substantive = [f for f in figures if _is_substantive(f)]
    # Not `f not in substantive`: comparing every figure with every other was quadratic.
    others = [f for f in figures if not _is_substantive(f)]
    for found in substantive[:2]:
        score += 3.0
        reasons.append(f"figure: {found.text}")
        signals.add("figure")
    for found in others[:2]:
        score += 0.75
        reasons.append(f"number: {found.text}")
    units = {f.figure.unit for f in substantive}
    for kind, codes, weight in (
        ("percentage", {"percent"}, 1.0),
        ("distance", {"km", "mi", "m"}, 0.5),
        ("duration", {"day", "week", "month", "year"}, 0.5),
        ("money", {u for u in units if u.isupper()}, 1.0),
    ):
        if units & codes:
            score += weight
            reasons.append(kind)
    if date := _DATE.search(sentence):
        score += 0.5
        reasons.append(f"date: {date.group()}")
        signals.add("date")
    words = sentence.split()
    names = sorted({n for n in _CAPITALISED.findall(" ".join(words[1:])) if n not in _NOT_NAMES})
    if names:
        score += min(1.5, 0.3 * len(names))
        reasons.append("named entities: " + ", ".join(names[:5]))
    if attribution := _ATTRIBUTION.search(sentence):
        score += 1.0
        reasons.append(f"attributed ({attribution.group().lower()})")
        signals.add("attributed")
    if len(_QUOTE_MARKS.findall(sentence)) >= 2:
        score += 0.5
        reasons.append("direct quote")
        signals.add("attributed")
    if comparative := _COMPARATIVE.search(sentence):
        score += 1.0
        reasons.append(f"comparative ({comparative.group().lower()})")
        signals.add("comparative")
    for pattern, penalty, label in (
        (r"\?[\"”’')]*$", 3.0, "question"),
        (r"!", 1.0, "exclamation"),
    ):
        if re.search(pattern, sentence):
            score -= penalty
            reasons.append(f"{label} (-{penalty:g})")
    if len(words) < 6:
        score -= 2.0
        reasons.append("too short (-2)")
    elif len(words) > 70:
        score -= 1.5
        reasons.append("very long (-1.5)")
    if not re.search(r"[.!?…][\"”’')\]]*$", sentence) and len(words) < 15:
        score -= 1.5
        reasons.append("headline or fragment (-1.5)")
    if opinion := _OPINION.search(sentence):
        score -= 1.5
        reasons.append(f"opinion ({opinion.group()}) (-1.5)")
    if speculation := _SPECULATION.search(sentence):
        score -= 0.5
        reasons.append(f"speculative ({speculation.group().lower()}) (-0.5)")
    return round(score, 2), reasons, signals


def extract_candidates(text: str, *, limit: int | None = None, min_score: float | None = 1.5) -> list[Candidate]:
    """Check-worthy sentences, best first (ties keep text order). A candidate needs a checkable
    signal (a figure, a date, an attribution or a comparison) and at least min_score;
    min_score=None scores every sentence (for inspection and tests)."""
    candidates = []
    for position, sentence in enumerate(split_sentences(text)):
        figures = find_figures(sentence)
        score, reasons, signals = _score(sentence, figures)
        if min_score is not None and (not signals or score < min_score):
            continue
        substantive = [f for f in figures if _is_substantive(f)]
        candidates.append(
            Candidate(
                sentence=sentence,
                score=score,
                reasons=reasons,
                figures=figures,
                quote=_short_quote(sentence, substantive or figures),
                suggested_measure=suggest_measure(sentence, substantive[0]) if substantive else None,
                attributed="attributed" in signals,
                position=position,
            )
        )
    candidates.sort(key=lambda c: (-c.score, c.position))
    return candidates[:limit] if limit is not None else candidates
