"""Who may write: reviewers (and editors) by group; editors alone publish, withdraw and correct.

Reading is open to everyone; what each reader sees is decided by `visible_to` in the selectors.
Both classes ask the one role check (claims/roles.py), as the admin and the services do; the
services check again (defence in depth) and raise `NotAllowed`, answered as 403.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from claims import roles


class IsReviewerOrReadOnly(BasePermission):
    message = _("Only members of the Reviewers or Editors group may change data.")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or roles.is_reviewer(request.user)


class IsEditor(BasePermission):
    message = _("Only members of the Editors group may do this.")

    def has_permission(self, request, view):
        return roles.is_editor(request.user)
