"""The claim review queue in the admin, driven as each role with Django's test client."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.admin.claims import ClaimAdmin
from claims.choices import ClaimStatus, ConflictState
from claims.models import Claim
from claims.paginators import EstimatedCountPaginator
from claims.tests import factories
from claims.tests.once import per_test_copy, rating_scale, role_user, shared_data

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:claims_claim_changelist")


def _ids(response):
    return {claim.pk for claim in response.context["cl"].result_list}


@pytest.fixture(scope="module")
def queue_once(request, django_db_setup, django_db_blocker):
    with shared_data(request, django_db_blocker):
        yield build_queue(reviewer=role_user("reviewer"), editor=role_user("editor"), ratings=rating_scale())


@pytest.fixture
def queue(request, queue_once):
    return per_test_copy(request, queue_once)


def build_queue(*, reviewer, editor, ratings):
    """A small queue: new, in review (assigned), published, and one in a disputed measure's figures."""
    outlet = factories.SourceFactory(name="Daily Outlet")
    topic = factories.TopicFactory(name="Energy", slug="energy")
    new = factories.ClaimFactory(text="Azerbaijan supplies forty percent of Israel's oil imports.")
    new.topics.add(topic)
    in_review = services.start_review(claim=factories.ClaimFactory(), by=reviewer)
    published = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"])
    disputed_measure = factories.MeasureFactory(name="Azeri population", conflict_state=ConflictState.DISPUTED)
    figure = factories.FigureFactory(
        measure=disputed_measure, appearance=factories.AppearanceFactory(article__outlet=outlet)
    )
    return {
        "new": new,
        "in_review": in_review,
        "published": published,
        "disputed": figure.appearance.claim,
        "outlet": outlet,
        "topic": topic,
        "measure": disputed_measure,
    }


def test_it_filters_the_queue_by_status_assignee_rating_topic_measure_and_outlet(client, reviewer, queue):
    client.force_login(reviewer)
    cases = {
        "status=new": {queue["new"].pk, queue["disputed"].pk},
        "assigned=me": {queue["in_review"].pk},
        "assigned=nobody": {queue["new"].pk, queue["disputed"].pk, queue["published"].pk},
        "rating=false": {queue["published"].pk},
        f"topic={queue['topic'].pk}": {queue["new"].pk},
        "disputed=any": {queue["disputed"].pk},
        f"disputed={queue['measure'].pk}": {queue["disputed"].pk},
        f"outlet={queue['outlet'].pk}": {queue["disputed"].pk},
    }
    for query, expected in cases.items():
        response = client.get(f"{QUEUE}?{query}")
        assert response.status_code == 200, query
        assert _ids(response) == expected, query


def test_it_searches_the_queue_by_full_text(client, reviewer, queue):
    client.force_login(reviewer)
    response = client.get(QUEUE, {"q": "israel oil import"})  # stemmed: "Israel's", "imports"
    assert _ids(response) == {queue["new"].pk}
    response = client.get(QUEUE, {"q": queue["published"].slug})
    assert _ids(response) == {queue["published"].pk}
    hyphenated = factories.ClaimFactory(text="Covid-19 closed the border crossing.")
    assert _ids(client.get(QUEUE, {"q": "covid 19 border"})) == {hyphenated.pk}


def test_it_sorts_the_queue_by_rating_and_shows_it_as_a_coloured_badge(client, reviewer, queue, ratings):
    client.force_login(reviewer)
    response = client.get(QUEUE, {"o": "3"})  # third column: rating
    assert response.status_code == 200
    html = response.content.decode()
    assert f'style="--fc-badge:{ratings["false"].colour}">False</span>' in html
    assert "not rated" in html


def test_it_assigns_to_me_and_starts_review_from_the_claims_page(client, reviewer, queue):
    client.force_login(reviewer)
    claim = queue["new"]
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "Assign to me" in page and "Start review" in page
    client.post(reverse("admin:claims_claim_assign_to_me", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.assigned_to == reviewer and claim.status == ClaimStatus.NEW
    client.post(reverse("admin:claims_claim_start_review", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
    assert claim.history.first().history_user == reviewer


def test_it_refuses_workflow_buttons_on_get(client, reviewer, queue):
    client.force_login(reviewer)
    response = client.get(reverse("admin:claims_claim_start_review", args=[queue["new"].pk]))
    assert response.status_code == 405


def test_it_runs_bulk_actions_through_the_services_and_reports_refusals(client, reviewer, queue):
    client.force_login(reviewer)
    selected = [queue["new"].pk, queue["in_review"].pk]
    response = client.post(QUEUE, {"action": "start_review", "_selected_action": selected, "index": 0}, follow=True)
    assert Claim.objects.get(pk=queue["new"].pk).status == ClaimStatus.IN_REVIEW
    messages = [str(m) for m in response.context["messages"]]
    assert any("Review started: 1 claim" in m for m in messages)
    assert any("Only new claims can enter review" in m for m in messages)
    client.post(QUEUE, {"action": "assign_to_me", "_selected_action": [queue["published"].pk], "index": 0})
    assert Claim.objects.get(pk=queue["published"].pk).assigned_to == reviewer


def test_it_lets_only_editors_assign_claims_to_someone_else(client, reviewer, editor, queue):
    data = {"action": "assign_to_chosen", "_selected_action": [queue["new"].pk], "assignee": reviewer.pk, "index": 0}
    client.force_login(reviewer)
    page = client.get(QUEUE).content.decode()
    assert 'name="assignee"' not in page and "assign_to_chosen" not in page
    client.post(QUEUE, data)
    assert Claim.objects.get(pk=queue["new"].pk).assigned_to is None
    client.force_login(editor)
    assert 'name="assignee"' in client.get(QUEUE).content.decode()
    client.post(QUEUE, data)
    assert Claim.objects.get(pk=queue["new"].pk).assigned_to == reviewer


def test_it_shows_a_claims_verdicts_and_figures_on_its_page(client, reviewer, queue):
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_claim_change", args=[queue["published"].pk])).content.decode()
    assert "Example summary." in page and "Published" in page
    page = client.get(reverse("admin:claims_claim_change", args=[queue["disputed"].pk])).content.decode()
    assert "Azeri population" in page and "“10-12”" in page


def test_it_shows_similar_claims_and_requires_confirming_a_likely_duplicate(client, reviewer, queue):
    client.force_login(reviewer)
    add = reverse("admin:claims_claim_add")
    text = "Azerbaijan supplies forty percent of Israel's oil imports."
    data = {"text": text, "slug": "", "first_seen": "2026-03-10", **_empty_inline()}
    response = client.post(add, data)
    assert response.status_code == 200
    assert "likely duplicate" in response.content.decode()
    assert reverse("admin:claims_claim_change", args=[queue["new"].pk]) in response.content.decode()
    assert Claim.objects.filter(text=text).count() == 1
    response = client.post(add, {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    created = Claim.objects.filter(text=text).exclude(pk=queue["new"].pk).get()
    assert created.slug and created.status == ClaimStatus.NEW
    assert created.history.first().history_user == reviewer
    live = client.get(reverse("admin:claims_claim_similar"), {"text": "oil imports of Israel from Azerbaijan"})
    urls = [item["url"] for item in live.json()["results"]]
    assert reverse("admin:claims_claim_change", args=[queue["new"].pk]) in urls


def _empty_inline():
    return {
        "appearances-TOTAL_FORMS": "0",
        "appearances-INITIAL_FORMS": "0",
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "1000",
    }


def test_it_shows_nothing_of_the_app_to_staff_in_no_group(client, staff_without_group, queue):
    client.force_login(staff_without_group)
    index = client.get(reverse("admin:index"))
    assert "claims/claim" not in index.content.decode()
    for url in (QUEUE, reverse("admin:claims_verdict_changelist"), reverse("admin:claims_source_changelist")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("admin:claims_claim_start_review", args=[queue["new"].pk])).status_code == 403


def test_it_keeps_reviewers_from_deleting_and_from_editing_the_rating_scale(client, reviewer, editor, ratings):
    client.force_login(reviewer)
    level = ratings["true"]
    change = reverse("admin:claims_ratinglevel_change", args=[level.pk])
    assert 'name="label"' not in client.get(change).content.decode()  # view only
    assert client.post(reverse("admin:claims_claim_delete", args=[factories.ClaimFactory().pk])).status_code == 403
    client.force_login(editor)
    assert 'name="label"' in client.get(change).content.decode()


# --- At scale: estimated counts and a fixed number of queries ----------------------------------


@pytest.fixture
def many_claims(reviewer, editor, ratings):
    for i in range(30):
        claim = factories.ClaimFactory()
        factories.AppearanceFactory(claim=claim)
        if i % 3 == 0:
            factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["mixed"], claim=claim)
        elif i % 3 == 1:
            services.start_review(claim=claim, by=reviewer)


@pytest.mark.parametrize("per_page", [5, 25])
def test_it_opens_the_queue_with_a_fixed_number_of_queries(
    client, reviewer, many_claims, monkeypatch, per_page, django_assert_num_queries
):
    monkeypatch.setattr(ClaimAdmin, "list_per_page", per_page)
    client.force_login(reviewer)
    # session, user, permissions (user, groups), reviewer check, 5 filter lists, capped count (the
    # queue leaves merged claims out, so it counts as filtered: no table estimate below the cap),
    # page of claims (with claimant, assignee, rating joined)
    with django_assert_num_queries(12):
        response = client.get(QUEUE)
    assert len(response.context["cl"].result_list) == per_page


def test_it_never_counts_the_whole_claim_table(client, reviewer, many_claims):
    client.force_login(reviewer)
    for url in (QUEUE, QUEUE + "?status=new", QUEUE + "?q=checkable"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
        assert counts, url
        assert all("LIMIT" in sql.upper() for sql in counts), counts


def test_it_estimates_large_unfiltered_counts_from_table_statistics(many_claims, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "cap", 10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    paginator = EstimatedCountPaginator(Claim.objects.order_by("-id"), 5)
    with CaptureQueriesContext(connection) as captured:
        count = paginator.count
    assert paginator.is_estimate and count == 30
    assert len(captured) == 1 and "reltuples" in captured[0]["sql"]
    filtered = EstimatedCountPaginator(Claim.objects.filter(status=ClaimStatus.NEW).order_by("-id"), 5)
    assert filtered.count == 10 and not filtered.is_estimate
    many = EstimatedCountPaginator(Claim.objects.exclude(status=ClaimStatus.WITHDRAWN).order_by("-id"), 5)
    assert many.count >= 11 and many.is_estimate  # over the cap: the planner's estimate


def test_it_refuses_a_reserved_slug_in_the_add_form(client, reviewer, queue):
    client.force_login(reviewer)
    data = {"text": "A new claim about reserved words.", "slug": "match", "first_seen": "2026-03-10", **_empty_inline()}
    response = client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 200 and "slug" in response.context["adminform"].form.errors
    assert not Claim.objects.filter(slug="match").exists()
