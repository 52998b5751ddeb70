"""The app's URLs plus two benchmark-only views: a trivial one (the HTTP floor) and the naive list."""

from django.http import HttpResponse
from django.urls import path

from bench.naive import NaiveClaimList
from factcheck.urls import urlpatterns as app_urlpatterns


def trivial(request):
    """The least a Django view can do, through the same middleware: the floor for served pages."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/naive/claims/", NaiveClaimList.as_view(), name="bench-naive-claims"),
    # Appended, not include()d: the app's reader URLs are i18n_patterns, which Django allows only
    # in the root URLconf.
    *app_urlpatterns,
]
