"""Reader site URLs."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from claims import views
from claims.feeds import LatestVerdictsFeed
from claims.sitemaps import SITEMAPS
from claims.views import tips as tip_views

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims.csv", views.claims_csv, name="claims-csv"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
    path("measures/", views.measure_list, name="measure-list"),
    path("measures/<slug:slug>/", views.measure_detail, name="measure-detail"),
    path("methodology/", views.methodology, name="methodology"),
    path("corrections/", views.corrections, name="corrections"),
    path("tips/", tip_views.tip_form, name="tips"),
    path("tips/confirm/<str:token>/", tip_views.tip_confirm, name="tip-confirm"),
    path("tips/unsubscribe/<str:token>/", tip_views.tip_unsubscribe, name="tip-unsubscribe"),
    path("ratings.css", views.rating_styles, name="rating-styles"),
    path("feed/", LatestVerdictsFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS, "template_name": "claims/sitemap.xml"}, name="sitemap"),
]
