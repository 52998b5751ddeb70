"""CSV export of the published record for programs: the same rows as the site's /claims.csv and
`manage.py export_csv`, streamed in constant memory."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from claims.api.renderers import CSVRenderer, ORJSONRenderer
from claims.ingest.csv_export import COLUMNS, stream_csv
from claims.views.claims import csv_response


class ClaimsCsvView(APIView):
    """Every published claim with its current verdict; nothing unpublished, whoever asks."""

    permission_classes = [AllowAny]
    renderer_classes = [CSVRenderer, ORJSONRenderer]

    @extend_schema(
        summary="All published claims with their current verdict, as CSV",
        description="Columns: " + ", ".join(COLUMNS) + ". Streamed; oldest claim first.",
        responses={200: OpenApiResponse(OpenApiTypes.STR, description="text/csv, one row per published claim")},
    )
    def get(self, request, *args, **kwargs):
        return csv_response(stream_csv(site_url=request.build_absolute_uri("/")))
