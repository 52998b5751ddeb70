"""The admin home as a reviewers' workspace, the queue's default order, and the intake pages."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims import services
from claims.choices import ClaimStatus
from claims.models import Claim, Verdict
from claims.tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")
QUEUE = reverse("admin:claims_claim_changelist")
FIXTURES = Path(__file__).parent / "fixtures" / "claimreview"


@pytest.fixture
def work(reviewer, editor, ratings):
    """Claims at each stage of the work: new, assigned to the reviewer, submitted, published."""
    old_new = factories.ClaimFactory(text="Oldest new claim: the corridor lease runs 99 years.")
    new = factories.ClaimFactory(text="Newer new claim: the port is 70 km from Baku.")
    mine = services.start_review(
        claim=factories.ClaimFactory(text="My claim: Iran has 15 million Azeris."), by=reviewer
    )
    submitted_claim = factories.ClaimFactory(text="Submitted claim: Azerbaijan sells Israel 40% of its oil.")
    verdict = services.create_verdict(claim=submitted_claim, rating=ratings["mixed"], summary="Partly.", by=reviewer)
    submitted = services.submit_verdict(verdict=verdict, by=reviewer)
    published = factories.published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["false"], text="Published claim: the lake is dry."
    )
    return {"old_new": old_new, "new": new, "mine": mine, "submitted": submitted, "published": published}


def test_it_opens_the_admin_on_the_workspace_of_a_reviewer(client, reviewer, work):
    client.force_login(reviewer)
    response = client.get(HOME)
    assert response.status_code == 200
    workspace = response.context["workspace"]
    assert [claim.pk for claim in workspace["assigned"]] == [work["mine"].pk]
    assert [verdict.pk for verdict in workspace["waiting"]] == [work["submitted"].pk]
    # Oldest waiting first; the assigned and the submitted claims are not "new" any more.
    new_ids = [claim.pk for claim in workspace["new"]]
    assert new_ids[:2] == [work["old_new"].pk, work["new"].pk]
    assert work["mine"].pk not in new_ids
    assert [verdict.claim_id for verdict in workspace["published"]] == [work["published"].pk]
    html = response.content.decode()
    for heading in (
        "Assigned to me",
        "Verdicts waiting for an editor",
        "New claims, oldest first",
        "Recently published",
    ):
        assert heading in html
    assert f'href="{reverse("claims-ingest-article")}"' in html
    # Importing publishes verdicts: editors only, so reviewers are not offered the link.
    assert reverse("claims-import-claimreview") not in html
    assert "(yours: another editor approves it)" in html  # the reviewer wrote the submitted verdict


def test_it_offers_editors_the_claimreview_import(client, editor, work):
    client.force_login(editor)
    html = client.get(HOME).content.decode()
    assert f'href="{reverse("claims-import-claimreview")}"' in html
    assert "(yours: another editor approves it)" not in html


def test_it_keeps_the_plain_index_for_staff_in_no_group(client, staff_without_group, work):
    client.force_login(staff_without_group)
    response = client.get(HOME)
    assert response.status_code == 200
    assert "workspace" not in response.context
    assert work["mine"].text not in response.content.decode()


@pytest.mark.parametrize("extra", [0, 12])
def test_it_opens_the_workspace_with_a_fixed_number_of_queries(
    client, reviewer, editor, ratings, work, extra, django_assert_num_queries
):
    for _ in range(extra):
        factories.ClaimFactory()
        services.start_review(claim=factories.ClaimFactory(), by=reviewer)
        factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    client.force_login(reviewer)
    # session, user, reviewer check (groups), the four lists, the editor check (permissions:
    # user's, groups'), the app list's permissions
    with django_assert_num_queries(9):
        response = client.get(HOME)
    assert response.status_code == 200


def test_it_orders_the_queue_oldest_waiting_first(client, reviewer, work):
    client.force_login(reviewer)
    rows = list(client.get(QUEUE).context["cl"].result_list)
    statuses = [claim.status for claim in rows]
    waiting = [s for s in statuses if s in (ClaimStatus.IN_REVIEW, ClaimStatus.NEW)]
    assert statuses[: len(waiting)] == waiting, "claims waiting for review come before published ones"
    assert statuses[0] == ClaimStatus.IN_REVIEW
    new_ids = [claim.pk for claim in rows if claim.status == ClaimStatus.NEW]
    assert new_ids == sorted(new_ids) and new_ids[0] == work["old_new"].pk


def test_it_imports_a_claimreview_file_from_the_admin(client, editor, reviewer):
    page = reverse("claims-import-claimreview")
    client.force_login(reviewer)
    assert client.get(page).status_code == 403
    client.force_login(editor)
    assert client.get(page).status_code == 200
    upload = SimpleUploadedFile("single.json", (FIXTURES / "single.json").read_bytes(), "application/json")
    response = client.post(page, {"file": upload})
    assert response.status_code == 200
    assert response.context["report"].created == 1
    assert "1 created" in response.content.decode()
    assert Verdict.objects.filter(organisation__isnull=False).count() == 1


def test_it_refuses_a_malformed_claimreview_file_with_a_message(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("bad.json", (FIXTURES / "truncated.json").read_bytes(), "application/json")
    before = Claim.objects.count()
    response = client.post(reverse("claims-import-claimreview"), {"file": upload})
    assert response.status_code == 200
    assert "Nothing imported" in response.content.decode()
    assert Claim.objects.count() == before
