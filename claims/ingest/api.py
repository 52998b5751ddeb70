"""Staff endpoint to import ClaimReview: POST a file (multipart field ``file``) or a JSON /
JSON Lines body to /api/v1/import/claimreview/.

Editors only (importing publishes verdicts). The input is the request itself, never a server
path. Answers 200 with the import report, 400 when the file as a whole is malformed (nothing is
written), 413 when it is larger than FACTCHECK_IMPORT_MAX_BYTES.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.claimreview import ClaimReviewFileError
from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.services import is_editor

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def max_import_bytes() -> int:
    """The largest upload the web import takes (the API and the admin page alike); bigger files
    go through `manage.py import_claimreview`, which streams from disk."""
    return getattr(settings, "FACTCHECK_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


class IsEditor(BasePermission):
    message = "Only editors may import ClaimReview: importing publishes verdicts."

    def has_permission(self, request, view):
        return is_editor(request.user)


class RawBodyParser(BaseParser):
    """Keep a JSON / JSON Lines body as bytes: the importer streams and validates it itself."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""


class ClaimReviewImportView(APIView):
    permission_classes = [IsEditor]
    parser_classes = [MultiPartParser, RawBodyParser]

    @extend_schema(
        summary="Import ClaimReview (single, list, DataFeed, Fact Check Tools response or JSON Lines)",
        request={
            "application/json": OpenApiTypes.OBJECT,
            "application/x-ndjson": OpenApiTypes.STR,
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
        },
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Import report: created, updated, skipped…"),
            400: OpenApiResponse(description="Malformed file: nothing was imported"),
            403: OpenApiResponse(description="Not an editor"),
            413: OpenApiResponse(description="Upload too large"),
        },
    )
    def post(self, request, *args, **kwargs):
        limit = max_import_bytes()
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:  # multipart framing
            return _too_large(limit)
        upload = request.FILES.get("file") if hasattr(request, "FILES") else None
        if upload is not None:
            if upload.size > limit:
                return _too_large(limit)
            source = ImportInput.from_seekable(upload.name or "upload", upload.file)
        else:
            body = request.data if isinstance(request.data, bytes) else b""
            if not body.strip():
                raise ParseError("Send a ClaimReview JSON or JSON Lines body, or a multipart 'file'.")
            if len(body) > limit:
                return _too_large(limit)
            content_type = request.content_type or ""
            name = "body.jsonl" if "ndjson" in content_type or "jsonl" in content_type else "body"
            source = ImportInput.from_bytes(name, body)
        try:
            report = import_claimreview([source], by=request.user)
        except ClaimReviewFileError as error:
            return Response({"detail": f"Nothing imported: {error}"}, status=status.HTTP_400_BAD_REQUEST)
        return Response(report.as_dict())


def _too_large(limit: int) -> Response:
    return Response(
        {"detail": f"The file is larger than {limit} bytes; import it with `manage.py import_claimreview`."},
        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


__all__ = ["ClaimReviewImportView"]
