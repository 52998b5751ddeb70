"""Who is a reviewer and who is an editor: the one role check of Factcheck.

A role is membership of a group by an active staff user; active superusers hold both roles.
Model permissions given by hand (`claims.publish_verdict` on a user outside the groups, view
permissions on a staff user) make nobody a reviewer or an editor. The API's permission classes,
the admin, the services and the management commands all ask these functions, and visibility
(`claims.querysets.can_see_unpublished`) is the reviewer role.
"""

from __future__ import annotations

from django.db.models import Q

REVIEWERS = "Reviewers"
EDITORS = "Editors"
ROLE_GROUPS = (REVIEWERS, EDITORS)  # an editor can do everything a reviewer does


def _role_groups(user) -> frozenset[str]:
    """The user's role groups, read once per user object (a request's user, a command's user)."""
    cached = getattr(user, "_factcheck_role_groups", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
        user._factcheck_role_groups = cached
    return cached


def _has_role(user, groups) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and bool(_role_groups(user) & set(groups))


def is_reviewer(user) -> bool:
    """Active staff in the Reviewers or Editors group, and active superusers."""
    return _has_role(user, ROLE_GROUPS)


def is_editor(user) -> bool:
    """Active staff in the Editors group, and active superusers."""
    return _has_role(user, (EDITORS,))


def reviewers_q(prefix: str = "") -> Q:
    """`is_reviewer` as a filter on users (e.g. whom a claim can be assigned to)."""
    return Q(**{f"{prefix}is_active": True}) & (
        Q(**{f"{prefix}is_superuser": True})
        | Q(**{f"{prefix}is_staff": True, f"{prefix}groups__name__in": ROLE_GROUPS})
    )
