"""REST API routes under /api/v1/ (namespace `api`), the OpenAPI schema and Swagger UI."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from claims.api.views.catalogue import (
    AppearanceViewSet,
    ArticleViewSet,
    EvidenceViewSet,
    FigureViewSet,
    MeasureViewSet,
    RatingLevelViewSet,
    SourceViewSet,
    TopicViewSet,
)
from claims.api.views.claimreview import DataFeedView
from claims.api.views.claims import ClaimViewSet
from claims.api.views.exports import ClaimsCsvView
from claims.api.views.schema import DocsView, SchemaView
from claims.api.views.tips import TipView
from claims.api.views.verdicts import VerdictViewSet
from claims.api.views.webhooks import WebhookViewSet

app_name = "api"

router = DefaultRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("verdicts", VerdictViewSet, basename="verdict")
router.register("sources", SourceViewSet, basename="source")
router.register("articles", ArticleViewSet, basename="article")
router.register("measures", MeasureViewSet, basename="measure")
router.register("figures", FigureViewSet, basename="figure")
router.register("appearances", AppearanceViewSet, basename="appearance")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("ratings", RatingLevelViewSet, basename="ratinglevel")
router.register("topics", TopicViewSet, basename="topic")
router.register("webhooks", WebhookViewSet, basename="webhook")

urlpatterns = [
    path("claimreview/feed/", DataFeedView.as_view(), name="claimreview-feed"),
    path("tips/", TipView.as_view(), name="tips"),
    path("export/claims.csv", ClaimsCsvView.as_view(), name="claims-csv"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
