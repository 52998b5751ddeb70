"""Reader site URLs."""

from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
    path("measures/<slug:slug>/", views.measure_detail, name="measure-detail"),
]
