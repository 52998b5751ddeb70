"""The `claim.merged` webhook event, delivered by a real worker to a real receiver (the fixtures
and helpers of test_intake_webhooks.py): a merge of a public claim reaches every subscriber,
signed; a merge of claims readers never saw is not announced."""

import json

import pytest

from claims import services
from claims.intake.models import DeliveryStatus, WebhookDelivery
from claims.intake.webhooks import verify
from claims.tests.factories import ClaimFactory, published_claim
from claims.tests.test_intake_webhooks import SECRET, delivery_of, receiver, subscribe, worker  # noqa: F401
from claims.tests.workers import job_rows, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_public_merge_is_delivered_as_claim_merged(
    worker,  # noqa: F811  (the module-scoped worker fixture of test_intake_webhooks)
    receiver,  # noqa: F811
    reviewer,
    editor,
    second_editor,
    ratings,
    plain_user,
):
    subscription = subscribe(plain_user, receiver.base_url + "/hook", events=["claim.merged"])
    duplicate = published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["false"], text="The pipeline is 1,768 km."
    )
    survivor = ClaimFactory(text="The pipeline runs for 1768 kilometres.")
    record = services.merge_claims(merged=duplicate, into=survivor, by=second_editor)
    delivery = delivery_of(subscription, worker)
    wait_for(lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SUCCEEDED, worker=worker)
    (request,) = receiver.requests
    assert request.headers["X-Factcheck-Event"] == "claim.merged"
    assert verify(
        SECRET, request.headers["X-Factcheck-Timestamp"], request.body, request.headers["X-Factcheck-Signature"]
    )
    payload = json.loads(request.body)
    assert payload["event"] == "claim.merged"
    assert payload["merge"]["id"] == record.pk
    assert (payload["claim"]["slug"], payload["claim"]["status"]) == (duplicate.slug, "merged")
    assert (payload["into"]["slug"], payload["into"]["status"]) == (survivor.slug, "published")
    assert payload["into"]["url"].endswith(f"/claims/{survivor.slug}/")


def test_a_merge_of_unpublished_claims_is_not_announced(reviewer, editor, plain_user, settings):
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    subscribe(plain_user, "http://127.0.0.1:9/hook", events=["claim.merged"])
    before = len(job_rows("fan_out_webhook_event"))
    services.merge_claims(merged=ClaimFactory(), into=ClaimFactory(), by=editor)
    assert len(job_rows("fan_out_webhook_event")) == before
