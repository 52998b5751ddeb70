"""The admin's "split off into its own claim" for an imported review grouped onto a claim it may
not review: a confirmation page listing what moves, then `services.split_review`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from claims import services
from claims.choices import VerdictStatus
from claims.models import Verdict
from claims.services.grouping import split_plan

from .base import error_text


def can_split(user, verdict: Verdict) -> bool:
    """Whether the change page offers the split: a current imported review sharing its claim."""
    return (
        services.is_reviewer(user)
        and verdict.review_url is not None
        and verdict.status == VerdictStatus.PUBLISHED
        and Verdict.objects.filter(claim_id=verdict.claim_id, status=VerdictStatus.PUBLISHED)
        .exclude(pk=verdict.pk)
        .exists()
    )


def split_view(model_admin, request, object_id):
    verdict = get_object_or_404(model_admin.get_queryset(request).select_related("claim", "organisation"), pk=object_id)
    if not model_admin.has_view_permission(request, verdict) or not services.is_reviewer(request.user):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        version = request.POST.get("wf_version", "")
        try:
            new = services.split_review(
                verdict=verdict, by=request.user, expected_version=int(version) if version.isdigit() else None
            )
        except (ValidationError, services.NotAllowed, services.StaleVersion) as exc:
            error = error_text(exc)
        else:
            model_admin.message_user(
                request, f"Split off: the review now has its own claim, “{new}”.", messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[new.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Split this review off into its own claim",
        "verdict": verdict,
        "plan": split_plan(verdict),
        "error": error,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/claims/verdict/split_confirm.html", context)
