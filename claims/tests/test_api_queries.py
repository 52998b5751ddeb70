"""Every list endpoint runs a fixed number of queries, whatever the page size."""

import pytest

from claims import services
from claims.tests import factories
from claims.tests.api_world import client_for

pytestmark = pytest.mark.django_db

# Every API request also counts itself against its rate limit: one statement on the shared counter
# table (factcheck/rate_counter.py), so that all processes enforce one limit.
RATE_LIMIT = 1

# (path, queries for an anonymous client, besides the rate limit). Page-number lists count their
# rows once.
LISTS = [
    ("/api/v1/claims/", 1),  # claims with claimant, rating, counts and topics (array subqueries)
    ("/api/v1/claims/?q=people", 1),
    ("/api/v1/claims/?rating=true&topic=topic-x", 3),  # + validating the two filter values
    ("/api/v1/verdicts/", 1),  # verdicts with rating, claim and evidence (array subqueries)
    ("/api/v1/sources/", 2),  # count; page
    ("/api/v1/articles/", 2),  # articles with outlet and counts; authors
    ("/api/v1/measures/", 2),  # count; page
    ("/api/v1/figures/", 1),
    ("/api/v1/appearances/", 1),  # appearances with article, outlet and authors (array subqueries)
    ("/api/v1/evidence/", 1),
    ("/api/v1/topics/", 2),
    ("/api/v1/ratings/", 1),
]


@pytest.fixture
def many(reviewer, editor, ratings):
    """Six published claims, each with an article (two authors), a figure, evidence and a topic."""
    topic = factories.TopicFactory(slug="topic-x", name="Topic X")
    for n in range(6):
        claim = factories.ClaimFactory()
        claim.topics.add(topic)
        article = factories.ArticleFactory()
        article.authors.set([factories.SourceFactory(kind="person"), factories.SourceFactory(kind="person")])
        appearance = factories.AppearanceFactory(claim=claim, article=article)
        factories.FigureFactory(appearance=appearance)
        verdict = services.create_verdict(
            claim=claim,
            rating=ratings["true"],
            summary="ok",
            by=reviewer,
            evidence=[{"url": f"https://e.example.org/{n}", "title": "e"}],
        )
        services.publish_verdict(verdict=services.submit_verdict(verdict=verdict, by=reviewer), by=editor)


@pytest.mark.parametrize(("path", "expected"), LISTS)
def test_it_pins_anonymous_list_queries_at_two_page_sizes(many, django_assert_num_queries, path, expected):
    client = client_for()
    separator = "&" if "?" in path else "?"
    for page_size in (2, 6):
        with django_assert_num_queries(RATE_LIMIT + expected):
            response = client.get(f"{path}{separator}page_size={page_size}")
        assert response.status_code == 200
        results = response.json() if isinstance(response.json(), list) else response.json()["results"]
        full_pages = {"/api/v1/topics/": 1, "/api/v1/ratings/": 6}  # fewer rows than a page
        assert len(results) == full_pages.get(path, page_size)


def test_it_pins_staff_claim_list_queries(many, reviewer, django_assert_num_queries):
    client = client_for(reviewer)
    for page_size in (2, 6):
        # token + user; the reviewer-group check; claims with their topics
        with django_assert_num_queries(RATE_LIMIT + 3):
            assert len(client.get(f"/api/v1/claims/?page_size={page_size}").json()["results"]) == page_size


def test_it_pins_the_claim_detail_queries(many, django_assert_num_queries):
    slug = client_for().get("/api/v1/claims/?page_size=1").json()["results"][0]["slug"]
    # claim with its topics; appearances with article authors; figures; verdicts with evidence
    with django_assert_num_queries(RATE_LIMIT + 4):
        assert client_for().get(f"/api/v1/claims/{slug}/").status_code == 200


def test_it_streams_the_datafeed_in_a_fixed_number_of_queries(many, django_assert_num_queries, settings):
    settings.FACTCHECK_EXPORT_EXAMPLE_REVIEWS = True
    # the newest public change (claims, verdicts: Last-Modified); verdicts with claim, claimant,
    # rating; appearances with articles
    with django_assert_num_queries(RATE_LIMIT + 4):
        response = client_for().get("/api/v1/claimreview/feed/")
        body = b"".join(response.streaming_content)
    assert body.count(b'"ClaimReview"') == 6
