"""Review-queue filters. Each lists a bounded set of choices (one query) and filters with EXISTS,
so neither the sidebar nor the filtered queue scans a million claims to build itself."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from claims.choices import ConflictState, SourceKind
from claims.models import Appearance, Figure, Measure, Source
from claims.roles import reviewers_q

MAX_CHOICES = 30


def reviewer_users():
    """Users claims can be assigned to: active staff in a reviewer group, and superusers."""
    return get_user_model().objects.filter(reviewers_q()).distinct().order_by("username")


def _with_selected(choices: list[tuple], selected, fetch_one) -> list[tuple]:
    """Keep the currently selected value listed even when it is beyond the first MAX_CHOICES."""
    if selected and str(selected) not in {str(pk) for pk, _ in choices}:
        extra = fetch_one(selected)
        if extra is not None:
            choices = [(extra.pk, str(extra)), *choices]
    return choices


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned reviewer")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        people = [(str(user.pk), user.get_username()) for user in reviewer_users() if user.pk != request.user.pk]
        return [("me", _("Me")), ("nobody", _("Nobody")), *people]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assigned_to=request.user)
        if value == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assigned_to_id=int(value))
        return queryset


class DisputedMeasureFilter(admin.SimpleListFilter):
    title = _("disputed measure")
    parameter_name = "disputed"

    def lookups(self, request, model_admin):
        measures = list(Measure.objects.disputed().order_by("name", "id").values_list("pk", "name")[:MAX_CHOICES])
        choices = [(str(pk), name) for pk, name in measures]
        return [("any", _("Any disputed measure")), *choices]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        figures = Figure.objects.counted().filter(
            appearance__claim=OuterRef("pk"), measure__conflict_state=ConflictState.DISPUTED
        )
        if value.isdigit():
            figures = figures.filter(measure_id=int(value))
        elif value != "any":
            return queryset
        return queryset.filter(Exists(figures))


class OutletFilter(admin.SimpleListFilter):
    """Claims appearing in an article from an outlet. The sidebar lists the first outlets by name;
    a source's admin page links here with any outlet preselected."""

    title = _("outlet")
    parameter_name = "outlet"

    def lookups(self, request, model_admin):
        outlets = Source.objects.filter(kind=SourceKind.OUTLET).order_by("name", "id")
        choices = [(str(pk), name) for pk, name in outlets.values_list("pk", "name")[:MAX_CHOICES]]
        return _with_selected(
            choices,
            self.value() if (self.value() or "").isdigit() else None,
            lambda pk: Source.objects.filter(pk=pk).first(),
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(
                Exists(Appearance.objects.filter(claim=OuterRef("pk"), article__outlet_id=int(value)))
            )
        return queryset


class ClaimantFilter(admin.SimpleListFilter):
    """Set from a source's page ("claims by this source"); lists only the selected claimant."""

    title = _("claimant")
    parameter_name = "claimant"

    def lookups(self, request, model_admin):
        value = self.value()
        if value and value.isdigit():
            source = Source.objects.filter(pk=int(value)).first()
            if source is not None:
                return [(str(source.pk), str(source))]
        return []

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(claimant_id=int(value))
        return queryset


class MineToApproveFilter(admin.SimpleListFilter):
    """Verdicts waiting for an editor: submitted, written by someone else (two-person rule)."""

    title = _("waiting for")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("my-approval", _("My approval")), ("mine", _("Written by me"))]

    def queryset(self, request, queryset):
        if self.value() == "my-approval":
            return queryset.filter(status="submitted").exclude(author=request.user)
        if self.value() == "mine":
            return queryset.filter(author=request.user)
        return queryset
