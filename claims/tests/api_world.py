"""A small data set for the API tests: one public claim and one hidden (in review) claim, each with
its own claimant, outlet, article, measure and figure, so that a leak of the hidden one shows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import services
from claims.models import Article, Claim, Figure, Measure, Source, Verdict
from claims.tests import factories

# conftest.py resets the throttle counters for every test; the name stays importable here for test
# files that still import it (importing it changes nothing).
from conftest import _fresh_throttle_counts  # noqa: F401


@dataclass
class World:
    public_claim: Claim
    public_verdict: Verdict
    public_source: Source
    public_outlet: Source
    public_article: Article
    public_measure: Measure
    public_figure: Figure
    hidden_claim: Claim
    hidden_verdict: Verdict
    hidden_source: Source
    hidden_outlet: Source
    hidden_article: Article
    hidden_measure: Measure
    hidden_figure: Figure


def build_world(*, reviewer, editor, ratings) -> World:
    topic = factories.TopicFactory(name="Demographics", slug="demographics")
    public_source = factories.SourceFactory(kind="person", name="Public Claimant", slug="public-claimant", country="AZ")
    public_outlet = factories.SourceFactory(name="Public Outlet", slug="public-outlet")
    public_claim = factories.ClaimFactory(
        text="More ethnic Azeris live in Iran than in Azerbaijan itself.",
        slug="azeris-in-iran",
        claimant=public_source,
        first_seen=datetime.date(2026, 3, 9),
    )
    public_claim.topics.add(topic)
    public_article = factories.ArticleFactory(outlet=public_outlet, title="Public article")
    public_appearance = factories.AppearanceFactory(claim=public_claim, article=public_article, quote="15-18 million")
    public_measure = factories.MeasureFactory(name="Azeri population of Iran", slug="azeri-population")
    public_figure = factories.FigureFactory(appearance=public_appearance, measure=public_measure)
    public_verdict = services.create_verdict(
        claim=public_claim,
        rating=ratings["mostly-true"],
        summary="Estimates agree on more Azeris in Iran.",
        by=reviewer,
        evidence=[{"url": "https://stats.example.org/census", "title": "Census tables"}],
    )
    public_verdict = services.submit_verdict(verdict=public_verdict, by=reviewer)
    public_verdict = services.publish_verdict(verdict=public_verdict, by=editor)

    hidden_source = factories.SourceFactory(kind="person", name="Secret Claimant", slug="secret-claimant", country="IR")
    hidden_outlet = factories.SourceFactory(name="Secret Outlet", slug="secret-outlet")
    hidden_claim = factories.ClaimFactory(
        text="Pipeline sabotage cost exactly forty billion zorkmids.",
        slug="hidden-pipeline-claim",
        claimant=hidden_source,
        first_seen=datetime.date(2026, 4, 1),
    )
    hidden_claim.topics.add(topic)
    hidden_article = factories.ArticleFactory(outlet=hidden_outlet, title="Secret article")
    hidden_appearance = factories.AppearanceFactory(claim=hidden_claim, article=hidden_article)
    hidden_measure = factories.MeasureFactory(name="Secret pipeline cost", slug="secret-measure")
    hidden_figure = factories.FigureFactory(appearance=hidden_appearance, measure=hidden_measure)
    hidden_verdict = services.create_verdict(
        claim=hidden_claim,
        rating=ratings["false"],
        summary="Draft: zorkmids are not a currency.",
        by=reviewer,
        evidence=[{"url": "https://secret.example.org/draft-evidence", "title": "Draft evidence"}],
    )
    return World(
        public_claim=public_claim,
        public_verdict=public_verdict,
        public_source=public_source,
        public_outlet=public_outlet,
        public_article=public_article,
        public_measure=public_measure,
        public_figure=public_figure,
        hidden_claim=hidden_claim,
        hidden_verdict=hidden_verdict,
        hidden_source=hidden_source,
        hidden_outlet=hidden_outlet,
        hidden_article=hidden_article,
        hidden_measure=hidden_measure,
        hidden_figure=hidden_figure,
    )


def client_for(user=None) -> APIClient:
    """An API client authenticated with the user's token (anonymous when `user` is None)."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
