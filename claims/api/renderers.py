"""JSON renderers: orjson for `application/json`, and JSON-LD (schema.org ClaimReview) as a content
type (`Accept: application/ld+json` or `.jsonld`)."""

import orjson
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
_FALLBACK = JSONEncoder()  # lazy translations, Decimal, UUID, querysets…: what DRF's encoder does


class ORJSONRenderer(JSONRenderer):
    """DRF's JSONRenderer output (compact, UTF-8, `Z` for UTC) written by orjson, several times
    faster on large pages. An indented response (`; indent=N`) still goes through DRF's encoder."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        body = orjson.dumps(data, default=_FALLBACK.default, option=_OPTIONS)
        # As DRF does: these two are valid JSON but not valid JavaScript string contents.
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body


class JSONLDRenderer(ORJSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class CSVRenderer(ORJSONRenderer):
    """`text/csv` for the CSV export, whose view streams the body itself; what reaches `render` is
    an error answer (throttled, refused), written as JSON so that the client still reads why."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class ContentNegotiation(DefaultContentNegotiation):
    """A `format` (query or suffix) the view does not render is a 406 that says what it does
    render. DRF's default answers 404, as if the resource were missing. There is no browsable API
    (`format=api`): its pages run inline scripts, which the Content-Security-Policy forbids;
    Swagger UI at /api/v1/docs/ is the way to browse."""

    def filter_renderers(self, renderers, format):
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            offered = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise NotAcceptable(
                _("No format %(format)r here (this answers: %(offered)s); browse the API at /api/v1/docs/")
                % {"format": format, "offered": offered}
            )
        return chosen
