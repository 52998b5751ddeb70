from django.contrib import admin
from django.urls import include, path

from claims.admin_ingest import import_urlpatterns
from claims.ingest.api import ClaimReviewImportView

urlpatterns = [
    path("admin/ingest-article/", include("claims.admin_ingest")),
    path("admin/import-claimreview/", include(import_urlpatterns)),
    path("api/v1/import/claimreview/", ClaimReviewImportView.as_view(), name="claimreview-import"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("claims.api.urls", namespace="api")),
    path("api/v1alpha1/", include("claims.api.google_urls", namespace="google")),
    path("", include("claims.urls")),
]

handler500 = "factcheck.views.server_error"
