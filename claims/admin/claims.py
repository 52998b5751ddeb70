"""The review queue: claims from new to a published verdict.

Built for a million rows: the list joins its few foreign keys in one query, filters with EXISTS,
searches the GIN-indexed `search_vector`, and the paginator estimates large counts instead of
running `SELECT COUNT(*)` over the table.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from claims import services
from claims.choices import PUBLIC_CLAIM_STATUSES, ClaimStatus
from claims.models import Claim, Figure, Tip, Topic, Verdict
from claims.paginators import EstimatedCountPaginator
from claims.querysets import search_query
from claims.rating_text import rating_label

from . import merging
from .appearances import AppearanceInline, _after_figures_changed, save_appearance_formset
from .base import FactcheckAdmin, rating_badge, status_badge
from .filters import MAX_CHOICES, AssignedFilter, ClaimantFilter, DisputedMeasureFilter, OutletFilter, reviewer_users
from .forms import AssignActionForm, ClaimForm
from .similar import similar_claims


class TopicFilter(admin.SimpleListFilter):
    title = _("topic")
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Topic.objects.order_by("name").values_list("pk", "name")[:MAX_CHOICES]]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            through = Claim.topics.through
            return queryset.filter(Exists(through.objects.filter(claim=OuterRef("pk"), topic_id=int(value))))
        return queryset


class RatingFilter(admin.SimpleListFilter):
    title = _("current rating")
    parameter_name = "rating"

    def lookups(self, request, model_admin):
        from claims.models import RatingLevel

        return [("none", _("Not rated")), *((level.slug, rating_label(level)) for level in RatingLevel.objects.all())]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(published_verdict__isnull=True)
        if value:
            return queryset.filter(published_verdict__rating__slug=value)
        return queryset


class QueueChangeList(ChangeList):
    """Break ordering ties by id in the direction the queue's indexes are stored in, so PostgreSQL
    reads the first page from an index instead of sorting a million rows:
    `claim_status_id_idx` is (status, -id) and `claim_status_seen_idx` is (status, -first_seen, -id).
    """

    TIEBREAK = {
        "status": "-pk",
        "-status": "pk",
        "first_seen": "pk",
        "-first_seen": "-pk",
        # claim_demand_idx and claim_status_demand_idx are (…, -demand, id): most asked first, then oldest.
        "-demand": "pk",
        "demand": "-pk",
    }

    def _get_deterministic_ordering(self, ordering):
        ordering = super()._get_deterministic_ordering(ordering)
        if len(ordering) == 2 and ordering[1] == "-pk" and ordering[0] in self.TIEBREAK:
            ordering[1] = self.TIEBREAK[ordering[0]]
        return ordering


@admin.register(Claim)
class ClaimAdmin(FactcheckAdmin):
    form = ClaimForm
    action_form = AssignActionForm
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    list_max_show_all = 200
    # Oldest waiting first: "in_review" and "new" sort before "published" and "withdrawn", and
    # within a status the claim that came in first leads (claim_status_oldest_idx).
    ordering = ["status", "id"]
    list_display = ["short_text", "status_label", "rating", "claimant", "assigned_to", "first_seen", "demand_column"]
    list_display_links = ["short_text"]
    # Only columns an index can order (see QueueChangeList); first seen is fastest with a status filter.
    sortable_by = ["short_text", "status_label", "first_seen", "demand_column"]
    list_select_related = ["claimant", "assigned_to", "published_verdict__rating"]
    list_filter = [
        "status",
        "from_tip_line",
        AssignedFilter,
        RatingFilter,
        TopicFilter,
        DisputedMeasureFilter,
        OutletFilter,
        ClaimantFilter,
    ]
    search_fields = ["text"]  # shows the search box; the search itself is full-text (below)
    search_help_text = _("Full-text search of the claim's words (stemmed, e.g. “population Azeri”); or a slug.")
    autocomplete_fields = ["claimant", "topics"]
    inlines = [AppearanceInline]
    actions = ["assign_to_me", "start_review", "unassign", "assign_to_chosen"]
    readonly_fields = ["status_label", "assigned_to", "current_verdict", "tips_panel"]

    def get_fieldsets(self, request, obj=None):
        main = ["text", "slug", "language", "claimant", "topics", "first_seen"]
        if obj is None:
            return [(None, {"fields": [*main, "not_a_duplicate"]})]
        return [
            (None, {"fields": [*main, "row_version"]}),
            (_("Workflow"), {"fields": ["status_label", "assigned_to", "current_verdict"]}),
            (_("Tips from readers"), {"fields": ["tips_panel"]}),
        ]

    def get_queryset(self, request):
        return Claim.objects.visible_to(request.user)

    def has_delete_permission(self, request, obj=None):
        """A claim readers have seen is withdrawn, never deleted (claims/guards.py refuses anyway):
        its page offers no Delete button."""
        if obj is not None and obj.status in PUBLIC_CLAIM_STATUSES:
            return False
        return super().has_delete_permission(request, obj)

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    # --- Columns ------------------------------------------------------------------------------

    @admin.display(description=_("claim"), ordering="id")
    def short_text(self, claim):
        return claim.text if len(claim.text) <= 120 else claim.text[:117] + "…"

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, claim):
        return status_badge(claim.status, claim.get_status_display())

    @admin.display(description=_("rating"), ordering="published_verdict__rating__ordinal")
    def rating(self, claim):
        verdict = claim.published_verdict
        return rating_badge(verdict.rating if verdict else None)

    @admin.display(description=_("tips"), ordering="-demand")
    def demand_column(self, claim):
        # Readers' tips asking about the claim (the tip line's cached counter); the first click sorts
        # the most asked first.
        return (
            format_html('{} <span class="meta">{}</span>', claim.demand, gettext("from the tip line"))
            if claim.from_tip_line
            else claim.demand
        )

    @admin.display(description=_("tips"))
    def tips_panel(self, claim):
        """The latest tips readers sent about the claim (tipsters' addresses are not shown)."""
        tips = list(Tip.objects.filter(claim=claim).order_by("-id")[:20])
        if not tips:
            return "—"
        rows = format_html_join(
            "",
            '<li>{} {} <span class="meta">{}</span></li>',
            ((tip.text, tip.url, tip.created_at.strftime("%Y-%m-%d %H:%M")) for tip in tips),
        )
        return format_html("{}<ul>{}</ul>", gettext("%(count)s in all") % {"count": claim.demand}, rows)

    @admin.display(description=_("published verdict"))
    def current_verdict(self, claim):
        verdict = claim.published_verdict
        if verdict is None:
            return "—"
        url = reverse("admin:claims_verdict_change", args=[verdict.pk])
        return format_html('{} <a href="{}">{}</a>', rating_badge(verdict.rating), url, verdict.summary)

    def verdicts_panel(self, claim):
        verdicts = Verdict.objects.filter(claim=claim).select_related("rating", "author", "approver").order_by("-id")
        return render_to_string(
            "admin/claims/claim/verdicts_panel.html",
            {"verdicts": verdicts, "add_url": reverse("admin:claims_verdict_add") + f"?claim={claim.pk}"},
        )

    def figures_panel(self, claim):
        figures = (
            Figure.objects.filter(appearance__claim=claim)
            .select_related("measure", "appearance__article__outlet", "appearance__attributed_to")
            .order_by("measure__name", "id")
        )
        return render_to_string("admin/claims/claim/figures_panel.html", {"figures": figures})

    # --- Search: full text over the GIN index, or an exact slug -------------------------------

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        query = search_query(term)
        return queryset.filter(search_vector=query) | queryset.filter(slug=term), False

    # --- Saving -------------------------------------------------------------------------------

    def attribution_scope(self, request, obj):
        """The claimant and the appearances (inline) edited here decide whom the claim counts for."""
        return {"claim_ids": [obj.pk]} if obj.pk is not None else None

    def save_model(self, request, obj, form, change):
        if change:
            if "text" in form.changed_data:
                obj.embedding = services.embedding_for(obj.text)
            super().save_model(request, obj, form, change)
            return
        created = services.create_claim(
            text=form.cleaned_data["text"],
            by=request.user,
            claimant=form.cleaned_data.get("claimant"),
            first_seen=form.cleaned_data.get("first_seen"),
            slug=form.cleaned_data.get("slug") or None,
            language=form.cleaned_data.get("language") or None,
        )
        # The form's instance stands for the new row from here on (topics and inlines attach to it).
        obj.pk, obj.slug, obj.status, obj.first_seen = created.pk, created.slug, created.status, created.first_seen
        obj.language = created.language
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        _after_figures_changed(save_appearance_formset(formset))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if obj is not None:
            context["verdicts_panel"] = self.verdicts_panel(obj)
            context["figures_panel"] = self.figures_panel(obj)
            context["similar_claims"] = similar_claims(obj.text, exclude_pk=obj.pk)
            context["can_start_review"] = obj.status == ClaimStatus.NEW
            context["assigned_to_me"] = obj.assigned_to_id == request.user.pk
            context.update(merging.change_page_context(request, obj))
        else:
            context["similar_claims"] = getattr(form, "similar", [])
        context["similar_url"] = reverse("admin:claims_claim_similar")
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Workflow: buttons on the claim's page ------------------------------------------------

    def get_urls(self):
        own = [
            path("similar/", self.admin_site.admin_view(self.similar_view), name="claims_claim_similar"),
            path(
                "<path:object_id>/assign-to-me/",
                self.admin_site.admin_view(self.assign_to_me_view),
                name="claims_claim_assign_to_me",
            ),
            path(
                "<path:object_id>/start-review/",
                self.admin_site.admin_view(self.start_review_view),
                name="claims_claim_start_review",
            ),
            *merging.merge_urls(self),
        ]
        return own + super().get_urls()

    def _workflow_claim(self, request, object_id):
        if request.method != "POST":
            return None, HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        claim = get_object_or_404(self.get_queryset(request), pk=object_id)
        return claim, None

    def _back(self, claim):
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def assign_to_me_view(self, request, object_id):
        claim, refused = self._workflow_claim(request, object_id)
        if refused:
            return refused
        self.run_service(
            request, services.assign_claim, claim=claim, reviewer=request.user, by=request.user,
            success=gettext("Assigned to you."),
        )  # fmt: skip
        return self._back(claim)

    def start_review_view(self, request, object_id):
        claim, refused = self._workflow_claim(request, object_id)
        if refused:
            return refused
        self.run_service(
            request, services.start_review, claim=claim, by=request.user, success=gettext("Review started.")
        )
        return self._back(claim)

    def similar_view(self, request):
        """Similar claims for the text typed so far (the add form asks as the reviewer types)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        exclude = request.GET.get("exclude")
        results = similar_claims(request.GET.get("text", "")[:2000], exclude_pk=int(exclude) if exclude else None)
        return JsonResponse(
            {
                "results": [
                    {
                        "text": item.text,
                        "status": item.status_label,
                        "score": item.score,
                        "likely_duplicate": item.likely_duplicate,
                        "match_class": item.match_class,
                        "reason": item.reason,
                        "url": reverse("admin:claims_claim_change", args=[item.pk]),
                    }
                    for item in results
                ]
            }
        )

    # --- Bulk actions (each claim through the service; refusals are reported, not fatal) ------

    @admin.action(description=_("Assign selected claims to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        user = request.user
        self._bulk(
            request,
            queryset,
            lambda n: (
                ngettext("Assigned to you: %(count)d claim.", "Assigned to you: %(count)d claims.", n) % {"count": n}
            ),
            lambda c: services.assign_claim(claim=c, reviewer=user, by=user),
        )

    @admin.action(description=_("Start review of selected new claims"), permissions=["change"])
    def start_review(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda n: (
                ngettext("Review started: %(count)d claim.", "Review started: %(count)d claims.", n) % {"count": n}
            ),
            lambda c: services.start_review(claim=c, by=request.user),
        )

    @admin.action(description=_("Unassign selected claims"), permissions=["change"])
    def unassign(self, request, queryset):
        user = request.user
        self._bulk(
            request,
            queryset,
            lambda n: ngettext("Unassigned: %(count)d claim.", "Unassigned: %(count)d claims.", n) % {"count": n},
            lambda c: services.assign_claim(claim=c, reviewer=None, by=user),
        )

    @admin.action(description=_("Assign selected claims to the chosen reviewer"), permissions=["assign"])
    def assign_to_chosen(self, request, queryset):
        chosen = request.POST.get("assignee", "")
        reviewer = reviewer_users().filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if reviewer is None:
            self.message_user(request, gettext("Choose a reviewer next to the action first."), messages.ERROR)
            return
        user = request.user
        name = reviewer.get_username()
        self._bulk(
            request,
            queryset,
            lambda n: (
                ngettext("Assigned to %(reviewer)s: %(count)d claim.", "Assigned to %(reviewer)s: %(count)d claims.", n)
                % {"reviewer": name, "count": n}
            ),
            lambda c: services.assign_claim(claim=c, reviewer=reviewer, by=user),
        )

    def has_assign_permission(self, request):
        """Assigning claims to someone else is for editors (services.assign_claim)."""
        return services.is_editor(request.user)
