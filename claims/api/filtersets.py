"""django-filter FilterSets for every list, NetBox-style: `<Model>FilterSet`, slug filters, `q`.

Related-object filters validate against what the *requesting user* may see, so naming an
unpublished source or measure answers the same 400 as naming one that does not exist: filters
cannot be used to infer hidden rows. Unknown choice values answer 400 with the field's message.
"""

from __future__ import annotations

import functools

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.widgets import SuffixedMultiWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from claims.choices import (
    ArticleKind,
    ClaimStatus,
    ConflictState,
    Qualifier,
    Rank,
    SourceKind,
    VerdictStatus,
    Voice,
)
from claims.matching.language import normalise_language
from claims.models import (
    Appearance,
    Article,
    Claim,
    Evidence,
    Figure,
    Measure,
    RatingLevel,
    Source,
    Topic,
    Verdict,
)
from claims.querysets import visibility_key

_VISIBLE: dict[tuple, QuerySet] = {}


def _visible(model):
    """A per-request queryset for ModelChoiceFilters: only rows this user may see are valid.
    Building a visibility-scoped queryset costs more than the rest of a FilterSet, and it depends
    on the user's visibility alone (`visibility_key`): each is built once per process, never
    evaluated, and every request gets its own copy (`all()`)."""

    def queryset(request):
        if request is None:
            return model.objects.none()
        manager = model.objects
        if not hasattr(manager, "visible_to"):
            return manager.all()
        key = (model, visibility_key(request.user))
        template = _VISIBLE.get(key)
        if template is None:
            template = _VISIBLE[key] = manager.visible_to(request.user)
        return template.all()

    return queryset


class StrictBooleanField(forms.NullBooleanField):
    """true/false/1/0 (any case); anything else is an error instead of silently "no filter"."""

    widget = forms.TextInput  # the default select widget turns unknown values into None

    def to_python(self, value):
        if value in (None, ""):
            return None
        folded = str(value).strip().lower()
        if folded in ("true", "1", "yes"):
            return True
        if folded in ("false", "0", "no"):
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(filters.ModelChoiceFilter):
    """A related object named by slug (declared as a string in the OpenAPI document)."""


@extend_schema_field(OpenApiTypes.STR)
class SlugMultipleChoiceFilter(filters.ModelMultipleChoiceFilter):
    """Several related objects named by slug (repeat the parameter)."""


# Query parameters that pagination, ordering and content negotiation read: never a filter.
NOT_FILTER_PARAMETERS = frozenset({"cursor", "page", "page_size", "ordering", "format"})


class FilterBackend(DjangoFilterBackend):
    """django-filter over the filters the request names, and skipped when it names none (most
    reads): a FilterSet copies each of its filters and builds a form field for each, so one of all
    the claim filters cost several milliseconds for a form with one value (`q`) to validate. The
    filters not named have nothing to filter by, so the result is the same."""

    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        params = request.query_params.keys() - NOT_FILTER_PARAMETERS
        named = frozenset(
            name
            for name in filterset_class.base_filters
            if any(param == name or param.startswith(f"{name}_") for param in params)  # `first_seen_after`
        )
        return _narrowed(filterset_class, named)(**self.get_filterset_kwargs(request, queryset, view))

    def filter_queryset(self, request, queryset, view):
        filterset = self.validated_filterset(request, queryset, view)
        return queryset if filterset is None else filterset.qs

    def validated_filterset(self, request, queryset, view):
        """The view's FilterSet over the request, validated (a 400 under the parameters sent), or
        None when the request names no filter."""
        if not request.query_params.keys() - NOT_FILTER_PARAMETERS:
            return None
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None and not filterset.is_valid():
            raise ValidationError(parameter_errors(filterset, request.query_params))
        return filterset


@functools.lru_cache(maxsize=256)
def _narrowed(filterset_class, named: frozenset):
    """`filterset_class` with only the filters `named` (a subclass, made once per set of names)."""
    narrowed = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    narrowed.base_filters = {name: f for name, f in filterset_class.base_filters.items() if name in named}
    return narrowed


def parameter_errors(filterset, params) -> dict:
    """The filter form's errors under the query parameters the caller sent: a range filter's form
    field is `first_seen`, but the parameters are `first_seen_after` and `first_seen_before`."""
    errors = {}
    for name, messages in filterset.errors.items():
        field = filterset.form.fields.get(name)
        widget = getattr(field, "widget", None)
        if not isinstance(widget, SuffixedMultiWidget):
            errors[name] = messages
            continue
        sent = [(index, widget.suffixed(name, suffix)) for index, suffix in enumerate(widget.suffixes)]
        sent = [(index, parameter) for index, parameter in sent if parameter in params]
        for index, parameter in sent:
            try:
                field.fields[index].clean(params[parameter])
            except forms.ValidationError as error:
                errors[parameter] = error.messages
        if not any(parameter in errors for _index, parameter in sent):  # the pair together (e.g. an order)
            errors.update({parameter: messages for _index, parameter in sent} or {name: messages})
    return errors


def parse_ordering(raw: str, valid) -> list[str]:
    """`ordering` as its fields ("first_seen,-id" → ["first_seen", "-id"]); an unknown field is a
    400 naming `ordering`, never silently dropped."""
    fields = [field.strip() for field in (raw or "").split(",") if field.strip()]
    valid = set(valid)
    invalid = [field for field in fields if field.lstrip("-") not in valid]
    if invalid:
        raise ValidationError(
            {
                "ordering": [
                    _("Unknown ordering %(invalid)s; choose from %(valid)s.")
                    % {"invalid": ", ".join(invalid), "valid": sorted(valid)}
                ]
            }
        )
    return fields


class StrictOrderingFilter(OrderingFilter):
    """DRF's ordering filter, but an unknown `ordering` value is a 400 instead of being ignored."""

    def get_ordering(self, request, queryset, view):
        valid = [name for name, _label in self.get_valid_fields(queryset, view, {"request": request})]
        fields = parse_ordering(request.query_params.get(self.ordering_param, ""), valid)
        return fields or self.get_default_ordering(view)

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)  # validates
        if getattr(view, "keyset_paginated", False) or not ordering:
            return queryset  # keyset pagination orders by itself
        if not any(field.lstrip("-") == "id" for field in ordering):
            ordering = [*ordering, "id"]  # a stable order for page numbers
        # Empty values (an unscored source) go last in either direction.
        return queryset.order_by(
            *(F(f[1:]).desc(nulls_last=True) if f.startswith("-") else F(f).asc(nulls_last=True) for f in ordering)
        )


def reader_language(request) -> str:
    """The language a reader searches in: `?language=` (a malformed tag is a 400 naming it), else
    the first tag of Accept-Language, else "" (the search then goes by the text's own language)."""
    params = getattr(request, "query_params", request.GET)
    raw = params.get("language", "")
    if raw.strip():
        try:
            return normalise_language(raw, field="language")
        except DjangoValidationError as exc:
            raise ValidationError({"language": exc.message_dict["language"]}) from None
    for tag, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if tag != "*":
            return normalise_language(tag, field=None)
    return ""


class ClaimFilterRules(filters.FilterSet):
    """What each claim filter means, for every list of claims: the API's (`ClaimFilterSet`) and
    the reader site's (claims/views/claims.py), which name and validate their parameters their
    own way and point each filter here (`method=`). A rule gets a cleaned value and is not called
    for an empty one; several values are OR'ed."""

    def search(self, queryset, name, value):
        """Full-text search (`Claim.objects.search`, web-search syntax) in `search_language()`."""
        return queryset.search(value, language=self.search_language())

    def search_language(self) -> str:
        return reader_language(self.request)

    def filter_rating(self, queryset, name, value):
        """Claims whose current published verdict has this rating (a RatingLevel), or any of these."""
        levels = list(value) if isinstance(value, list | tuple | QuerySet) else [value]
        if not levels:  # an empty choice (django-filter passes it to a method): no filter
            return queryset
        # By id: the chosen levels were fetched when the value was checked.
        return queryset.filter(published_verdict__rating_id__in=[level.pk for level in levels])

    def filter_topic(self, queryset, name, value):
        return queryset.filter(Exists(Claim.topics.through.objects.filter(claim=OuterRef("pk"), topic=value)))

    def filter_source(self, queryset, name, value):
        """Claims a source made or carried: as claimant, outlet, author or attributed party."""
        return queryset.involving(value)

    def filter_claimant(self, queryset, name, value):
        return queryset.filter(claimant=value)

    def filter_outlet(self, queryset, name, value):
        """Claims with an appearance in an article of this outlet."""
        return queryset.filter(Exists(Appearance.objects.filter(claim=OuterRef("pk"), article__outlet=value)))

    def filter_measure(self, queryset, name, value):
        """Claims giving a figure (one that counts) about this measure."""
        return queryset.filter(Exists(Figure.objects.counted().filter(appearance__claim=OuterRef("pk"), measure=value)))

    def filter_disputed(self, queryset, name, value: bool):
        """true: claims giving a figure (one that counts) for a disputed measure; false: none.
        A measure's conflict state is assessed over the figures that count, so this reveals
        nothing a reader may not see."""
        disputed = Exists(
            Figure.objects.counted().filter(
                appearance__claim=OuterRef("pk"), measure__conflict_state=ConflictState.DISPUTED
            )
        )
        return queryset.filter(disputed if value else ~disputed)

    def filter_first_seen(self, queryset, name, value: slice):
        """First seen within [start, stop], both days included; either bound may be open."""
        if value.start is not None:
            queryset = queryset.filter(first_seen__gte=value.start)
        if value.stop is not None:
            queryset = queryset.filter(first_seen__lte=value.stop)
        return queryset


class ClaimFilterSet(ClaimFilterRules):
    q = filters.CharFilter(method="search", label="Full-text search (web search syntax: quotes, or, -word)")
    language = filters.CharFilter(
        method="search_language_parameter",
        label="The language of `q` (BCP-47, e.g. pt-BR; default: Accept-Language, then the text's own)",
    )
    rating = SlugMultipleChoiceFilter(
        method="filter_rating",
        to_field_name="slug",
        queryset=RatingLevel.objects.all(),
        label="Current rating (slug; repeat for several)",
    )
    rating_min = filters.NumberFilter(field_name="published_verdict__rating__ordinal", lookup_expr="gte")
    rating_max = filters.NumberFilter(field_name="published_verdict__rating__ordinal", lookup_expr="lte")
    source = SlugChoiceFilter(
        method="filter_source",
        to_field_name="slug",
        queryset=_visible(Source),
        label="Claimant, outlet, author or attributed party",
    )
    claimant = SlugChoiceFilter(method="filter_claimant", to_field_name="slug", queryset=_visible(Source))
    outlet = SlugChoiceFilter(
        method="filter_outlet", to_field_name="slug", queryset=_visible(Source), label="Outlet of an appearance"
    )
    topic = SlugChoiceFilter(method="filter_topic", to_field_name="slug", queryset=Topic.objects.all())
    measure = SlugChoiceFilter(
        method="filter_measure", to_field_name="slug", queryset=_visible(Measure), label="Has a figure about"
    )
    first_seen = filters.DateFromToRangeFilter(
        method="filter_first_seen", label="First seen (first_seen_after, first_seen_before)"
    )
    published = filters.DateFromToRangeFilter(
        field_name="published_verdict__published_at__date", label="Current verdict published (published_after/before)"
    )
    disputed = BooleanFilter(method="filter_disputed", label="Has a figure about a disputed measure")
    has_verdict = BooleanFilter(
        field_name="published_verdict", lookup_expr="isnull", exclude=True, label="Has a current published verdict"
    )
    status = filters.MultipleChoiceFilter(choices=ClaimStatus.choices, label="Workflow status (staff see all)")
    assigned_to_me = BooleanFilter(method="filter_assigned_to_me", label="Assigned to the requesting user")

    class Meta:
        model = Claim
        fields = [
            "q",
            "rating",
            "source",
            "claimant",
            "outlet",
            "topic",
            "measure",
            "first_seen",
            "published",
            "status",
        ]

    def search_language_parameter(self, queryset, name, value):
        return queryset  # read by `search` (with Accept-Language, through reader_language)

    def filter_assigned_to_me(self, queryset, name, value):
        if value is None:
            return queryset
        user = self.request.user if self.request is not None else None
        if user is None or not user.is_authenticated:
            return queryset.none() if value else queryset
        return queryset.filter(assigned_to=user) if value else queryset.exclude(assigned_to=user)


class SourceFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    kind = filters.MultipleChoiceFilter(choices=SourceKind.choices)
    country = filters.CharFilter(method="filter_country", label="ISO 3166-1 alpha-2 code")
    score_min = filters.NumberFilter(field_name="credibility_score", lookup_expr="gte", min_value=0, max_value=1)
    score_max = filters.NumberFilter(field_name="credibility_score", lookup_expr="lte", min_value=0, max_value=1)
    has_score = BooleanFilter(field_name="credibility_score", lookup_expr="isnull", exclude=True)
    domain = filters.CharFilter(field_name="domain", lookup_expr="iexact")

    class Meta:
        model = Source
        fields = ["q", "kind", "country", "score_min", "score_max", "has_score", "domain"]

    def filter_country(self, queryset, name, value):
        if len(value) != 2 or not value.isalpha():
            raise ValidationError({"country": [_("Use a two-letter ISO 3166-1 code, e.g. AZ.")]})
        return queryset.filter(country=value.upper())


class ArticleFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title contains")
    outlet = filters.ModelChoiceFilter(field_name="outlet", to_field_name="slug", queryset=_visible(Source))
    author = filters.ModelChoiceFilter(field_name="authors", to_field_name="slug", queryset=_visible(Source))
    kind = filters.MultipleChoiceFilter(choices=ArticleKind.choices)
    language = filters.CharFilter()
    published_on = filters.DateFromToRangeFilter(label="published_on_after, published_on_before")
    claim = SlugChoiceFilter(method="filter_claim", to_field_name="slug", queryset=_visible(Claim))

    class Meta:
        model = Article
        fields = ["q", "outlet", "author", "kind", "language", "published_on", "claim"]

    def filter_claim(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Exists(Appearance.objects.filter(article=OuterRef("pk"), claim=value)))


class MeasureFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    disputed = BooleanFilter(method="filter_disputed")
    conflict_state = filters.MultipleChoiceFilter(choices=ConflictState.choices)
    unit = filters.CharFilter()

    class Meta:
        model = Measure
        fields = ["q", "disputed", "conflict_state", "unit"]

    def filter_disputed(self, queryset, name, value):
        if value is None:
            return queryset
        lookup = {"conflict_state": ConflictState.DISPUTED}
        return queryset.filter(**lookup) if value else queryset.exclude(**lookup)


class FigureFilterSet(filters.FilterSet):
    measure = filters.ModelChoiceFilter(field_name="measure", to_field_name="slug", queryset=_visible(Measure))
    claim = filters.ModelChoiceFilter(field_name="appearance__claim", to_field_name="slug", queryset=_visible(Claim))
    qualifier = filters.MultipleChoiceFilter(choices=Qualifier.choices)
    rank = filters.MultipleChoiceFilter(choices=Rank.choices)
    point_in_time = filters.DateFromToRangeFilter(label="point_in_time_after, point_in_time_before")
    proposed = filters.BooleanFilter(help_text="true: measures that ingestion proposed, awaiting a reviewer")

    class Meta:
        model = Figure
        fields = ["measure", "claim", "qualifier", "rank", "point_in_time", "proposed"]


class AppearanceFilterSet(filters.FilterSet):
    claim = filters.ModelChoiceFilter(field_name="claim", to_field_name="slug", queryset=_visible(Claim))
    article = filters.NumberFilter(field_name="article_id")
    outlet = filters.ModelChoiceFilter(field_name="article__outlet", to_field_name="slug", queryset=_visible(Source))
    voice = filters.ChoiceFilter(choices=Voice.choices)

    class Meta:
        model = Appearance
        fields = ["claim", "article", "outlet", "voice"]


class VerdictFilterSet(filters.FilterSet):
    claim = filters.ModelChoiceFilter(field_name="claim", to_field_name="slug", queryset=_visible(Claim))
    rating = SlugMultipleChoiceFilter(
        field_name="rating__slug", to_field_name="slug", queryset=RatingLevel.objects.all()
    )
    status = filters.MultipleChoiceFilter(choices=VerdictStatus.choices)
    published = filters.DateFromToRangeFilter(field_name="published_at__date", label="published_after/before")
    mine = BooleanFilter(method="filter_mine", label="Written by the requesting user")

    class Meta:
        model = Verdict
        fields = ["claim", "rating", "status", "published"]

    def filter_mine(self, queryset, name, value):
        user = self.request.user if self.request is not None else None
        if value is None:
            return queryset
        if user is None or not user.is_authenticated:
            return queryset.none() if value else queryset
        return queryset.filter(author=user) if value else queryset.exclude(author=user)


class EvidenceFilterSet(filters.FilterSet):
    verdict = filters.NumberFilter(field_name="verdict_id")
    claim = filters.ModelChoiceFilter(field_name="verdict__claim", to_field_name="slug", queryset=_visible(Claim))

    class Meta:
        model = Evidence
        fields = ["verdict", "claim"]


class TopicFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Topic
        fields = ["q"]
