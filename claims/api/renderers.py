"""JSON-LD (schema.org ClaimReview) as a content type: `Accept: application/ld+json` or `.jsonld`."""

from rest_framework.renderers import JSONRenderer


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
