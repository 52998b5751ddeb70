"""Request parsing with a body-size limit.

DRF reads the request stream itself, bypassing Django's DATA_UPLOAD_MAX_MEMORY_SIZE check, so
this parser enforces it: a body over the limit is refused with 413 before it is decoded.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

from claims.api.exceptions import NON_FIELD, PayloadTooLarge
from factcheck.middleware import NUL_MESSAGE


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        try:
            if declared and int(declared) > limit:
                raise PayloadTooLarge()
        except ValueError:
            raise ParseError(_("Invalid Content-Length header.")) from None
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
            data = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        where = _nul_path(data)
        if where is not None:
            raise ValidationError({where or NON_FIELD: [NUL_MESSAGE]})
        return data


def _nul_path(data, path="") -> str | None:
    """Where a NUL character sits in parsed JSON ("evidence.0.url"; "" for the top level): no text
    column in PostgreSQL can hold one. Iterative, so a deep body costs no recursion."""
    stack = [(data, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return where
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{where}.{key}" if where else key
                if "\x00" in key:
                    return name.replace("\x00", "\\x00")
                stack.append((item, name))
        elif isinstance(value, list):
            stack.extend((item, f"{where}.{index}" if where else str(index)) for index, item in enumerate(value))
    return None


def _reject_constant(name: str):
    """NaN and Infinity are not JSON; refuse them rather than store them."""
    raise ValueError(f"{name} is not a valid JSON value")
