"""Who may write: reviewers (and editors) by group; editors alone publish, withdraw and correct.

Reading is open to everyone; what each reader sees is decided by `visible_to` in the selectors.
The services check roles again (defence in depth) and raise `NotAllowed`, answered as 403.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from claims import services


class IsReviewerOrReadOnly(BasePermission):
    message = "Only members of the Reviewers or Editors group may change data."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and services.is_reviewer(request.user))


class IsEditor(BasePermission):
    message = "Only members of the Editors group may do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and services.is_editor(request.user))
