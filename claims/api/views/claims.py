"""Claims: list (keyset cursor, full-text `q` ranked), detail, ClaimReview JSON-LD, writes."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from claims import compiled, selectors, services
from claims.api import rows
from claims.api.exceptions import django_validation_detail
from claims.api.filtersets import ClaimFilterSet, FilterBackend, reader_language
from claims.api.renderers import JSONLDRenderer, ORJSONRenderer
from claims.api.serializers.matching import MatchQuerySerializer, MatchResponseSerializer
from claims.api.serializers.read import ClaimDetailSerializer, ClaimSerializer
from claims.api.serializers.write import ClaimUpdateSerializer, ClaimWriteSerializer
from claims.api.views.base import (
    IF_MATCH_PARAMETER,
    RATING_LANGUAGE_PARAMETER,
    KeysetViewSet,
    etag,
    expected_version,
)
from claims.api.views.merging import ClaimMergeMixin
from claims.matching.language import detect_language
from claims.models import Claim
from claims.querysets import can_see_unpublished, visibility_key

CLAIMREVIEW_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.OBJECT, description="schema.org ClaimReview (JSON-LD) of the claim's published verdict."
)


SEARCH_PARAMETERS = ("text", "language", "detected")
EMPTY = ([], (), {}, "", None)  # django-filter's empty values: the filter is not applied


def _frozen(value):
    """A cleaned filter value as part of a compiled query's key: rows by model and id."""
    if isinstance(value, QuerySet):  # the chosen rows, which the form's check fetched already
        value = [] if value.query.is_empty() else list(value)
    if isinstance(value, Model):
        return (value._meta.label, value.pk)
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, slice):  # a date range
        return ("range", value.start, value.stop)
    return value


class ClaimFilters:
    """A request's claim filters, validated once through `ClaimFilterSet` (a 400 names the bad
    parameter), with the search (`q`: its text, the reader's language, the text's own) held apart:
    its values are parameters of the compiled query, the other filters' values part of its key."""

    def __init__(self, filterset=None, search: tuple[str, str, str] | None = None):
        self.filterset = filterset
        self.search = search
        cleaned = {} if filterset is None else filterset.form.cleaned_data
        self.key = tuple(
            sorted((name, _frozen(value)) for name, value in cleaned.items() if name != "q" and value not in EMPTY)
        )
        if any(name == "assigned_to_me" and value is not None for name, value in cleaned.items()):
            self.key += (("user", filterset.request.user.pk),)

    @classmethod
    def of(cls, request, view) -> ClaimFilters:
        filterset = FilterBackend().validated_filterset(request, Claim.objects.none(), view)
        text = "" if filterset is None else filterset.form.cleaned_data.get("q") or ""
        if not text:
            return cls(filterset)
        return cls(filterset, (text, reader_language(request), detect_language(text) or ""))

    @classmethod
    def none(cls) -> ClaimFilters:
        return cls()

    def parameters(self) -> tuple[dict, dict]:
        """The search's markers and values for `compiled.compiled` and `run`."""
        if not self.search:
            return {}, {}
        markers = dict(zip(SEARCH_PARAMETERS, (compiled.TEXT, compiled.TEXT_2, compiled.TEXT_3), strict=True))
        return markers, dict(zip(SEARCH_PARAMETERS, self.search, strict=True))

    def apply(self, queryset, **search):
        """The filters, then the search: the request's own, or `search` (text, language, detected)."""
        if self.filterset is not None:
            for name, value in self.filterset.form.cleaned_data.items():
                if name != "q":
                    queryset = self.filterset.filters[name].filter(queryset, value)
        if not search and self.search:
            search = dict(zip(SEARCH_PARAMETERS, self.search, strict=True))
        if search:
            queryset = queryset.search(search["text"], language=search["language"], detected=search["detected"])
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="List claims",
        description=(
            "Published claims (staff also see new and in-review ones), newest first. `q` is a full-text "
            "search (web-search syntax) ordered by relevance; `ordering` accepts first_seen, id, created_at "
            "and, with `q`, rank. Paginated by opaque cursors."
        ),
    ),
    retrieve=extend_schema(
        summary="A claim with appearances, figures, verdict history and evidence",
        description=(
            "With `Accept: application/ld+json` (or the `.jsonld` suffix) the answer is the claim's "
            "schema.org ClaimReview instead."
        ),
        responses={200: ClaimDetailSerializer, (200, "application/ld+json"): CLAIMREVIEW_RESPONSE},
    ),
)
class ClaimViewSet(ClaimMergeMixin, KeysetViewSet):
    lookup_field = "slug"
    filterset_class = ClaimFilterSet
    ordering_fields = ["first_seen", "id", "created_at", "rank"]
    default_keyset_ordering = ("first_seen", True)

    def get_renderers(self):
        renderers = [ORJSONRenderer()]
        if self.action in ("retrieve", "claimreview"):
            renderers.append(JSONLDRenderer())
        return renderers

    def selector(self, user):
        if self.action in ("retrieve", "claimreview"):
            return selectors.claim_detail(user)
        return selectors.claim_list(user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ClaimDetailSerializer
        if self.action == "create":
            return ClaimWriteSerializer
        if self.action == "partial_update":
            return ClaimUpdateSerializer
        return ClaimSerializer

    def get_keyset_ordering(self, request):
        searching = bool(request.query_params.get("q", "").strip())
        field, descending = super().get_keyset_ordering(request)
        if not request.query_params.get("ordering", "").strip() and searching:
            return "rank", True
        if field == "rank" and not searching:
            raise ValidationError({"ordering": [_("Ordering by rank needs a search (`q`).")]})
        return field, descending

    def list(self, request, *args, **kwargs):
        """Visible claims → the validated filters and search → the row projection → one keyset
        page → `rows.claim_item` per row. The page query is compiled once per shape
        (`claims/compiled.py`): the cursor position and the search text are its parameters."""
        user = request.user
        filters = ClaimFilters.of(request, self)
        field, descending = self.get_keyset_ordering(request)
        position = self.paginator.position(request, Claim, field, descending)
        markers, values = filters.parameters()
        if position.kind != "first":
            markers["pk"], values["pk"] = compiled.INT, position.pk
        if position.kind == "after":
            markers["value"], values["value"] = compiled.marker_for(position.value), position.value

        def build(pk=None, value=None, **search):
            queryset = filters.apply(selectors.claim_list(user), **search)
            return self.paginator.page_queryset(rows.claim_list_values(queryset, field), position, value=value, pk=pk)

        key = (
            "claim-list", visibility_key(user), filters.key, field, descending,
            position.kind, type(position.value), position.size,
        )  # fmt: skip
        query = compiled.compiled(key, build, prepare=not filters.search, **markers)
        page = self.paginator.take(query.run(**values))
        urls = rows.UrlMaker(request, self.format_kwarg)
        return self.get_paginated_response([rows.claim_item(row, urls) for row in page])

    def retrieve(self, request, *args, **kwargs):
        """The claim's row and its three parts (`rows.claim_detail_item`); with the JSON-LD
        renderer chosen, its ClaimReview instead."""
        if request.accepted_renderer.format == JSONLDRenderer.format:
            return self._claimreview_response(self.get_object())
        return self._detail_response(kwargs[self.lookup_field], ClaimFilters.of(request, self))

    def _detail_response(self, slug, filters=None, code=status.HTTP_200_OK):
        """The detail of the claim `slug` if the user may see it (and it passes the filters), or
        a 404: what `retrieve` answers, and what a write answers with. Each of its four queries is
        compiled once per shape; the slug and then the claim's id are their parameters."""
        user = self.request.user
        filters = filters or ClaimFilters.none()
        key = ("claim-detail", visibility_key(user), filters.key, filters.search)

        def claim_row(slug):
            queryset = filters.apply(selectors.claim_list(user))
            return rows.claim_list_values(queryset, *rows.CLAIM_DETAIL_EXTRA).filter(slug=slug)[:1]

        found = compiled.compiled(key, claim_row, slug=compiled.TEXT).run(slug=slug)
        if not found:
            raise Http404

        def fetch(name, build, claim_id):
            part = compiled.compiled(("claim-detail", visibility_key(user), name), build, claim_id=compiled.INT)
            return part.run(claim_id=claim_id)

        urls = rows.UrlMaker(self.request, self.format_kwarg)
        staff = can_see_unpublished(user)
        data = rows.claim_detail_item(found[0], user=user, urls=urls, staff=staff, fetch=fetch)
        return Response(data, status=code, headers={"ETag": etag(rows.version_of(found[0]["updated_at"]))})

    @extend_schema(
        summary="The claim as schema.org ClaimReview (JSON-LD)",
        parameters=[RATING_LANGUAGE_PARAMETER],
        responses={200: CLAIMREVIEW_RESPONSE, 404: OpenApiResponse(description="No published verdict")},
    )
    @action(detail=True, methods=["get"], url_path="claimreview")
    def claimreview(self, request, *args, **kwargs):
        return self._claimreview_response(self.get_object())

    def _claimreview_response(self, claim):
        # The rating is named in the reader's language (`?language=`, else Accept-Language).
        language = reader_language(self.request) or None
        document = selectors.claimreview_for_claim(claim, request=self.request, language=language)
        if document is None:
            return Response(
                {"detail": _("This claim has no published verdict, so there is no ClaimReview.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(document, content_type=JSONLDRenderer.media_type)

    @extend_schema(
        summary="Claims matching a text, however worded and in whatever language",
        description=(
            "Ranked claims for `text`: lexical (full-text) and semantic (multilingual sentence "
            "embedding) candidates fused by reciprocal rank. Each has a class with its reason: "
            "`same` (likely the same claim), `related-different-figure` (close, but another number "
            "or another named place: never called the same), `related`. Anonymous callers and "
            "readers match published claims only."
        ),
        parameters=[MatchQuerySerializer],
        responses={200: MatchResponseSerializer, 400: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"], url_path="match")
    def match(self, request, *args, **kwargs):
        from claims.matching.ranking import match_claims

        query = MatchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text = query.validated_data["text"]
        language, found = match_claims(
            text,
            queryset=Claim.objects.visible_to(request.user),
            language=query.validated_data.get("language") or None,
            limit=query.validated_data["limit"],
        )
        urls = rows.UrlMaker(request, self.format_kwarg)
        results = [_match_item(item, urls) for item in found]
        return Response({"text": " ".join(text.split()), "language": language, "results": results})

    @extend_schema(
        summary="Create a claim (reviewers)",
        description=(
            "Existing claims likely saying the same (see `claims/match/`) are looked up first: if any, "
            "the claim is refused with 409, `duplicates` listing them, unless `allow_duplicate` is true; "
            "the created claim's answer lists them as `likely_duplicates`."
        ),
        responses={201: ClaimDetailSerializer, 409: OpenApiTypes.OBJECT},
    )
    def create(self, request, *args, **kwargs):
        serializer = ClaimWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        allow_duplicate = data.pop("allow_duplicate", False)
        urls = rows.UrlMaker(request, self.format_kwarg)
        try:
            claim = services.create_claim(
                by=request.user, check_duplicates=True, allow_duplicate=allow_duplicate, **data
            )
        except services.DuplicateClaim as refused:
            detail = django_validation_detail(refused)
            detail |= {"code": "duplicate", "duplicates": [_match_item(item, urls) for item in refused.matches]}
            return Response(detail, status=status.HTTP_409_CONFLICT)
        response = self._detail_response(claim.slug, code=status.HTTP_201_CREATED)
        response.data["likely_duplicates"] = [_match_item(item, urls) for item in claim.likely_duplicates]
        return response

    @extend_schema(
        summary="Update a claim (reviewers)",
        parameters=[IF_MATCH_PARAMETER],
        responses={200: ClaimDetailSerializer, 409: OpenApiTypes.OBJECT, 412: OpenApiTypes.OBJECT},
    )
    def partial_update(self, request, *args, **kwargs):
        claim = self.get_object()
        serializer = ClaimUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = expected_version(request, changes.pop("version", None))
        claim = services.update_claim(claim=claim, by=request.user, expected_version=version, **changes)
        return self._detail_response(claim.slug)


def _match_item(item, urls) -> dict:
    """One `MatchSerializer` entry (claims/api/serializers/matching.py) from a ranking `Match`."""
    return {
        "claim": {
            "url": urls("api:claim-detail", item.slug, formatted=True),
            "slug": item.slug,
            "text": item.text,
            "language": item.language,
            "status": item.status,
        },
        "score": item.score,
        "similarity": item.similarity,
        "match_class": item.match_class,
        "label": item.label,
        "reason": item.reason,
        "lexical_rank": item.lexical_rank,
        "semantic_rank": item.semantic_rank,
    }
