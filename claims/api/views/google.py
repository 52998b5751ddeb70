"""A Google Fact Check Tools–compatible search, `GET /api/v1alpha1/claims:search`: Google's
parameters, answer and error shape, so a program written for Google's API works against this site
by changing its base URL. Published data only, whoever asks: our own reviews under our name, and
imported reviews under their publisher's name, site and label."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import selectors
from claims.api.exceptions import exception_handler
from claims.api.pagination import KeysetCursorPagination
from claims.api.serializers.google import (
    GoogleErrorSerializer,
    GoogleSearchQuerySerializer,
    GoogleSearchResponseSerializer,
)
from claims.ingest.links import domain_of

# google.rpc.Code names by HTTP status (Google's API design guide, "Errors").
GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "UNIMPLEMENTED",
    406: "INVALID_ARGUMENT",
    409: "ABORTED",
    412: "FAILED_PRECONDITION",
    413: "OUT_OF_RANGE",
    415: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
ERROR_KEYS = {"detail", "code", "non_field_errors"}


def _messages(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    return [str(value)]


def google_error(status_code: int, data) -> dict:
    """The project's error answer (`{"detail": ...}` or field → messages) in Google's shape:
    `{"error": {"code", "message", "status"[, "details": [BadRequest with fieldViolations]]}}`."""
    data = data if isinstance(data, dict) else {"detail": data}
    violations = [
        {"field": field, "description": message}
        for field, value in data.items()
        if field not in ERROR_KEYS
        for message in _messages(value)
    ]
    general = _messages(data.get("detail", [])) + _messages(data.get("non_field_errors", []))
    message = "; ".join(general + [f"{v['field']}: {v['description']}" for v in violations]) or _("Request failed.")
    body = {"code": status_code, "message": message, "status": GOOGLE_STATUS.get(status_code, "UNKNOWN")}
    if violations:
        body["details"] = [{"@type": BAD_REQUEST_TYPE, "fieldViolations": violations}]
    return {"error": body}


def google_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is not None:
        response.data = google_error(response.status_code, response.data)
    return response


class GoogleSearchPagination(KeysetCursorPagination):
    """Keyset positions under Google's names; `offset` (bounded) only where no token is given."""

    page_size = 10
    max_page_size = 100
    page_size_query_param = "pageSize"
    cursor_query_param = "pageToken"
    invalid_cursor_message = gettext_lazy("Invalid pageToken: pass the nextPageToken of the previous answer as it is.")
    offset = 0

    def first_row(self, request, cursor) -> int:
        return self.offset if cursor is None else 0

    def next_page_token(self) -> str | None:
        return self._encode_cursor(self.page[-1]) if self.has_next and self.page else None


def _timestamp(value) -> str | None:
    """Google's Timestamp format (RFC 3339, UTC, "Z"); a date is its midnight."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{value.isoformat()}T00:00:00Z"


def _compact(node: dict) -> dict:
    """Google's JSON leaves out unset fields rather than sending null or ""."""
    return {key: value for key, value in node.items() if value not in (None, "")}


def _text(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


class GoogleClaimSearchView(APIView):
    permission_classes = [AllowAny]
    pagination_class = GoogleSearchPagination

    def get_exception_handler(self):
        return google_exception_handler

    def get_keyset_ordering(self, request):
        if request.query_params.get("query", "").strip():
            return "rank", True
        return "first_seen", True

    @extend_schema(
        operation_id="claims_search",
        summary="Search fact-checked claims (Google Fact Check Tools compatible)",
        description=(
            "Google's `claims:search` (v1alpha1): the same parameters, answer and error shape, so a "
            "client of `https://factchecktools.googleapis.com/v1alpha1/claims:search` works here by "
            "changing its base URL. Published claims only, each with its reviews: ours and the ones "
            "imported from other fact-checkers (under their own publisher and rating). Ordered by "
            "relevance with `query`, else newest claim first. `offset` is accepted up to 1000; page "
            "on with `pageToken`."
        ),
        tags=["google"],
        parameters=[GoogleSearchQuerySerializer],
        responses={
            200: GoogleSearchResponseSerializer,
            400: OpenApiResponse(GoogleErrorSerializer, description="A bad parameter (Google's error shape)"),
            429: OpenApiResponse(GoogleErrorSerializer, description="Too many requests (Google's error shape)"),
        },
    )
    def get(self, request, *args, **kwargs):
        params = GoogleSearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        own_site = domain_of(request.build_absolute_uri("/"))
        claims = selectors.fact_checked_claims(
            query=values.get("query", "").strip(),
            language=values.get("languageCode", ""),
            site=values.get("reviewPublisherSiteFilter", ""),
            own_site=own_site,
            max_age_days=values.get("maxAgeDays"),
        )
        paginator = self.pagination_class()
        paginator.offset = values.get("offset", 0)
        page = paginator.paginate_queryset(claims, request, ordering=self.get_keyset_ordering(request))
        body = {"claims": [self._claim(claim, request, own_site) for claim in page]}
        token = paginator.next_page_token()
        if token:
            body["nextPageToken"] = token
        if not body["claims"]:
            body = {}  # Google answers an empty search with an empty object
        return Response(body)

    def _claim(self, claim, request, own_site: str) -> dict:
        claim_url = request.build_absolute_uri(claim.get_absolute_url())
        language = claim.language or settings.FACTCHECK_CLAIMREVIEW_LANGUAGE
        return _compact(
            {
                "text": claim.text,
                "claimant": claim.claimant.name if claim.claimant else None,
                "claimDate": _timestamp(claim.first_seen),
                "claimReview": [self._review(v, claim, claim_url, own_site, language) for v in claim.search_reviews],
            }
        )

    @staticmethod
    def _review(verdict, claim, claim_url: str, own_site: str, language: str) -> dict:
        if verdict.is_imported:
            organisation = verdict.organisation
            publisher = _compact(
                {
                    "name": organisation.name if organisation else None,
                    "site": (organisation.domain or domain_of(organisation.homepage)) if organisation else None,
                }
            )
            url, title = verdict.review_url, _text(verdict.original_headline)
            language = _text(verdict.original_language) or language
        else:
            publisher = {"name": settings.FACTCHECK_ORGANISATION_NAME, "site": own_site}
            url, title = claim_url, claim.text
        return _compact(
            {
                "publisher": publisher,
                "url": url,
                "title": title,
                "reviewDate": _timestamp(verdict.published_at),
                "textualRating": verdict.shown_label,
                "languageCode": language,
            }
        )
