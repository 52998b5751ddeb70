"""Appearances (a claim in an article) and the figures they give, edited inline.

Django's admin cannot nest inlines, so a claim's page edits its appearances inline and each
appearance's page edits its figures inline; the claim's page lists all its figures read-only.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import admin
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.choices import PUBLIC_CLAIM_STATUSES
from claims.models import Appearance, Figure
from claims.services.editing import FIGURE_EDITABLE_FIELDS

from .base import FactcheckAdmin, NoDeleteFromRelatedWidgets
from .forms import AppearanceForm, FigureForm


def _after_figures_changed(measure_ids: Iterable[int]) -> None:
    """The one place the admin reports changed figures, so measures' conflict state is refreshed.

    Runs after the admin's transaction commits.
    """
    ids = sorted({pk for pk in measure_ids if pk is not None})
    if ids:
        transaction.on_commit(lambda: services.refresh_measures(measure_ids=ids))


def _claim_is_public(claim) -> bool:
    return claim is not None and claim.status in PUBLIC_CLAIM_STATUSES


def _figure_measures(figures) -> set[int]:
    return {figure.measure_id for figure in figures}


class FigureInline(NoDeleteFromRelatedWidgets, admin.TabularInline):
    model = Figure
    form = FigureForm
    extra = 0
    autocomplete_fields = ["measure"]
    fields = [*FIGURE_EDITABLE_FIELDS, "proposal", "row_version"]
    readonly_fields = ["proposal"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("measure")

    @admin.display(description=_("proposal"))
    def proposal(self, figure):
        return proposal_text(figure)

    def has_delete_permission(self, request, obj=None):
        """`obj` is the appearance: figures of a public claim are deprecated, not deleted."""
        return not _claim_is_public(obj and obj.claim) and super().has_delete_permission(request, obj)


class AppearanceInline(NoDeleteFromRelatedWidgets, admin.TabularInline):
    """A claim's appearances; figures are edited on the appearance's own page (the pencil link)."""

    model = Appearance
    form = AppearanceForm
    extra = 0
    autocomplete_fields = ["article", "attributed_to"]
    fields = ["article", "quote", "voice", "attributed_to", "figure_count", "row_version"]
    readonly_fields = ["figure_count"]
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article", "attributed_to")
            .annotate(figure_total=Count("figures"))
        )

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    def has_delete_permission(self, request, obj=None):
        """`obj` is the claim: the appearances of a public claim stay."""
        return not _claim_is_public(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=_("figures"))
    def figure_count(self, appearance):
        if appearance.pk is None:
            return "—"
        count = getattr(appearance, "figure_total", None)
        return count if count is not None else appearance.figures.count()


def save_appearance_formset(formset) -> set[int]:
    """Save a formset of appearances, returning the measures whose figures went with deleted ones."""
    touched: set[int] = set()
    for form in formset.deleted_forms:
        if form.instance.pk is not None:
            touched |= _figure_measures(form.instance.figures.all())
    formset.save()
    return touched


def save_figure_formset(formset) -> set[int]:
    """Save a formset of figures, returning every measure whose figures changed (old and new)."""
    touched: set[int] = set()
    for form in formset.forms:
        if form.has_changed() or form in formset.deleted_forms:
            touched.add(form.cleaned_data.get("measure").pk if form.cleaned_data.get("measure") else None)
            if form.instance.pk is not None and "measure" in form.changed_data:
                touched.add(form.initial.get("measure"))
    formset.save()
    return {pk for pk in touched if pk is not None}


@admin.register(Appearance)
class AppearanceAdmin(FactcheckAdmin):
    form = AppearanceForm
    list_display = ["__str__", "voice", "article", "attributed_to"]
    list_select_related = ["claim", "article", "attributed_to"]
    list_filter = ["voice"]
    search_fields = ["quote", "article__title", "claim__text"]
    autocomplete_fields = ["claim", "article", "attributed_to"]
    inlines = [FigureInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim")

    def get_readonly_fields(self, request, obj=None):
        return list(services.FIXED_PARENT_FIELDS["appearance"]) if obj is not None else []

    def attribution_scope(self, request, obj):
        """A new or edited appearance (its voice) changes whom its claim counts for."""
        return {"claim_ids": [obj.claim_id]}

    def has_delete_permission(self, request, obj=None):
        return not _claim_is_public(obj and obj.claim) and super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is Figure:
            _after_figures_changed(save_figure_formset(formset))
        else:
            super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        touched = _figure_measures(obj.figures.all())
        super().delete_model(request, obj)
        _after_figures_changed(touched)


def proposal_text(figure) -> str:
    """Why software proposed this figure's measure, and how sure it was; "—" once confirmed."""
    if not figure.proposed:
        return "—"
    reason = figure.proposal_reason or gettext("no reason given")
    if figure.proposal_confidence is None:
        return gettext("Proposed (%(reason)s). Untick or pick a measure.") % {"reason": reason}
    return gettext("Proposed (confidence %(confidence).2f: %(reason)s). Untick or pick a measure.") % {
        "confidence": figure.proposal_confidence,
        "reason": reason,
    }


@admin.register(Figure)
class FigureAdmin(FactcheckAdmin):
    form = FigureForm
    list_display = ["quoted_text", "measure", "proposed", "low", "high", "unit", "qualifier", "rank", "appearance"]
    list_select_related = ["measure", "appearance__claim", "appearance__article"]
    list_filter = ["proposed", "rank", "qualifier"]
    readonly_fields = ["proposal"]
    search_fields = ["quoted_text", "measure__name"]
    autocomplete_fields = ["appearance", "measure"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("appearance__claim")

    def get_readonly_fields(self, request, obj=None):
        fixed = list(services.FIXED_PARENT_FIELDS["figure"]) if obj is not None else []
        return [*self.readonly_fields, *fixed]

    @admin.display(description=_("proposal"))
    def proposal(self, figure):
        return proposal_text(figure)

    def has_delete_permission(self, request, obj=None):
        return not _claim_is_public(obj and obj.appearance.claim) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _after_figures_changed({obj.measure_id, form.initial.get("measure")})

    def delete_model(self, request, obj):
        measure_id = obj.measure_id
        super().delete_model(request, obj)
        _after_figures_changed({measure_id})
