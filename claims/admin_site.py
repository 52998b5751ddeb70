"""The admin site: its home page is the reviewers' workspace, not a list of tables.

Installed as the default admin site by `claims.apps.FactcheckAdminConfig` (settings' INSTALLED_APPS),
so every `@admin.register` lands here. Kept outside the `claims.admin` package: that package
registers the model admins on import, which needs this site to exist first.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from claims import selectors
from claims.services import is_editor, is_reviewer


class FactcheckAdminSite(admin.AdminSite):
    index_title = _("Reviewers' workspace")
    index_template = "admin/claims/workspace.html"
    # The queue's columns need the width more than a second copy of the model list does.
    enable_nav_sidebar = False

    @property
    def site_header(self):
        return _("%(site)s review") % {"site": settings.FACTCHECK_SITE_NAME}

    site_title = site_header

    def index(self, request, extra_context=None):
        context = dict(extra_context or {})
        if is_reviewer(request.user):
            editor = is_editor(request.user)
            queue = reverse("admin:claims_claim_changelist", current_app=self.name)
            verdicts = reverse("admin:claims_verdict_changelist", current_app=self.name)
            context["workspace"] = {
                **selectors.reviewer_workspace(request.user),
                "is_editor": editor,
                "links": {
                    "queue": queue,
                    "assigned": f"{queue}?assigned=me",
                    "new": f"{queue}?status__exact=new&assigned=nobody",
                    # An editor's list: the submitted verdicts they may approve (someone else's).
                    "waiting": f"{verdicts}?waiting=my-approval" if editor else f"{verdicts}?status__exact=submitted",
                    "published": f"{verdicts}?status__exact=published",
                    "ingest": reverse("claims-ingest-article"),
                    "import": reverse("claims-import-claimreview"),
                    "add_claim": reverse("admin:claims_claim_add", current_app=self.name),
                },
            }
        return super().index(request, context)
