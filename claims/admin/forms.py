"""Admin forms: duplicate check for new claims, optimistic locking, workflow notes."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.choices import Qualifier, Rank, VerdictStatus
from claims.figures import (
    UNIT_CHOICES,
    FigureFieldsError,
    UnitConversionError,
    convert,
    format_amount,
    settle_figure_fields,
)
from claims.models import Appearance, Article, Claim, Evidence, Figure, Measure, RatingLevel, Source, Verdict  # noqa: F401
from claims.services import row_version
from claims.services.editing import ARTICLE_EDITABLE_FIELDS, FIGURE_EDITABLE_FIELDS, settle_proposal

from .filters import reviewer_users
from .similar import similar_claims


class StaleEditGuard(forms.ModelForm):
    """Refuses to save over someone else's edit: the form carries the row's version as it was read
    (`services.row_version`, its `updated_at` stamp) and `clean` compares it with the row, locked
    until the admin's transaction ends. Verdicts have their own `version` column (VerdictForm).

    The admin only renders fields it is told about: list "row_version" in the admin's fields."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["row_version"].initial = row_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("row_version")
        if self.instance.pk is not None and expected is not None:
            model = type(self.instance)
            current = (
                model._base_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if current is not None and int(current.timestamp() * 1_000_000) != expected:
                raise forms.ValidationError(
                    gettext(
                        "Someone else changed this %(name)s since you opened the page; "
                        "nothing was saved. Reload it to see their change, then make yours again."
                    )
                    % {"name": model._meta.verbose_name},
                    code="stale",
                )
        return cleaned


class FixedParentGuard(forms.ModelForm):
    """Evidence, appearances and figures stay with what they were recorded under (the rule is
    `services.refuse_move`): a form that shows the parent field refuses a change of it."""

    def clean(self):
        cleaned = super().clean()
        try:
            services.refuse_move(self.instance, self.changed_data)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned


class ClaimForm(StaleEditGuard):
    """A new claim whose text closely matches an existing one needs an explicit "not a duplicate"."""

    not_a_duplicate = forms.BooleanField(
        required=False,
        label=_("Not a duplicate"),
        help_text=_("Tick to save although similar claims exist (listed above)."),
    )

    class Meta:
        model = Claim
        fields = ["text", "slug", "language", "claimant", "topics", "first_seen"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 80})}
        help_texts = {
            "text": _("One checkable statement, in neutral words (not copied from the article)."),
            "slug": _("Leave empty to derive it from the text."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.similar = []
        if self.instance.pk is not None:
            self.fields.pop("not_a_duplicate", None)

    def clean_slug(self):
        from claims.services.workflow import RESERVED_CLAIM_SLUGS

        slug = self.cleaned_data.get("slug")
        if slug in RESERVED_CLAIM_SLUGS:
            raise forms.ValidationError(
                gettext("%(slug)r is reserved for an API route; choose another slug.") % {"slug": slug}
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text")
        if self.instance.pk is None and text:
            self.similar = similar_claims(text)
            duplicates = [item for item in self.similar if item.likely_duplicate]
            if duplicates and not cleaned.get("not_a_duplicate"):
                self.add_error(
                    "text",
                    ngettext(
                        "%(count)d existing claim says nearly the same (listed above). "
                        "Open it instead, or tick “Not a duplicate” to save anyway.",
                        "%(count)d existing claims say nearly the same (listed above). "
                        "Open one of them instead, or tick “Not a duplicate” to save anyway.",
                        len(duplicates),
                    )
                    % {"count": len(duplicates)},
                )
        return cleaned


class AssignActionForm(ActionForm):
    """The queue's action bar: the reviewer for "assign to the chosen reviewer" (editors)."""

    assignee = forms.ModelChoiceField(queryset=None, required=False, label=_("Reviewer"), empty_label=_("(reviewer)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewer_users()


class VerdictForm(forms.ModelForm):
    """Edits carry the version they were made on; a stale one is refused with a form error."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Verdict
        fields = ["claim", "rating", "summary", "rationale"]
        widgets = {
            "summary": forms.TextInput(attrs={"size": 90}),
            "rationale": forms.Textarea(attrs={"rows": 10, "cols": 90}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            if "version" in self.fields:
                self.fields["version"].initial = self.instance.version
            if "claim" in self.fields:
                self.fields["claim"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or "version" not in self.fields:
            return cleaned
        current = Verdict.objects.filter(pk=self.instance.pk).values_list("version", "status").first()
        if current is None:
            raise forms.ValidationError(gettext("This verdict no longer exists."))
        version, status = current
        if cleaned.get("version") != version:
            raise forms.ValidationError(
                gettext(
                    "This verdict changed since you opened it (you edited version %(mine)s, it is now at version "
                    "%(current)s). Reload the page to see the changes, then make your edit again."
                ),
                code="stale",
                params={"mine": cleaned.get("version"), "current": version},
            )
        if status not in (VerdictStatus.DRAFT, VerdictStatus.SUBMITTED):
            raise forms.ValidationError(
                gettext("Published verdicts are not edited: draft a correction or withdraw it.")
            )
        return cleaned


class WorkflowNoteForm(forms.Form):
    """A public note (withdrawal reason, correction note) plus the version it refers to."""

    wf_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 80}), max_length=2000)

    def __init__(self, *args, note_label: str, note_help: str, note_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = note_label
        self.fields["note"].help_text = note_help
        self.fields["note"].required = note_required


class CorrectionForm(WorkflowNoteForm):
    """A correction: the new rating, summary and rationale, and the public note saying why."""

    rating = forms.ModelChoiceField(queryset=RatingLevel.objects.all(), widget=forms.RadioSelect)
    summary = forms.CharField(max_length=280, widget=forms.TextInput(attrs={"size": 80}))
    rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8, "cols": 80}))


class FigureForm(FixedParentGuard, StaleEditGuard):
    """Bounds validated with messages a reviewer understands; the unit defaults to the measure's."""

    class Meta:
        model = Figure
        fields = ["appearance", *FIGURE_EDITABLE_FIELDS]

        # Compact inputs: the figures of an appearance are edited as one table row each.
        widgets = {
            "quoted_text": forms.TextInput(attrs={"size": 14}),
            "low": forms.NumberInput(attrs={"class": "fc-bound"}),
            "high": forms.NumberInput(attrs={"class": "fc-bound"}),
            "rank_reason": forms.TextInput(attrs={"size": 12}),
        }

    unit = forms.ChoiceField(
        choices=[("", _("(the measure's)")), *UNIT_CHOICES], required=False, help_text=_("Empty: the measure's unit.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in ("low", "high"):  # 450, not the column's 450.000000
            value = self.initial.get(bound)
            if isinstance(value, Decimal):
                self.initial[bound] = format(value.normalize(), "f")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rank") == Rank.DEPRECATED and not (cleaned.get("rank_reason") or "").strip():
            self.add_error("rank_reason", gettext("Say why this figure is deprecated."))
        if all(name in cleaned for name in ("low", "high", "qualifier", "quoted_text")):
            self._settle_bounds(cleaned)
        self._settle_proposal(cleaned)
        return cleaned

    def _settle_bounds(self, cleaned) -> None:
        """The services' rule (`figures.settle_figure_fields`). Bounds read from the quoted text
        are filled in and shown for the reviewer to confirm: the form saves on the next submit."""
        measure = cleaned.get("measure")
        try:
            fields = settle_figure_fields(
                quoted_text=cleaned["quoted_text"],
                low=cleaned["low"],
                high=cleaned["high"],
                qualifier=cleaned["qualifier"],
                unit=cleaned.get("unit") or None,
                measure_unit=measure.unit if measure is not None else "count",
            )
        except FigureFieldsError as error:
            for name, message in error.errors.items():
                self.add_error(name, message)
            return
        for name in ("low", "high", "qualifier", "unit"):
            cleaned[name] = getattr(fields, name)
        self.instance.unit = fields.unit
        parsed = fields.read_from
        if parsed is None:
            return
        data = self.data.copy()
        for name in ("low", "high"):
            value = getattr(fields, name)
            data[self.add_prefix(name)] = "" if value is None else format(value, "f")
        data[self.add_prefix("qualifier")] = fields.qualifier
        data[self.add_prefix("unit")] = fields.unit
        self.data = data
        bounds = ", ".join(
            template % {"amount": format_amount(value)}
            for template, value in ((gettext("low %(amount)s"), fields.low), (gettext("high %(amount)s"), fields.high))
            if value is not None
        )
        self.add_error(
            None,
            gettext(
                "Read “%(text)s” as %(reading)s (%(bounds)s; %(qualifier)s; unit %(unit)s). "
                "Check the values filled in and save again to confirm."
            )
            % {
                "text": parsed.text,
                "reading": parsed.display(),
                "bounds": bounds,
                "qualifier": str(Qualifier(fields.qualifier).label).lower(),
                "unit": fields.unit,
            },
        )

    def _settle_proposal(self, cleaned) -> None:
        was_proposed = bool(self.instance.pk and self.initial.get("proposed"))
        if "proposed" not in cleaned or cleaned.get("measure") is None:
            return
        probe = SimpleNamespace(proposed=cleaned["proposed"], measure_id=cleaned["measure"].pk, pk=self.instance.pk)
        try:
            settle_proposal(
                probe,
                was_proposed=was_proposed,
                old_measure_id=self.initial.get("measure"),
                proposed_given="proposed" in self.changed_data,
            )
        except ValidationError as error:
            self.add_error(None, error)
            return
        cleaned["proposed"] = probe.proposed


class MeasureForm(StaleEditGuard):
    """A measure's unit must be one Factcheck knows, and every figure already recorded for it must
    convert to it (otherwise its conflict state could not be computed)."""

    class Meta:
        model = Measure
        fields = ["name", "slug", "unit", "description", "comparison_window_days"]

    unit = forms.ChoiceField(choices=UNIT_CHOICES)

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if self.instance.pk is not None and "unit" in self.changed_data:
            recorded = Figure.objects.filter(measure=self.instance).values_list("unit", flat=True).distinct()
            for figure_unit in recorded:
                try:
                    convert(Decimal(1), figure_unit, unit)
                except UnitConversionError:
                    raise forms.ValidationError(
                        gettext(
                            "Figures of this measure are recorded in %(recorded)s, which does not convert to %(unit)s."
                        )
                        % {"recorded": figure_unit, "unit": unit}
                    ) from None
        return unit


class AppearanceForm(FixedParentGuard, StaleEditGuard):
    class Meta:
        model = Appearance
        fields = ["claim", "article", "quote", "voice", "attributed_to"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 2, "cols": 60})}


class EvidenceForm(FixedParentGuard):
    class Meta:
        model = Evidence
        fields = ["verdict", "url", "title", "publisher", "accessed_on", "archived_url", "note"]


class ArticleForm(StaleEditGuard):
    class Meta:
        model = Article
        fields = ["url", *ARTICLE_EDITABLE_FIELDS, "body"]


class SourceForm(StaleEditGuard):
    class Meta:
        model = Source
        fields = ["kind", "name", "slug", "homepage", "domain", "country", "description"]
