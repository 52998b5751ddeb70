"""Merging duplicate claims in the admin, and splitting a mistaken merge.

A claim's page offers editors "Merge into another claim…": a confirmation page lists what would
move (appearances, figures, verdicts, topics, tips) and what would refuse the merge, and merges
only when confirmed. Every merge is listed under "Claim merges", whose page splits it again after
its own confirmation. Both go through claims/services/merging.py.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from claims import services
from claims.matching.merges import claim_for_key, merge_plan, merges_of
from claims.models import Appearance, Claim, Figure, MergeRecord, Verdict
from claims.services import NotAllowed

from .base import FactcheckAdmin, error_text


def merge_urls(model_admin) -> list:
    def view(request, object_id):
        return merge_view(model_admin, request, object_id)

    return [path("<path:object_id>/merge/", model_admin.admin_site.admin_view(view), name="claims_claim_merge")]


def change_page_context(request, claim: Claim) -> dict:
    """What the claim's change page shows about merging: the button, and the merges it took part in."""
    return {"can_merge": services.is_editor(request.user), "merges": merges_of(claim)}


def merge_view(model_admin, request, object_id):
    if not services.is_editor(request.user):
        raise PermissionDenied
    claim = get_object_or_404(model_admin.get_queryset(request), pk=object_id)
    data = request.POST if request.method == "POST" else request.GET
    key = (data.get("into") or "").strip()
    note = (data.get("note") or "").strip()
    into = claim_for_key(request.user, key, follow_merges=True)
    error = "No claim has this id or slug." if key and into is None else None
    plan = merge_plan(claim, into) if into is not None else None
    if request.method == "POST" and data.get("confirm") == "yes" and plan is not None:
        try:
            record = services.merge_claims(merged=claim, into=into, by=request.user, note=note)
        except (ValidationError, NotAllowed) as exc:
            error = error_text(exc)
        else:
            model_admin.message_user(
                request,
                f"Merged “{claim.text[:80]}” into this claim; its page and API URLs now redirect here.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[record.survivor_id]))
    suggestions = [] if into is not None else services.similar_claims(claim.text, exclude_pk=claim.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Merge a duplicate claim",
        "claim": claim,
        "key": key,
        "note": note,
        "plan": plan,
        "error": error,
        "suggestions": suggestions,
    }
    return TemplateResponse(request, "admin/claims/claim/merge.html", context)


@admin.register(MergeRecord)
class MergeRecordAdmin(FactcheckAdmin):
    """Merges as they happened (who, when, what moved); each can be split again by an editor."""

    list_display = ["merged_text", "survivor", "merged_by", "merged_at", "split_at"]
    list_select_related = ["merged", "survivor", "merged_by"]
    list_filter = ["was_public"]
    ordering = ["-merged_at", "-id"]
    fields = ["merged_text", "survivor", "merged_by", "merged_at", "note", "moved_summary", "split_by", "split_at"]
    readonly_fields = fields

    def get_urls(self):
        def view(request, object_id):
            return self.split_view(request, object_id)

        own = [path("<path:object_id>/split/", self.admin_site.admin_view(view), name="claims_mergerecord_split")]
        return own + super().get_urls()

    # Every editor's workspace shows merges whatever model permissions the groups were given.
    def has_module_permission(self, request):
        return services.is_reviewer(request.user)

    def has_view_permission(self, request, obj=None):
        return services.is_reviewer(request.user)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="merged claim")
    def merged_text(self, record):
        return f"{record.merged.text[:100]} (#{record.merged_id}, {record.merged.slug})"

    @admin.display(description="what moved")
    def moved_summary(self, record):
        moved = record.moved
        split = ""
        if record.split_at is None and services.is_editor(getattr(self, "_request_user", None)):
            split = format_html(
                ' <a class="button" id="fc-split" href="{}">Split this merge…</a>',
                reverse("admin:claims_mergerecord_split", args=[record.pk]),
            )
        return format_html(
            "{} appearances, {} folded figures, {} verdicts, {} topics, {} tips{}",
            len(moved.get("appearances", [])),
            len(moved.get("folded_figures", [])),
            len(moved.get("verdicts", [])),
            len(moved.get("topics", [])),
            len(moved.get("tips", [])),
            split,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self._request_user = request.user
        return super().changeform_view(request, object_id, form_url, extra_context)

    def split_view(self, request, object_id):
        if not services.is_editor(request.user):
            raise PermissionDenied
        record = get_object_or_404(MergeRecord.objects.select_related("merged", "survivor"), pk=object_id)
        error = None
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            try:
                services.split_merge(merge=record, by=request.user)
            except (ValidationError, NotAllowed) as exc:
                error = error_text(exc)
            else:
                self.message_user(request, "Split: the merged claim has its page back.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[record.merged_id]))
        moved = record.moved
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Split a merge",
            "record": record,
            "error": error,
            "appearances": Appearance.objects.filter(pk__in=moved.get("appearances", [])).select_related("article"),
            "figures": Figure.objects.filter(pk__in=[pk for pk, _ in moved.get("folded_figures", [])]).count(),
            "verdicts": Verdict.objects.filter(pk__in=[pk for pk, _ in moved.get("verdicts", [])]).select_related(
                "rating"
            ),
        }
        return TemplateResponse(request, "admin/claims/mergerecord/split.html", context)
