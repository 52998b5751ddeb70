"""Claims: list (keyset cursor, full-text `q` ranked), detail, ClaimReview JSON-LD, writes."""

from __future__ import annotations

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
from claims.api.filtersets import ClaimFilterSet, clean_search_text, reader_language
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


# Query parameters the compiled list path serves; any other (a filter, `ordering`, `format`)
# takes the general path through the filter backends.
COMPILED_LIST_PARAMETERS = frozenset({"cursor", "page_size"})
# A plain search (`q`, its cursor pages and `page_size`) is compiled too.
COMPILED_SEARCH_PARAMETERS = frozenset({"q", "language", "cursor", "page_size"})
COMPILED_DETAIL_PARAMETERS = frozenset()


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
        """Plain rows shaped by `rows.claim_item` (the `ClaimSerializer` shape, without its cost).
        A request with no filter, search or ordering (the common read), and a plain search (`q`
        alone, page after page), run the page query compiled once per process
        (`KeysetCursorPagination.paginate_compiled`): the same SQL, without building a FilterSet
        and compiling the queryset each time."""
        names = request.query_params.keys()
        user = request.user
        plain_search = "q" in names and not names - COMPILED_SEARCH_PARAMETERS
        search_text = clean_search_text(request.query_params["q"]) if plain_search else ""
        if not names - COMPILED_LIST_PARAMETERS:
            field, _descending = self.get_keyset_ordering(request)
            page = self.paginator.paginate_compiled(
                request,
                self,
                ("api-claim-list", visibility_key(user)),
                Claim,
                lambda: rows.claim_list_values(selectors.claim_list(user), field),
            )
        elif search_text:
            page = self.paginator.paginate_compiled(
                request,
                self,
                ("api-claim-search", visibility_key(user)),
                Claim,
                lambda text, language, detected: rows.claim_list_values(
                    selectors.claim_list(user).search(text, language=language, detected=detected), "rank"
                ),
                parameters={
                    "text": (compiled.TEXT, search_text),
                    "language": (compiled.TEXT_2, reader_language(request)),
                    "detected": (compiled.TEXT_3, detect_language(search_text)),
                },
                prepare=False,  # planned with the search text: see `compiled.compiled`
            )
        else:
            queryset = self.filter_queryset(self.get_queryset())
            field, _descending = self.get_keyset_ordering(request)
            page = self.paginate_queryset(rows.claim_list_values(queryset, field))
        urls = rows.UrlMaker(request, self.format_kwarg)
        return self.get_paginated_response([rows.claim_item(row, urls) for row in page])

    def retrieve(self, request, *args, **kwargs):
        """Plain rows shaped by `rows.claim_detail_item` (the `ClaimDetailSerializer` shape)."""
        if request.accepted_renderer.format == JSONLDRenderer.format:
            return self._claimreview_response(self.get_object())
        user = request.user
        slug = kwargs[self.lookup_field]
        if not request.query_params.keys() - COMPILED_DETAIL_PARAMETERS:
            # The common read: each query compiled once per process and visibility (same SQL).
            key = visibility_key(user)

            def claim_row(slug):
                return rows.claim_list_values(selectors.claim_list(user), *rows.CLAIM_DETAIL_EXTRA).filter(slug=slug)[
                    :1
                ]

            found = compiled.compiled(("api-claim-detail", key), claim_row, slug=compiled.TEXT).run(slug=slug)

            def fetch(name, build, claim_id):
                query = compiled.compiled(("api-claim-detail", key, name), build, claim_id=compiled.INT)
                return query.run(claim_id=claim_id)

        else:
            queryset = self.filter_queryset(selectors.claim_list(user)).filter(slug=slug)
            found = list(rows.claim_list_values(queryset, *rows.CLAIM_DETAIL_EXTRA)[:1])
            fetch = None
        if not found:
            raise Http404
        urls = rows.UrlMaker(request, self.format_kwarg)
        data = rows.claim_detail_item(found[0], user=user, urls=urls, staff=can_see_unpublished(user), fetch=fetch)
        return Response(data, headers={"ETag": etag(rows.version_of(found[0]["updated_at"]))})

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
        response = self._detail_response(claim, status.HTTP_201_CREATED)
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
        return self._detail_response(claim, status.HTTP_200_OK)

    def _detail_response(self, claim, code):
        claim = selectors.claim_detail(self.request.user).get(pk=claim.pk)
        self.action = "retrieve"
        data = ClaimDetailSerializer(claim, context=self.get_serializer_context()).data
        return Response(data, status=code, headers={"ETag": etag(services.row_version(claim))})


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
