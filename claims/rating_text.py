"""A rating level's label and description in a reader's language: the one place they are chosen.

The translations are data (`RatingLevelTranslation`, edited with the level in the admin). The
level's own `label` and `description` are the English, and the fallback for any language without
a translation. Every page, the feed and ClaimReview read them through `rating_text`.

The scale is a handful of rows, shown on nearly every page, often once per listed claim: the
translations of one language are read in one query and kept until the request ends (or a level or
a translation is saved), so a page costs at most one query for them however many badges it shows.
Outside requests (jobs, commands) they are read again after `MAX_AGE_SECONDS`, so an edit made in
another process reaches a long-running one too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save
from django.utils import translation


@dataclass(frozen=True)
class RatingText:
    label: str
    description: str


MAX_AGE_SECONDS = 60

# language → (when read, {level id → RatingText}); emptied at each request's start and end, and on
# any edit made in this process.
_loaded: dict[str, tuple[float, dict[int, RatingText]]] = {}


def language_of(language: str | None) -> str:
    """The language whose texts to use: the given one, else the active one (LocaleMiddleware's
    choice), reduced to its primary subtag ("es-AR" → "es"), since translations are per language."""
    code = (language or translation.get_language() or "en").replace("_", "-").split("-")[0].lower()
    return code


def _translations(language: str) -> dict[int, RatingText]:
    now = time.monotonic()
    loaded = _loaded.get(language)
    if loaded is None or now - loaded[0] > MAX_AGE_SECONDS:
        from claims.models import RatingLevelTranslation

        rows = RatingLevelTranslation.objects.filter(language=language).values_list("level_id", "label", "description")
        loaded = (now, {level_id: RatingText(label, description) for level_id, label, description in rows})
        _loaded[language] = loaded
    return loaded[1]


def rating_text(level, language: str | None = None) -> RatingText:
    """`level`'s label and description in `language` (default: the active language), each falling
    back to the level's own English when there is no translation or it leaves the text empty."""
    own = RatingText(level.label, level.description)
    code = language_of(language)
    if code == "en":
        return own
    found = _translations(code).get(level.pk)
    if found is None:
        return own
    return RatingText(found.label or own.label, found.description or own.description)


def rating_label(level, language: str | None = None) -> str:
    return rating_text(level, language).label


def clear(**kwargs) -> None:
    _loaded.clear()


request_started.connect(clear, dispatch_uid="rating_text_request_started")
request_finished.connect(clear, dispatch_uid="rating_text_request_finished")
for _model in ("claims.RatingLevel", "claims.RatingLevelTranslation"):
    post_save.connect(clear, sender=_model, dispatch_uid=f"rating_text_saved_{_model}")
    post_delete.connect(clear, sender=_model, dispatch_uid=f"rating_text_deleted_{_model}")
