from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from claims.admin_ingest import import_urlpatterns
from claims.ingest.api import ClaimReviewImportView

urlpatterns = [
    path("admin/ingest-article/", include("claims.admin_ingest")),
    path("admin/import-claimreview/", include(import_urlpatterns)),
    path("api/v1/import/claimreview/", ClaimReviewImportView.as_view(), name="claimreview-import"),
    path("admin/", admin.site.urls),
    # Swagger UI with its initialisation script served as a file (?script), not inline, so that it
    # runs under the Content-Security-Policy (script-src 'self'). Listed before the API's own routes.
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="api-docs"),
    path("api/v1/", include("claims.api.urls", namespace="api")),
    path("", include("claims.urls")),
]

handler500 = "factcheck.views.server_error"
