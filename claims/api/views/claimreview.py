"""The schema.org DataFeed of every published ClaimReview, streamed in constant memory."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from claims import selectors
from claims.api.filtersets import reader_language
from claims.api.renderers import JSONLDRenderer, ORJSONRenderer
from claims.api.views.base import RATING_LANGUAGE_PARAMETER


class DataFeedView(APIView):
    """All published reviews as one schema.org DataFeed (what Google Fact Check tools and Data
    Commons read). Only published verdicts of public claims appear; the body is streamed."""

    permission_classes = [AllowAny]
    renderer_classes = [ORJSONRenderer, JSONLDRenderer]

    @extend_schema(
        summary="schema.org DataFeed of all published ClaimReviews",
        parameters=[RATING_LANGUAGE_PARAMETER],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="A schema.org DataFeed (JSON-LD)"),
            304: OpenApiResponse(description="Unchanged since the If-Modified-Since date (Last-Modified)"),
        },
    )
    def get(self, request, *args, **kwargs):
        modified = selectors.datafeed_last_modified()
        last_modified = int(modified.timestamp()) if modified else None
        unchanged = get_conditional_response(request, last_modified=last_modified)
        if unchanged is not None:  # 304: the aggregator's copy is current, nothing is streamed
            return unchanged
        media_type = request.accepted_renderer.media_type
        # Ratings named in the reader's language (`?language=`, else Accept-Language), fixed now:
        # the body is written after this returns.
        language = reader_language(request) or get_language()
        response = StreamingHttpResponse(
            selectors.stream_datafeed(request=request, date_modified=modified, language=language),
            content_type=f"{media_type}; charset=utf-8",
        )
        response["Content-Disposition"] = 'inline; filename="claimreview-feed.json"'
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        return response
