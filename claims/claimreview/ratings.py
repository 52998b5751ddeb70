"""Map fact-checkers' free-text verdict labels onto our six rating slugs.

Publishers rate claims in their own words and languages ("Pants on Fire", "Engañoso",
"Plutôt vrai", "Irreführend"), and their numeric ``ratingValue`` scales differ or are missing.
:func:`normalise_rating` turns whatever a ClaimReview carries into one of :data:`RATING_SLUGS`,
in this order:

1. the label, looked up in :data:`LABEL_RATINGS` after folding case, accents, hyphens and
   trailing punctuation ("FALSE!", "pants-on-fire", "Enganoso." all match);
2. the label read as a sentence ("This claim is false.", "The figure is mostly accurate but
   omits...", "Not true"): known phrases and keywords, with qualified phrases ("mostly
   accurate", "missing context") winning over bare true/false words and "not"/"no"/"nicht"/
   "pas"/"não" before a truth word turning it into ``false``;
3. the numeric value placed on its scale (``worstRating``..``bestRating``, schema.org's default
   1..5) and cut into five equal buckets;
4. otherwise ``unverifiable``.

The original label is never discarded here: callers store it next to the slug.
"""

from __future__ import annotations

import re
import unicodedata

RATING_SLUGS = ("true", "mostly-true", "mixed", "mostly-false", "false", "unverifiable")

# ClaimReview ratingValue on our 1..5 scale; unverifiable has no place on it.
RATING_ORDINALS = {"true": 5, "mostly-true": 4, "mixed": 3, "mostly-false": 2, "false": 1}

# Labels as fact-checkers publish them (English, Spanish, French, German, Portuguese).
# Keys are written naturally; lookups fold case, accents and punctuation (see fold_label).
_LABELS_BY_RATING = {
    "true": [
        # en
        "True", "Correct", "Accurate", "Right", "Geppetto Checkmark",
        # es
        "Verdadero", "Cierto", "Correcto", "Verdad",
        # fr
        "Vrai", "Exact", "Correct",
        # de
        "Richtig", "Wahr", "Stimmt",
        # pt
        "Verdadeiro", "Verdade", "Correto",
    ],
    "mostly-true": [
        "Mostly True", "Mostly Correct", "Mostly Accurate", "Largely True", "Largely Accurate",
        "Mainly True", "Broadly True", "Broadly Correct", "Broadly Accurate", "One Pinocchio",
        "Verdadero, pero...", "Verdadero pero", "Mayormente verdadero", "Casi verdadero",
        "Plutôt vrai", "Essentiellement vrai",
        "Größtenteils richtig", "Überwiegend richtig", "Weitgehend richtig",
        "Verdadeiro, mas", "Verdadeiro mas", "Quase verdadeiro",
    ],
    "mixed": [
        "Half True", "Half-truth", "Mixed", "Mixture", "Partly True", "Partly False",
        "Partially True", "Partially False", "Missing Context", "Lacks Context", "Needs Context",
        "Out of Context", "Two Pinocchios",
        "Verdad a medias", "Medio verdadero", "Parcialmente verdadero", "Parcialmente falso",
        "Discutible", "Impreciso", "Falta contexto", "Sin contexto", "Contexto faltante",
        "Apresurado",
        "À moitié vrai", "Partiellement vrai", "Partiellement faux", "Manque de contexte",
        "Contexte manquant", "Hors contexte",
        "Teilweise richtig", "Teilweise falsch", "Halb wahr", "Fehlender Kontext",
        "Meia verdade", "Contraditório", "Sem contexto", "Fora de contexto",
        "Parcialmente verdadeiro",
    ],
    "mostly-false": [
        "Mostly False", "Barely True", "Misleading", "Exaggerated", "Exaggeration",
        "Largely False", "Mainly False", "Distorted", "Three Pinocchios",
        "Engañoso", "Mayormente falso", "Exagerado", "Insostenible", "Distorsionado",
        "Trompeur", "Plutôt faux", "Exagéré",
        "Irreführend", "Größtenteils falsch", "Überwiegend falsch", "Übertrieben",
        "Enganoso", "Distorcido", "Subestimado", "Superestimado",
    ],
    "false": [
        "False", "Pants on Fire", "Fake", "Incorrect", "Wrong", "Inaccurate", "Fabricated",
        "Hoax", "Altered", "Manipulated", "Four Pinocchios", "Not True", "Untrue",
        "Falso", "Bulo", "Incorrecto", "Falsa", "Montaje",
        "Faux", "Inexact", "Infox", "Fausse",
        "Falsch", "Unwahr", "Frei erfunden", "Manipuliert", "Fake News",
        "Falso", "Errado", "Montagem",
    ],
    "unverifiable": [
        "Unproven", "Unsupported", "Unverified", "Unverifiable", "Satire", "No Evidence",
        "Opinion", "Research in progress", "Outdated", "Too early to tell",
        "Inchequeable", "Sin evidencia", "Sátira", "No verificable",
        "Infondé", "Invérifiable", "Non prouvé", "Satirique",
        "Unbelegt", "Nicht belegt", "Unbewiesen", "Satire",
        "Insustentável", "Ainda é cedo para dizer", "Sem provas", "Não verificável",
    ],
}  # fmt: skip


def fold_label(label: str) -> str:
    """Fold a label for lookup: case, accents, hyphens/underscores, trailing punctuation."""
    text = unicodedata.normalize("NFKD", label.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[-_/]+", " ", text)
    text = re.sub(r"[^\w\s]+", " ", text)  # "Verdadero, pero..." -> "verdadero pero"
    return " ".join(text.split())


#: Folded label -> slug. Built from the readable table above; see the module docstring.
LABEL_RATINGS: dict[str, str] = {
    fold_label(label): slug for slug, labels in _LABELS_BY_RATING.items() for label in labels
}

# Sentence matching. Qualified phrases first (they decide "mostly accurate but omits..."),
# except words that are verdicts as a whole label but ordinary words inside a sentence.
_LABEL_ONLY = {"opinion", "outdated"}
_QUALIFIED_PHRASES = sorted(
    (
        key
        for key, slug in LABEL_RATINGS.items()
        if key not in _LABEL_ONLY and (" " in key or slug not in ("true", "false"))
    ),
    key=len,
    reverse=True,
)
_TRUE_WORDS = {"true", "correct", "accurate", "verdadero", "cierto", "vrai", "exact", "richtig",
               "wahr", "verdadeiro", "correto", "correcto", "verdad", "verdade"}  # fmt: skip
_FALSE_WORDS = {"false", "fake", "incorrect", "wrong", "inaccurate", "fabricated", "untrue",
                "falso", "falsa", "faux", "fausse", "falsch", "unwahr", "errado", "bulo",
                "incorrecto", "hoax"}  # fmt: skip
_NEGATIONS = {"not", "no", "isn", "isnt", "wasn", "aren", "never", "nicht", "kein", "pas", "nao",
              "ni", "nunca"}  # fmt: skip
_NEGATION_REACH = 3  # "is not entirely true": the negation may sit a few words earlier
_HEDGES = {"entirely", "completely", "wholly", "totally", "fully", "quite", "all", "100"}


def _sentence_rating(folded: str) -> str | None:
    """Read a whole-sentence label by phrases and keywords; None when nothing is recognised."""
    padded = f" {folded} "
    for phrase in _QUALIFIED_PHRASES:
        if f" {phrase} " in padded:
            return LABEL_RATINGS[phrase]
    words = folded.split()
    found_true = found_false = False
    for position, word in enumerate(words):
        before = words[max(0, position - _NEGATION_REACH) : position]
        negated = any(w in _NEGATIONS for w in before)
        if word in _TRUE_WORDS:
            if negated:
                # "not entirely true" is a hedge, "not true" a denial.
                return "mixed" if any(w in _HEDGES for w in before) else "false"
            found_true = True
        elif word in _FALSE_WORDS:
            if negated:
                return "mixed" if any(w in _HEDGES for w in before) else "true"
            found_false = True
    if found_true and found_false:
        return "mixed"
    if found_false:
        return "false"
    if found_true:
        return "true"
    return None


def as_number(value: object) -> float | None:
    """A float from a JSON number or numeric string; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _scale_rating(value: object, best: object, worst: object) -> str | None:
    """Place a numeric rating on its scale and cut the scale into five buckets."""
    number = as_number(value)
    if number is None:
        return None
    high = as_number(best)
    low = as_number(worst)
    high = 5.0 if high is None else high  # schema.org defaults: bestRating 5, worstRating 1
    low = 1.0 if low is None else low
    if high == low:
        return None
    position = min(max((number - low) / (high - low), 0.0), 1.0)
    for threshold, slug in ((0.8, "true"), (0.6, "mostly-true"), (0.4, "mixed"), (0.2, "mostly-false")):
        if position >= threshold - 1e-9:
            return slug
    return "false"


def normalise_rating(label: str | None, *, value: object = None, best: object = None, worst: object = None) -> str:
    """The rating slug for a published verdict label and/or numeric rating (see module doc)."""
    if label and label.strip():
        folded = fold_label(label)
        slug = LABEL_RATINGS.get(folded) or _sentence_rating(folded)
        if slug:
            return slug
    return _scale_rating(value, best, worst) or "unverifiable"
