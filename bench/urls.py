"""The app's URLs plus two benchmark-only views: a trivial one (the HTTP floor) and the naive list."""

from django.http import HttpResponse
from django.urls import include, path

from bench.naive import NaiveClaimList


def trivial(request):
    """The least a Django view can do, through the same middleware: the floor for served pages."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/naive/claims/", NaiveClaimList.as_view(), name="bench-naive-claims"),
    path("", include("factcheck.urls")),
]
