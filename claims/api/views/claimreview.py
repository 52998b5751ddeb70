"""The schema.org DataFeed of every published ClaimReview, streamed in constant memory."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from claims import selectors
from claims.api.renderers import JSONLDRenderer, ORJSONRenderer


class DataFeedView(APIView):
    """All published reviews as one schema.org DataFeed (what Google Fact Check tools and Data
    Commons read). Only published verdicts of public claims appear; the body is streamed."""

    permission_classes = [AllowAny]
    renderer_classes = [ORJSONRenderer, JSONLDRenderer]

    @extend_schema(
        summary="schema.org DataFeed of all published ClaimReviews",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A schema.org DataFeed (JSON-LD)")},
    )
    def get(self, request, *args, **kwargs):
        media_type = request.accepted_renderer.media_type
        response = StreamingHttpResponse(
            selectors.stream_datafeed(request=request), content_type=f"{media_type}; charset=utf-8"
        )
        response["Content-Disposition"] = 'inline; filename="claimreview-feed.json"'
        return response
