"""The OpenAPI document and its Swagger UI page."""

from __future__ import annotations

import threading

from django.http import HttpResponse
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# drf-spectacular resolves its extension classes lazily, on the first build, by rewriting class
# attributes in place: two threads building at once see each other's half-done work (an
# AttributeError, so a 500). Builds are rare, so each runs alone in its process.
_schema_build = threading.Lock()


class SchemaView(SpectacularAPIView):
    def _get_schema_response(self, request):
        with _schema_build:
            return super()._get_schema_response(request)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its initialisation script served as a file (`?script`), not inline, so that
    it runs under the Content-Security-Policy (script-src 'self')."""

    def options(self, request, *args, **kwargs):
        """The page has no metadata to describe; DRF's default would render it through the
        page's HTML template, which names no template for metadata (a 500)."""
        response = HttpResponse(status=200)
        response["Allow"] = ", ".join(self.allowed_methods)
        return response
