"""One JSON error shape for every failure, so that no input produces a 500.

DRF already answers its own exceptions; this handler adds the domain ones:
Django `ValidationError` → 400 with field messages, `services.NotAllowed` → 403,
`services.StaleVersion` → 409 (or 412 when the client sent `If-Match`), a database integrity
error → 409, deleting part of the public record (`claims/guards.py`) → 409, a request body over
the limit → 413.
"""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from claims.services import NotAllowed, StaleVersion

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The resource changed since you read it (If-Match does not match the current ETag).")
    default_code = "precondition_failed"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The resource changed since you read it.")
    default_code = "conflict"


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


def django_validation_detail(error: DjangoValidationError) -> dict:
    """Field → list of messages, with `__all__` renamed to DRF's non-field key."""
    if hasattr(error, "error_dict"):
        return {(NON_FIELD if key == "__all__" else key): value for key, value in error.message_dict.items()}
    return {NON_FIELD: error.messages}


def _response(detail, status_code, headers=None) -> Response:
    return Response(detail, status=status_code, headers=headers)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    request = context.get("request")
    if isinstance(exc, StaleVersion):
        used_if_match = bool(request is not None and request.headers.get("If-Match"))
        code = status.HTTP_412_PRECONDITION_FAILED if used_if_match else status.HTTP_409_CONFLICT
        return _response(
            {"detail": str(exc), "code": "stale_version", "current_version": exc.current},
            code,
            headers={"ETag": f'"{exc.current}"'},
        )
    if isinstance(exc, NotAllowed):
        return _response({"detail": str(exc) or gettext("You may not do this."), "code": "permission_denied"}, 403)
    if isinstance(exc, DjangoValidationError):
        return _response(django_validation_detail(exc), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ProtectedError):  # claims/guards.py: part of the public record
        return _response({"detail": exc.args[0], "code": "protected"}, status.HTTP_409_CONFLICT)
    if isinstance(exc, RequestDataTooBig):
        return _response({"detail": str(PayloadTooLarge.default_detail), "code": "payload_too_large"}, 413)
    if isinstance(exc, IntegrityError):
        logger.info("API integrity error: %s", exc)
        return _response(
            {
                "detail": gettext("This conflicts with existing data (a unique or consistency rule)."),
                "code": "conflict",
            },
            status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DataError):
        logger.info("API data error: %s", exc)
        return _response({"detail": gettext("A value is out of range or malformed."), "code": "invalid"}, 400)
    return None
