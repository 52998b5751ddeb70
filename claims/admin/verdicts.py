"""Verdicts: draft, submit, publish (two-person rule), withdraw or correct with a public note.

The status is never a form field: every transition is a button that calls its service, which
re-checks the role, the state and the version under a row lock. Edits of a draft carry the version
they were made on (a hidden field), so a stale edit is refused with a form error.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from claims import selectors, services
from claims.choices import VerdictStatus
from claims.models import Evidence, RatingLevel, RatingLevelTranslation, Verdict
from claims.paginators import EstimatedCountPaginator

from . import grouping
from .base import (
    FactcheckAdmin,
    NoDeleteFromRelatedWidgets,
    add_service_errors,
    error_text,
    rating_badge,
    status_badge,
)
from .filters import MineToApproveFilter
from .forms import CorrectionForm, EvidenceForm, VerdictForm, WorkflowNoteForm

EDITABLE_STATUSES = (VerdictStatus.DRAFT, VerdictStatus.SUBMITTED)
WORKFLOW_FIELDS = [
    "status_label",
    "author",
    "approver",
    "submitted_at",
    "published_at",
    "withdrawn_at",
    "correction_note",
    "withdrawal_reason",
    "supersedes",
    "evidence_removed",
    "is_example",
]


def _editable(verdict) -> bool:
    return verdict is None or verdict.status in EDITABLE_STATUSES


class EvidenceInline(NoDeleteFromRelatedWidgets, admin.TabularInline):
    """Evidence can be added or changed while the verdict is a draft or submitted."""

    model = Evidence
    form = EvidenceForm
    extra = 0
    fields = ["url", "title", "publisher", "accessed_on", "archived_url", "note"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})},
        models.URLField: {"widget": forms.URLInput(attrs={"size": 28})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 24})},
    }

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if _editable(obj) else 0

    def has_add_permission(self, request, obj=None):
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Verdict)
class VerdictAdmin(FactcheckAdmin):
    form = VerdictForm
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    ordering = ["-id"]
    list_display = ["summary", "claim_text", "rating_label", "status_label", "author", "approver", "updated_at"]
    list_select_related = ["claim", "rating", "author", "approver"]
    list_filter = ["status", MineToApproveFilter, "rating"]
    search_fields = ["summary"]
    autocomplete_fields = ["claim"]
    radio_fields = {"rating": admin.HORIZONTAL}  # the scale is six fixed levels
    inlines = [EvidenceInline]
    actions = ["submit_selected", "publish_selected"]
    readonly_fields = WORKFLOW_FIELDS

    def get_fieldsets(self, request, obj=None):
        fields = ["claim", "rating", "summary", "rationale"]
        if obj is None:
            return [(None, {"fields": fields})]
        if _editable(obj) and self.has_change_permission(request, obj):
            fields = [*fields, "version"]
        workflow = WORKFLOW_FIELDS
        if not (obj.supersedes_id or obj.correction_note):  # not a correction: nothing to list
            workflow = [name for name in WORKFLOW_FIELDS if name != "evidence_removed"]
        return [(None, {"fields": fields}), (_("Workflow"), {"fields": workflow})]

    def get_queryset(self, request):
        return Verdict.objects.visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        """Published, superseded and withdrawn verdicts are read-only: they change only by workflow."""
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.status == VerdictStatus.DRAFT and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # --- Columns ------------------------------------------------------------------------------

    @admin.display(description=_("claim"), ordering="claim_id")
    def claim_text(self, verdict):
        text = verdict.claim.text
        return text if len(text) <= 80 else text[:77] + "…"

    @admin.display(description=_("rating"), ordering="rating__ordinal")
    def rating_label(self, verdict):
        return rating_badge(verdict.rating)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, verdict):
        return status_badge(verdict.status, verdict.get_status_display())

    @admin.display(description=_("evidence removed in this correction"))
    def evidence_removed(self, verdict):
        removed = selectors.evidence_removed_by_correction(verdict)
        if not removed:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}" rel="nofollow noopener">{}</a> — {}',
            (
                (
                    row["evidence"].url,
                    row["evidence"].title,
                    (
                        gettext("removed by %(user)s on %(at)s")
                        % {
                            "user": row["by"] or gettext("an unknown user"),
                            "at": f"{localtime(row['at']):%Y-%m-%d %H:%M}",
                        }
                        if row["at"]
                        else gettext("removed by %(user)s") % {"user": row["by"] or gettext("an unknown user")}
                    ),
                )
                for row in removed
            ),
        )

    # --- Saving through the services ----------------------------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.create_verdict(
                claim=data["claim"], rating=data["rating"], summary=data["summary"],
                rationale=data.get("rationale", ""), by=request.user,
            )  # fmt: skip
            obj.pk, obj.version, obj.status, obj.author = created.pk, created.version, created.status, created.author
            obj._state.adding = False
            return
        changes = {name: data[name] for name in services.EDITABLE_VERDICT_FIELDS if name in form.changed_data}
        if changes:
            updated = services.update_verdict(
                verdict=obj, by=request.user, expected_version=data.get("version"), **changes
            )
            obj.version = updated.version

    def save_formset(self, request, form, formset, change):
        """Evidence rows through the services: they keep the verdict's authorship, send a submitted
        verdict back to draft when its evidence changes, and record each removal (say, of evidence a
        correction copied from the published verdict) with its user."""
        verdict = form.instance
        formset.save(commit=False)
        for item in formset.new_objects:
            services.add_evidence(
                verdict=verdict, by=request.user,
                **{name: getattr(item, name) for name in EvidenceInline.fields},
            )  # fmt: skip
        for item, fields in formset.changed_objects:
            services.update_evidence(evidence=item, by=request.user, **{name: getattr(item, name) for name in fields})
        for item in formset.deleted_objects:
            services.delete_evidence(evidence=item, by=request.user)

    # --- Workflow -----------------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow"] = self.workflow_options(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_options(self, request, verdict) -> dict:
        """What this user may do next with this verdict (the template shows only these)."""
        user = request.user
        is_author = user.pk in services.content_authors(verdict)
        can_publish = services.is_editor(user) and verdict.status == VerdictStatus.SUBMITTED and not is_author
        needs_note = (
            can_publish
            and not verdict.correction_note
            and Verdict.objects.filter(claim_id=verdict.claim_id, status=VerdictStatus.PUBLISHED).exists()
        )
        return {
            "version": verdict.version,
            "can_submit": verdict.status == VerdictStatus.DRAFT and services.is_reviewer(user),
            "can_publish": can_publish and not needs_note,
            "publish_needs_note": needs_note,
            "own_submitted": verdict.status == VerdictStatus.SUBMITTED and is_author and services.is_editor(user),
            "awaiting_editor": verdict.status == VerdictStatus.SUBMITTED and not services.is_editor(user),
            "can_withdraw": verdict.status == VerdictStatus.PUBLISHED and services.is_editor(user),
            "can_correct": verdict.status == VerdictStatus.PUBLISHED and services.is_reviewer(user),
            "can_split": grouping.can_split(user, verdict),
        }

    def get_urls(self):
        def route(name, view):
            return path(f"<path:object_id>/{name}/", self.admin_site.admin_view(view), name=f"claims_verdict_{name}")

        own = [
            route("submit", self.submit_view),
            route("publish", self.publish_view),
            route("withdraw", self.withdraw_view),
            route("correct", self.correct_view),
            route("split", lambda request, object_id: grouping.split_view(self, request, object_id)),
        ]
        return own + super().get_urls()

    def _verdict(self, request, object_id, role=services.is_reviewer):
        """The verdict for a workflow view; the role is checked here for a clean 403, and again by
        the service (which is the authority: e.g. the two-person rule is only enforced there)."""
        verdict = get_object_or_404(self.get_queryset(request).select_related("claim", "rating"), pk=object_id)
        if not self.has_view_permission(request, verdict) or not role(request.user):
            raise PermissionDenied
        return verdict

    def _back(self, verdict):
        return HttpResponseRedirect(reverse("admin:claims_verdict_change", args=[verdict.pk]))

    @staticmethod
    def _posted_version(request):
        value = request.POST.get("wf_version", "")
        return int(value) if value.isdigit() else None

    def submit_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        verdict = self._verdict(request, object_id)
        self.run_service(
            request, services.submit_verdict, verdict=verdict, by=request.user,
            expected_version=self._posted_version(request), success=gettext("Submitted: an editor can now publish it."),
        )  # fmt: skip
        return self._back(verdict)

    def publish_view(self, request, object_id):
        verdict = self._verdict(request, object_id, role=services.is_editor)
        return self._note_view(
            request, verdict,
            title=gettext("Publish verdict"),
            note_label=gettext("Public correction note"),
            note_help=gettext("Required when this replaces a published verdict: say publicly what changed and why."),
            note_required=False,
            call=lambda note, version: services.publish_verdict(
                verdict=verdict, by=request.user, expected_version=version, correction_note=note
            ),
            success=gettext("Published."),
        )  # fmt: skip

    def withdraw_view(self, request, object_id):
        verdict = self._verdict(request, object_id, role=services.is_editor)
        return self._note_view(
            request, verdict,
            title=gettext("Withdraw verdict"),
            note_label=gettext("Public reason for withdrawal"),
            note_help=gettext("Shown to readers with the withdrawn verdict."),
            call=lambda note, version: services.withdraw_verdict(
                verdict=verdict, by=request.user, reason=note, expected_version=version
            ),
            success=gettext("Withdrawn. The verdict stays in the claim's public history with your note."),
        )  # fmt: skip

    def _note_view(self, request, verdict, *, title, note_label, note_help, call, success, note_required=True):
        form_kwargs = {"note_label": note_label, "note_help": note_help, "note_required": note_required}
        if request.method == "POST":
            form = WorkflowNoteForm(request.POST, **form_kwargs)
            if form.is_valid():
                try:
                    call(form.cleaned_data["note"], form.cleaned_data["wf_version"])
                except ValidationError as exc:
                    self._form_errors(form, exc)
                except (services.NotAllowed, services.StaleVersion) as exc:
                    form.add_error(None, error_text(exc))
                else:
                    self.message_user(request, success, messages.SUCCESS)
                    return self._back(verdict)
        else:
            form = WorkflowNoteForm(initial={"wf_version": verdict.version}, **form_kwargs)
        return self._render_workflow_form(request, verdict, form, title)

    def correct_view(self, request, object_id):
        verdict = self._verdict(request, object_id)
        form_kwargs = {
            "note_label": gettext("Public correction note"),
            "note_help": gettext("What changed and why; shown to readers once the correction is published."),
        }
        if request.method == "POST":
            form = CorrectionForm(request.POST, **form_kwargs)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    draft = services.draft_correction(
                        verdict=verdict, by=request.user, rating=data["rating"], summary=data["summary"],
                        rationale=data["rationale"], correction_note=data["note"],
                    )  # fmt: skip
                except ValidationError as exc:
                    self._form_errors(form, exc)
                except services.NotAllowed as exc:
                    form.add_error(None, error_text(exc))
                else:
                    self.message_user(
                        request,
                        gettext("Correction drafted. Submit it; another editor publishes it."),
                        messages.SUCCESS,
                    )
                    return self._back(draft)
        else:
            form = CorrectionForm(
                initial={
                    "wf_version": verdict.version,
                    "rating": verdict.rating_id,
                    "summary": verdict.summary,
                    "rationale": verdict.rationale,
                },
                **form_kwargs,
            )
        # The draft starts with a copy of this evidence; it is edited or removed on the draft.
        carried = list(verdict.evidence.order_by("id"))
        return self._render_workflow_form(request, verdict, form, gettext("Correct verdict"), carried_evidence=carried)

    @staticmethod
    def _form_errors(form, exc: ValidationError):
        add_service_errors(form, exc, {"withdrawal_reason": "note", "correction_note": "note"})

    def _render_workflow_form(self, request, verdict, form, title, carried_evidence=None):
        context = {
            "carried_evidence": carried_evidence,
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "verdict": verdict,
            "rating": rating_badge(verdict.rating),
            "form": form,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/claims/verdict/workflow_form.html", context)

    # --- Bulk actions -------------------------------------------------------------------------

    def bulk_label(self, verdict) -> str:
        return verdict.summary[:60]

    @admin.action(description=_("Submit selected drafts for approval"), permissions=["change"])
    def submit_selected(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda n: ngettext("Submitted: %(count)d verdict.", "Submitted: %(count)d verdicts.", n) % {"count": n},
            lambda v: services.submit_verdict(verdict=v, by=request.user),
        )

    @admin.action(description=_("Publish selected (not your own)"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda n: ngettext("Published: %(count)d verdict.", "Published: %(count)d verdicts.", n) % {"count": n},
            lambda v: services.publish_verdict(verdict=v, by=request.user),
        )

    def has_publish_permission(self, request):
        return services.is_editor(request.user)


@admin.register(Evidence)
class EvidenceAdmin(FactcheckAdmin):
    """Evidence on its own (for its history); added through the service, frozen once published."""

    form = EvidenceForm
    list_display = ["title", "publisher", "url", "verdict"]
    list_select_related = ["verdict"]
    search_fields = ["title", "url", "publisher"]
    autocomplete_fields = ["verdict"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(verdict__in=Verdict.objects.visible_to(request.user))

    def has_change_permission(self, request, obj=None):
        return (obj is None or _editable(obj.verdict)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or _editable(obj.verdict)) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # Evidence belongs to the verdict it was added to: moving it would change another verdict
        # (perhaps a published one) without its workflow. Delete it and add it where it belongs.
        return ["verdict"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "verdict":  # new evidence goes only to verdicts still being written
            kwargs["queryset"] = Verdict.objects.visible_to(request.user).filter(status__in=EDITABLE_STATUSES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: getattr(obj, name) for name in form.changed_data if name in EvidenceInline.fields}
            services.update_evidence(evidence=obj, by=request.user, **changes)
            return
        created = services.add_evidence(
            verdict=obj.verdict, by=request.user, **{f: getattr(obj, f) for f in EvidenceInline.fields}
        )
        obj.pk = created.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.delete_evidence(evidence=obj, by=request.user)
        services.pages_changed()

    def delete_queryset(self, request, queryset):
        for evidence in queryset:
            services.delete_evidence(evidence=evidence, by=request.user)
        services.pages_changed()


class RatingLevelTranslationInline(admin.TabularInline):
    """The level's label and description in each shipped language; an empty language reads the
    level's own English (claims.rating_text)."""

    model = RatingLevelTranslation
    extra = 0
    fields = ["language", "label", "description"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}


@admin.register(RatingLevel)
class RatingLevelAdmin(FactcheckAdmin):
    list_display = ["badge", "slug", "ordinal", "truth_weight", "colour"]
    search_fields = ["label", "slug"]
    inlines = [RatingLevelTranslationInline]

    @admin.display(description=_("label"), ordering="ordinal")
    def badge(self, level):
        return rating_badge(level)
