"""Google Fact Check Tools–compatible routes, under /api/v1alpha1/ as Google serves them."""

from django.urls import path

from claims.api.views.google import GoogleClaimSearchView

app_name = "google"

urlpatterns = [
    path("claims:search", GoogleClaimSearchView.as_view(), name="claims-search"),
]
