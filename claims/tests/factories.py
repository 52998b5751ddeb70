"""factory_boy builders for tests. Workflow states are reached through services, not factories."""

import datetime

import factory
from factory.django import DjangoModelFactory

from claims import models
from claims.choices import SourceKind


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = models.Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = models.Source

    kind = SourceKind.OUTLET
    name = factory.Sequence(lambda n: f"Source {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = models.Article

    url = factory.Sequence(lambda n: f"https://news.example.org/article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = factory.SubFactory(SourceFactory)
    published_on = datetime.date(2026, 3, 9)


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = models.Claim

    text = factory.Sequence(lambda n: f"Claim number {n} says something checkable about {n} million people.")
    slug = factory.Sequence(lambda n: f"claim-{n}")
    claimant = factory.SubFactory(SourceFactory, kind=SourceKind.PERSON)
    first_seen = datetime.date(2026, 3, 9)


class AppearanceFactory(DjangoModelFactory):
    class Meta:
        model = models.Appearance

    claim = factory.SubFactory(ClaimFactory)
    article = factory.SubFactory(ArticleFactory)
    quote = "a short quote"


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = models.Measure

    name = factory.Sequence(lambda n: f"Measure {n}")
    slug = factory.Sequence(lambda n: f"measure-{n}")
    unit = "count"


class FigureFactory(DjangoModelFactory):
    class Meta:
        model = models.Figure

    appearance = factory.SubFactory(AppearanceFactory)
    measure = factory.SubFactory(MeasureFactory)
    low = 10
    high = 12
    qualifier = "range"
    unit = "count"
    quoted_text = "10-12"


def published_claim(*, reviewer, editor, rating, claim=None, summary="Example summary.", **claim_kwargs):
    """A claim taken through the real workflow (draft → submitted → published by another person)."""
    from claims import services

    claim = claim or ClaimFactory(**claim_kwargs)
    verdict = services.create_verdict(claim=claim, rating=rating, summary=summary, by=reviewer)
    verdict = services.submit_verdict(verdict=verdict, by=reviewer)
    services.publish_verdict(verdict=verdict, by=editor)
    claim.refresh_from_db()
    return claim
