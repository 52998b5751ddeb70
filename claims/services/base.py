"""Errors, role checks and helpers shared by every service."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.utils.text import slugify
from django.utils.translation import gettext as _

from claims.roles import is_editor, is_reviewer


class NotAllowed(PermissionDenied):
    """The user's role does not allow this action."""


class StaleVersion(Exception):
    """The object changed since the caller read it; nothing was written."""

    def __init__(self, *, expected: int, current: int):
        super().__init__(
            _("Stale update: you edited version %(expected)s, the current version is %(current)s.")
            % {"expected": expected, "current": current}
        )
        self.expected = expected
        self.current = current


# --- Roles (the check itself is claims/roles.py) ---------------------------------------------


def _require_reviewer(user) -> None:
    if not is_reviewer(user):
        raise NotAllowed(_("Only reviewers and editors may do this."))


def _require_editor(user) -> None:
    if not is_editor(user):
        raise NotAllowed(_("Only editors may do this."))


# --- Helpers --------------------------------------------------------------------------------


# The longest suffix `unique_slug` reckons with ("-9999999"): every candidate it can hand out
# starts with the base cut to leave room for it.
_SLUG_SUFFIX_ROOM = 8


def unique_slug(model, text: str, *, max_length: int = 100, exclude_pk=None) -> str:
    """A slug from `text`, suffixed -2, -3 … until unused in `model`. A suffixed candidate cuts
    the base to make room, so a text sharing only that cut prefix competes for the same slugs:
    the taken set and the lock both go by the prefix every candidate shares."""
    base = slugify(text)[:max_length].strip("-") or "item"
    shared = base[: max_length - _SLUG_SUFFIX_ROOM]
    _serialise_slug_allocation(model, shared)
    candidate, n = base, 1
    queryset = model.objects.all()
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    taken = set(queryset.filter(slug__startswith=shared).values_list("slug", flat=True))
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)] + suffix
    return candidate


def _serialise_slug_allocation(model, base: str) -> None:
    """Two transactions allocating a slug from the same text would both see it free and one would
    then fail on the unique index (a 500). A transaction-scoped advisory lock on (table, base) makes
    the second wait for the first to commit, so it sees the slug taken and picks the next suffix.
    Works across processes; a no-op outside a transaction (the lock ends with the statement)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{model._meta.db_table}:{base}"])


def _check_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != obj.version:
        raise StaleVersion(expected=expected_version, current=obj.version)


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _full_clean(obj, *, exclude: Iterable[str] = ()) -> None:
    # Django does not enforce a TextField's max_length at the model level; the services do, so that
    # commands and imports get the same field limits as the admin forms and the API.
    too_long = {
        field.name: _("Ensure this value has at most %(limit)d characters (it has %(length)d).")
        % {"limit": field.max_length, "length": len(value)}
        for field in obj._meta.concrete_fields
        if isinstance(field, models.TextField)
        and field.max_length
        and field.name not in exclude
        and isinstance(value := getattr(obj, field.attname), str)
        and len(value) > field.max_length
    }
    if too_long:
        raise ValidationError(too_long)
    obj.full_clean(exclude=list(exclude), validate_constraints=False)


# --- Optimistic locks for rows without a version column ----------------------------------
#
# Claims, appearances, figures and evidence have no version column; their optimistic lock is the
# `updated_at` stamp in microseconds (`row_version`), which changes on every save.


def row_version(obj) -> int:
    """The optimistic-lock token of a row without a version column: `updated_at` in microseconds."""
    return int(obj.updated_at.timestamp() * 1_000_000)


def _check_row_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != row_version(obj):
        raise StaleVersion(expected=expected_version, current=row_version(obj))


def _refuse_unknown(changes: dict, allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
