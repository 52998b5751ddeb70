"""What every Factcheck admin shares: history, service-error handling, small renderers."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from claims import services
from claims.rating_text import rating_label
from claims.services import NotAllowed, StaleVersion


def error_text(exc: Exception) -> str:
    """A service error as one readable sentence (field-level messages joined)."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "message_dict"):
            return " ".join(" ".join(str(m) for m in msgs) for msgs in exc.message_dict.values())
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


def add_service_errors(form, exc: ValidationError, mapping: dict[str, str] | None = None) -> None:
    """A service's ValidationError on a form: each message on the form's field of that name (after
    `mapping`), and on the form as a whole when the form has no such field (Django's `add_error`
    would raise ValueError, a 500)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        target = (mapping or {}).get(field, field)
        form.add_error(target if target in form.fields else None, errors)


def rating_badge(rating) -> str:
    """A rating as a coloured pill, readable without colour (the label is always written)."""
    if rating is None:
        return format_html('<span class="fc-badge fc-badge--none">{}</span>', _("not rated"))
    return format_html(
        '<span class="fc-badge" style="--fc-badge:{}">{}</span>',
        rating.colour,
        rating_label(rating),
    )


def status_badge(value: str, label: str) -> str:
    return format_html('<span class="fc-status fc-status--{}">{}</span>', value, label)


BULK_LIMIT = 500


def bulk_selection(request, model_admin, queryset):
    """The rows of a bulk action, at most BULK_LIMIT ("select all" on a million-row queue would
    otherwise run a service call per row in one request). None, with a message, when too many."""
    rows = list(queryset.order_by("pk")[: BULK_LIMIT + 1])
    if len(rows) > BULK_LIMIT:
        model_admin.message_user(
            request,
            _("Select at most %(limit)d rows for a bulk action (narrow the queue with its filters).")
            % {"limit": BULK_LIMIT},
            messages.ERROR,
        )
        return None
    return rows


class NoDeleteFromRelatedWidgets:
    """Related-object widgets without their ✗ "delete" link: deleting a source or an article from
    inside a claim's form is never what a reviewer means, and the rows they link are protected
    anyway (PROTECT foreign keys, claims/guards.py). Their own pages still offer deletion where
    it is allowed."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget.can_delete_related = False
        return formfield


class HistoryChanges(HistoricalRecordContextHelper):
    """History's "changes" column. simple-history shows an empty foreign key (a verdict with no
    approver yet) as a deleted row, "Deleted user (pk=None)"; it is shown as "—" here, as is any
    other empty value ("None"). A row that
    really was deleted keeps simple-history's wording."""

    def prepare_delta_change_value(self, change, value):
        if value is None or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"
        return super().prepare_delta_change_value(change, value)


class FactcheckAdmin(NoDeleteFromRelatedWidgets, SimpleHistoryAdmin):
    """Base admin: every save records its user in the history; history is read-only.

    simple-history's "revert" form would write an old row back wholesale (status included), by-
    passing the workflow services; so the history is for reading and reverting is disabled.
    Service errors raised while saving (a race the form could not see) roll the save back and come
    back as a message instead of a server error.
    """

    list_per_page = 50
    # Facet counts run a COUNT per filter choice over the whole table: never at a million rows.
    show_facets = admin.ShowFacets.NEVER

    def bulk_label(self, obj) -> str:
        """How a bulk action's refusal names the row."""
        return str(obj)

    def _bulk(self, request, queryset, done_message, call):
        """A bulk action: each selected row through `call` (a service); refusals are reported,
        the first ten by name, not fatal. `done_message(n)` words the success for n rows (an
        ngettext of the whole sentence, so translators get the plural forms)."""
        selected = bulk_selection(request, self, queryset)
        if selected is None:
            return
        done, refused = 0, []
        for obj in selected:
            try:
                call(obj)
                done += 1
            except (NotAllowed, StaleVersion, ValidationError) as exc:
                refused.append(_("“%(row)s”: %(error)s") % {"row": self.bulk_label(obj), "error": error_text(exc)})
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for line in refused[:10]:
            self.message_user(request, line, messages.WARNING)
        if len(refused) > 10:
            more = len(refused) - 10
            self.message_user(
                request,
                ngettext("… and %(count)d more refused.", "… and %(count)d more refused.", more) % {"count": more},
                messages.WARNING,
            )

    # --- Who may use the workspace: reviewers and editors, whatever permissions a user holds -------
    #
    # Hand-given model permissions do not make a staff user a reviewer: every admin page (change,
    # add, delete, history, autocomplete) asks the role first, so a staff user outside the groups
    # gets the same 403 everywhere instead of whatever a permission would have opened.

    def has_module_permission(self, request):
        return services.is_reviewer(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return services.is_reviewer(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return services.is_reviewer(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return services.is_reviewer(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return services.is_reviewer(request.user) and super().has_delete_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return False

    # --- History answers like the change page ------------------------------------------------
    #
    # simple-history looks the object up without the admin's queryset and, when that misses,
    # falls back to the latest historical row: a draft hidden from the change page would show in
    # its history. Both history views first do exactly what the change page does: the
    # visibility-scoped `get_object`, the same permission check, the same "does not exist" answer.

    def _history_refusal(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return None

    def history_view(self, request, object_id, extra_context=None):
        return self._history_refusal(request, object_id) or super().history_view(request, object_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryChanges(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        refusal = self._history_refusal(request, object_id)
        if refusal is not None:
            return refusal
        if request.method == "POST":
            raise PermissionDenied(_("Reverting from the history is disabled; use the workflow actions."))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, NotAllowed, StaleVersion) as exc:
            # Raised inside the admin's transaction, so nothing was written.
            self.message_user(request, _("Nothing was saved: %(error)s") % {"error": error_text(exc)}, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # --- Derived data after an edit made through the admin's own forms -------------------------
    #
    # Most admin writes go through services; plain field edits (a claim's claimant, an article's
    # outlet, an appearance's voice, a source's name) are saved by the admin itself. These hooks
    # keep credibility and the page cache as current as a service call would.

    def attribution_scope(self, request, obj) -> dict | None:
        """The claims and articles whose attribution an edit of `obj` may change, as keyword
        arguments of `services.attribution_snapshot`; None when it cannot change any."""
        return None

    def save_model(self, request, obj, form, change):
        scope = self.attribution_scope(request, obj)
        if scope:
            request._factcheck_attribution = services.attribution_snapshot(**scope)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        snapshot = getattr(request, "_factcheck_attribution", None)
        if snapshot is not None:
            services.attribution_changed(snapshot)
        services.pages_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.pages_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.pages_changed()

    def run_service(self, request, func, *, success: str | None = None, **kwargs):
        """Call a service, reporting its refusal as an error message. Returns the result or None."""
        try:
            result = func(**kwargs)
        except (ValidationError, NotAllowed, StaleVersion) as exc:
            self.message_user(request, error_text(exc), messages.ERROR)
            return None
        if success:
            self.message_user(request, success, messages.SUCCESS)
        return result
