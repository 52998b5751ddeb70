from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from claims.admin_ingest import import_urlpatterns
from claims.ingest.api import ClaimReviewImportView

urlpatterns = [
    path("admin/ingest-article/", include("claims.admin_ingest")),
    path("admin/import-claimreview/", include(import_urlpatterns)),
    path("api/v1/import/claimreview/", ClaimReviewImportView.as_view(), name="claimreview-import"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("claims.api.urls", namespace="api")),
    path("api/v1alpha1/", include("claims.api.google_urls", namespace="google")),
    # The language switcher's form is on every reader page, and those pages are cached for all
    # anonymous readers (claims/page_cache.py), so they cannot carry a per-reader CSRF token. A
    # forged POST can only set the language cookie and redirect within this site (set_language
    # checks `next` with url_has_allowed_host_and_scheme).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
]

# Reader pages per language: English at today's URLs, the others under /<code>/ (docs/ARCHITECTURE.md).
urlpatterns += i18n_patterns(path("", include("claims.urls")), prefix_default_language=False)

handler500 = "factcheck.views.server_error"
