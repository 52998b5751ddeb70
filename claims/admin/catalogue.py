"""Topics, sources, articles and measures: the catalogue claims refer to.

Every foreign key is an autocomplete (never a select of all rows). A source's page shows its
scorecard and credibility; a measure's page its figures side by side with conflicts marked.
"""

from __future__ import annotations

from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.models import Article, Figure, Measure, RatingLevel, Source, Topic
from claims.paginators import EstimatedCountPaginator

from .base import FactcheckAdmin
from .figure_chart import figure_rows, range_chart
from .forms import ArticleForm, MeasureForm, SourceForm


@admin.register(Topic)
class TopicAdmin(FactcheckAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(FactcheckAdmin):
    form = SourceForm
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_display = ["name", "kind", "country", "credibility", "rated_claims_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "domain"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["scorecard", "queue_links"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "homepage", "domain", "country", "description", "row_version"]}),
        (_("Record"), {"fields": ["scorecard", "queue_links"]}),
    ]

    def get_queryset(self, request):
        return Source.objects.visible_to(request.user)

    @admin.display(description=_("credibility"), ordering="credibility_score")
    def credibility(self, source):
        if source.credibility_score is None:
            return gettext("not enough data")
        return format_html(
            "{} <small>({}–{})</small>",
            f"{source.credibility_score:.2f}",
            f"{source.credibility_low:.2f}" if source.credibility_low is not None else "?",
            f"{source.credibility_high:.2f}" if source.credibility_high is not None else "?",
        )

    @admin.display(description=_("scorecard"))
    def scorecard(self, source):
        if source.pk is None:
            return "—"
        counts = source.rating_counts or {}
        levels = list(RatingLevel.objects.all())
        rows = []
        for level in levels:
            count = counts.get(level.slug, counts.get(level.label, counts.get(str(level.pk), 0))) or 0
            rows.append({"level": level, "count": int(count)})
        top = max([row["count"] for row in rows] + [1])
        for row in rows:
            row["width"] = round(100 * row["count"] / top)
        return render_to_string("admin/claims/source/scorecard.html", {"source": source, "rows": rows})

    @admin.display(description=_("in the review queue"))
    def queue_links(self, source):
        if source.pk is None:
            return "—"
        queue = reverse("admin:claims_claim_changelist")
        return format_html(
            '<a href="{}?claimant={}">{}</a> · <a href="{}?outlet={}">{}</a>',
            queue,
            source.pk,
            gettext("Claims it makes"),
            queue,
            source.pk,
            gettext("Claims in its articles"),
        )


@admin.register(Article)
class ArticleAdmin(FactcheckAdmin):
    form = ArticleForm
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_display = ["__str__", "outlet", "kind", "published_on"]
    list_select_related = ["outlet"]
    list_filter = ["kind"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["outlet", "authors", "parent"]
    ordering = ["-id"]

    def get_queryset(self, request):
        return Article.objects.visible_to(request.user)

    def attribution_scope(self, request, obj):
        """An article's outlet and authors answer for the claims it asserts."""
        return {"article_ids": [obj.pk]} if obj.pk is not None else None


@admin.register(Measure)
class MeasureAdmin(FactcheckAdmin):
    form = MeasureForm
    show_full_result_count = False
    list_display = ["name", "unit", "conflict", "spread"]
    list_filter = ["conflict_state"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["conflict", "figures_side_by_side"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "unit", "description", "comparison_window_days", "row_version"]}),
        (_("Figures"), {"fields": ["conflict", "figures_side_by_side"]}),
    ]

    def get_queryset(self, request):
        return Measure.objects.visible_to(request.user)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"unit", "comparison_window_days"} & set(form.changed_data):
            services.refresh_measures(measure_ids=[obj.pk])

    @admin.display(description=_("agreement"), ordering="conflict_state")
    def conflict(self, measure):
        return format_html(
            '<span class="fc-status fc-status--{}">{}</span>',
            measure.conflict_state,
            measure.get_conflict_state_display(),
        )

    @admin.display(description=_("figures side by side"))
    def figures_side_by_side(self, measure):
        if measure.pk is None:
            return "—"
        figures = (
            Figure.objects.counted()
            .filter(measure=measure)
            .select_related("appearance__claim__claimant", "appearance__article__outlet", "appearance__attributed_to")
            .order_by("low", "high", "id")
        )
        rows, pairs = figure_rows(measure, list(figures))
        return render_to_string(
            "admin/claims/measure/figures.html",
            {"rows": rows, "pairs": pairs, "chart": range_chart(measure, rows), "measure": measure},
        )
