"""Builders for the reader-site tests: published, draft and withdrawn claims reached through services."""

import datetime
from decimal import Decimal

from claims import services
from claims.tests import factories


def publish(*, claim, reviewer, editor, rating, summary="Example summary.", rationale="", evidence=(), note=""):
    """Draft, submit and publish a verdict on `claim` (two different people); returns the verdict."""
    verdict = services.create_verdict(
        claim=claim, rating=rating, summary=summary, rationale=rationale, by=reviewer, evidence=evidence
    )
    verdict = services.submit_verdict(verdict=verdict, by=reviewer)
    return services.publish_verdict(verdict=verdict, by=editor, correction_note=note)


def published_claim(*, reviewer, editor, rating, summary="Example summary.", **claim_kwargs):
    claim = factories.ClaimFactory(**claim_kwargs)
    publish(claim=claim, reviewer=reviewer, editor=editor, rating=rating, summary=summary)
    claim.refresh_from_db()
    return claim


def draft_claim(*, reviewer, rating, summary="Secret draft summary.", **claim_kwargs):
    """A claim in review with a submitted (unpublished) verdict: never visible to readers."""
    claim = factories.ClaimFactory(**claim_kwargs)
    verdict = services.create_verdict(claim=claim, rating=rating, summary=summary, by=reviewer)
    services.submit_verdict(verdict=verdict, by=reviewer)
    claim.refresh_from_db()
    return claim


def figure(*, claim, measure, reviewer, quoted, low, high, qualifier="exact", outlet=None, when=None, voice="asserts"):
    article = factories.ArticleFactory(outlet=outlet) if outlet else factories.ArticleFactory()
    appearance = services.add_appearance(claim=claim, article=article, by=reviewer, quote=quoted, voice=voice)
    return services.record_figure(
        appearance=appearance,
        measure=measure,
        by=reviewer,
        quoted_text=quoted,
        low=None if low is None else Decimal(str(low)),
        high=None if high is None else Decimal(str(high)),
        qualifier=qualifier,
        point_in_time=when or datetime.date(2025, 1, 1),
    )
