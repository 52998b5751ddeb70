"""A source's claims: one definition (`ClaimQuerySet.involving`) for its scorecard, the claim list
its "Search within these claims" link opens, and the selectors."""

import pytest
from django.urls import reverse

from claims import services
from claims.choices import SourceKind
from claims.models import Claim
from claims.tests import factories
from claims.tests.site_builders import draft_claim, published_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(reviewer, editor, ratings):
    """One source in each of the four roles, in four public claims, plus a draft it made."""
    source = factories.SourceFactory(kind=SourceKind.PERSON, name="Many Hats", slug="many-hats")
    claims = {}
    for role in ("claimant", "outlet", "author", "attributed"):
        claim = published_claim(
            reviewer=reviewer, editor=editor, rating=ratings["true"], slug=f"as-{role}", text=f"Claim as {role}."
        )
        article = factories.ArticleFactory(outlet=source if role == "outlet" else factories.SourceFactory())
        if role == "claimant":
            Claim.objects.filter(pk=claim.pk).update(claimant=source)
        if role == "author":
            article.authors.add(source)
        services.add_appearance(
            claim=claim,
            article=article,
            by=reviewer,
            voice="reports" if role == "attributed" else "asserts",
            attributed_to=source if role == "attributed" else None,
        )
        claims[role] = claim
    draft_claim(reviewer=reviewer, rating=ratings["false"], claimant=source, slug="as-draft")
    return source


def _claim_links(html):
    return {
        slug for slug in ("as-claimant", "as-outlet", "as-author", "as-attributed", "as-draft") if f"/{slug}/" in html
    }


def test_the_search_within_link_opens_the_scorecards_claims(client, roles):
    scorecard = client.get(reverse("claims:source-detail", args=[roles.slug])).content.decode()
    assert f'href="{reverse("claims:claim-list")}?source=many-hats"' in scorecard
    listed = client.get(reverse("claims:claim-list"), {"source": "many-hats"}).content.decode()
    expected = {"as-claimant", "as-outlet", "as-author", "as-attributed"}
    assert _claim_links(scorecard.split("Search within these claims")[0]) == expected
    assert _claim_links(listed) == expected


def test_a_page_reaches_only_the_claims_it_shows_and_the_queryset_method_agrees(roles):
    all_of_them = set(Claim.objects.public().involving(roles).values_list("slug", flat=True))
    assert all_of_them == {"as-claimant", "as-outlet", "as-author", "as-attributed"}
    first = Claim.objects.public().involving(roles, reach=1).order_by("-first_seen", "-id")
    assert set(first.values_list("slug", flat=True)) == all_of_them  # reach bounds only the claimant part
    assert "as-draft" in set(Claim.objects.involving(roles).values_list("slug", flat=True))
