"""Webhooks end to end: subscribed through the API, enqueued by the publishing services in their
transaction, delivered by a real worker (`manage.py procrastinate worker`) to a real receiver on
127.0.0.1, signed, retried after a 500, and disabled after repeated failures."""

import json

import pytest
from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import services
from claims.intake.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from claims.intake.webhooks import verify
from claims.tests.factories import ClaimFactory, published_claim
from claims.tests.receivers import http_receiver
from claims.tests.workers import job_rows, job_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECRET = "s3cret-for-the-receiver-0123456789"
WORKER_ENV = {
    "FACTCHECK_FETCH_ALLOW_HOSTS": "127.0.0.1",
    "FACTCHECK_WEBHOOK_RETRY_SECONDS": "1",
    "FACTCHECK_WEBHOOK_MAX_ATTEMPTS": "5",
    "FACTCHECK_WEBHOOK_MAX_FAILURES": "3",
}


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), job_worker(queues="deliveries", **WORKER_ENV) as process:
        yield process


@pytest.fixture
def receiver(settings):
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    with http_receiver() as running:
        yield running


def api_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def subscribe(user, url, events=("verdict.published", "verdict.corrected", "verdict.withdrawn")):
    response = api_client(user).post(
        "/api/v1/webhooks/", {"url": url, "secret": SECRET, "events": list(events)}, format="json"
    )
    assert response.status_code == 201, response.content
    return WebhookSubscription.objects.get(pk=response.json()["id"])


def delivery_of(subscription, worker) -> WebhookDelivery:
    """The delivery the worker's fan-out job writes for `subscription`."""
    return wait_for(lambda: WebhookDelivery.objects.filter(subscription=subscription).first(), worker=worker)


def draft(claim, reviewer, rating, summary="Checked."):
    verdict = services.create_verdict(claim=claim, rating=rating, summary=summary, by=reviewer)
    return services.submit_verdict(verdict=verdict, by=reviewer)


def test_a_published_verdict_is_delivered_signed_with_its_claimreview(
    worker, receiver, reviewer, editor, ratings, plain_user
):
    subscription = subscribe(plain_user, receiver.base_url + "/hook")
    claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], text="The river is 900 km long.")
    delivery = delivery_of(subscription, worker)
    wait_for(lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SUCCEEDED, worker=worker)
    (request,) = receiver.requests
    assert request.method == "POST" and request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Factcheck-Event"] == "verdict.published"
    assert verify(
        SECRET, request.headers["X-Factcheck-Timestamp"], request.body, request.headers["X-Factcheck-Signature"]
    )
    assert not verify(
        "another-secret-xxxxxxxx",
        request.headers["X-Factcheck-Timestamp"],
        request.body,
        request.headers["X-Factcheck-Signature"],
    )
    assert not verify(
        SECRET, request.headers["X-Factcheck-Timestamp"], request.body + b" ", request.headers["X-Factcheck-Signature"]
    )
    payload = json.loads(request.body)
    assert payload["event"] == "verdict.published"
    assert payload["claim"]["slug"] == claim.slug
    assert payload["claimreview"]["@type"] == "ClaimReview"
    assert payload["claimreview"]["claimReviewed"] == "The river is 900 km long."
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (1, 200, "")


def test_corrected_and_withdrawn_are_delivered_too(
    worker, receiver, reviewer, editor, second_editor, ratings, plain_user
):
    subscription = subscribe(plain_user, receiver.base_url + "/hook")
    claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"])
    correction = services.draft_correction(
        verdict=claim.published_verdict, by=reviewer, rating=ratings["mixed"], correction_note="New data."
    )
    correction = services.submit_verdict(verdict=correction, by=reviewer)
    services.publish_verdict(verdict=correction, by=second_editor)
    services.withdraw_verdict(verdict=correction, by=editor, reason="Source retracted.")
    wait_for(
        lambda: WebhookDelivery.objects.filter(subscription=subscription, status=DeliveryStatus.SUCCEEDED).count() == 3,
        worker=worker,
    )
    events = sorted(json.loads(r.body)["event"] for r in receiver.requests)
    assert events == ["verdict.corrected", "verdict.published", "verdict.withdrawn"]
    withdrawn = next(
        json.loads(r.body) for r in receiver.requests if r.headers["X-Factcheck-Event"] == "verdict.withdrawn"
    )
    assert withdrawn["verdict"]["withdrawal_reason"] == "Source retracted."
    assert withdrawn["claimreview"]["reviewRating"]["alternateName"]


def test_a_500_is_retried_with_backoff_until_delivered(worker, receiver, reviewer, editor, ratings, plain_user):
    subscription = subscribe(plain_user, receiver.base_url + "/flaky")
    receiver.answer(500, 200)
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    delivery = delivery_of(subscription, worker)
    wait_for(lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SUCCEEDED, worker=worker)
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.last_status_code == 200
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body  # the same delivery, re-signed
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.consecutive_failures == 0


def test_repeated_failures_disable_the_subscription(worker, receiver, reviewer, editor, ratings, plain_user):
    subscription = subscribe(plain_user, receiver.base_url + "/down")
    receiver.answer((500, {}, b"receiver broken"))
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    wait_for(lambda: not WebhookSubscription.objects.get(pk=subscription.pk).is_active, worker=worker)
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 3 and subscription.disabled_at is not None
    assert "3 failed deliveries" in subscription.disabled_reason
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert delivery.status == DeliveryStatus.CANCELLED and delivery.attempts == 3
    assert delivery.last_status_code == 500 and "receiver broken" in delivery.last_error
    assert len(receiver.requests) == 3
    # Disabled: the next publication enqueues nothing.
    fan_outs = len(job_rows("fan_out_webhook_event"))
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"])
    assert len(job_rows("fan_out_webhook_event")) == fan_outs
    # The owner re-enables it through the API; the failure count starts again.
    response = api_client(plain_user).patch(f"/api/v1/webhooks/{subscription.pk}/", {"is_active": True}, format="json")
    assert response.status_code == 200 and response.json()["consecutive_failures"] == 0


def test_a_rolled_back_publication_sends_nothing(receiver, reviewer, editor, ratings, plain_user):
    subscribe(plain_user, receiver.base_url + "/hook")
    verdict = draft(ClaimFactory(), reviewer, ratings["true"])
    before = len(job_rows("fan_out_webhook_event"))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.publish_verdict(verdict=verdict, by=editor)
        fan_out = job_rows("fan_out_webhook_event")[before:]
        assert [row["args"]["payload"]["verdict"]["id"] for row in fan_out] == [verdict.pk]
        raise RuntimeError("the request fails after publishing")
    assert len(job_rows("fan_out_webhook_event")) == before


def test_one_job_per_publication_whatever_the_number_of_subscribers(
    worker, receiver, reviewer, editor, ratings, plain_user
):
    subscriptions = [subscribe(plain_user, receiver.base_url + f"/hook{n}") for n in range(30)]
    verdict = draft(ClaimFactory(), reviewer, ratings["true"])
    before = len(job_rows("fan_out_webhook_event"))
    services.publish_verdict(verdict=verdict, by=editor)
    assert len(job_rows("fan_out_webhook_event")) == before + 1
    assert WebhookDelivery.objects.count() == 0  # written by the worker, not by the request
    wait_for(lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == 30, worker=worker)
    assert sorted(r.path for r in receiver.requests) == sorted(
        s.url.removeprefix(receiver.base_url) for s in subscriptions
    )


def test_claim_created_goes_to_staff_subscribers_only(worker, receiver, reviewer, plain_user):
    response = api_client(plain_user).post(
        "/api/v1/webhooks/",
        {"url": receiver.base_url + "/", "secret": SECRET, "events": ["claim.created"]},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["events"]
    staff = subscribe(reviewer, receiver.base_url + "/staff", events=["claim.created"])
    claim = services.create_claim(text="A new claim arrives.", by=reviewer)
    delivery = delivery_of(staff, worker)
    assert delivery.event == "claim.created" and delivery.payload["claim"]["id"] == claim.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://127.0.0.1:9/hook", "secret": SECRET, "events": ["verdict.published"]}, "url"),
        ({"url": "http://10.0.0.8/hook", "secret": SECRET, "events": ["verdict.published"]}, "url"),
        ({"url": "ftp://example.org/", "secret": SECRET, "events": ["verdict.published"]}, "url"),
        ({"url": "http://93.184.215.14/hook", "secret": "short", "events": ["verdict.published"]}, "secret"),
        ({"url": "http://93.184.215.14/hook", "secret": SECRET, "events": []}, "events"),
        ({"url": "http://93.184.215.14/hook", "secret": SECRET, "events": ["verdict.eaten"]}, "events"),
        ({"url": "http://93.184.215.14/hook", "secret": SECRET, "events": ["verdict.published"], "owner": 1}, "owner"),
    ],
)
def test_bad_subscriptions_answer_400_naming_the_field(settings, plain_user, body, field):
    settings.FACTCHECK_FETCH_ALLOW_HOSTS = []
    response = api_client(plain_user).post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert not WebhookSubscription.objects.exists()


def test_the_api_lists_only_the_tokens_own_subscriptions_and_never_the_secret(receiver, plain_user, reviewer):
    mine = subscribe(plain_user, receiver.base_url + "/mine")
    theirs = subscribe(reviewer, receiver.base_url + "/theirs")
    response = api_client(plain_user).get("/api/v1/webhooks/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert SECRET not in response.content.decode()
    assert api_client(plain_user).get(f"/api/v1/webhooks/{theirs.pk}/").status_code == 404
    assert api_client(plain_user).delete(f"/api/v1/webhooks/{theirs.pk}/").status_code == 404
    assert APIClient().get("/api/v1/webhooks/").status_code in (401, 403)
    assert api_client(plain_user).delete(f"/api/v1/webhooks/{mine.pk}/").status_code == 204


def test_the_owner_is_told_when_their_webhook_is_disabled(
    receiver, reviewer, editor, ratings, plain_user, settings, mailoutbox
):
    """The attempt the worker runs (claims.intake.webhooks.deliver), here in-process; the owner's
    message is an email job enqueued with the disabling, run here in-process too so it lands in
    Django's test outbox."""
    from claims.intake import jobs
    from claims.intake.webhooks import DeliveryFailed, deliver
    from claims.tests.workers import job_rows

    settings.FACTCHECK_WEBHOOK_MAX_FAILURES = 2
    plain_user.email = "owner@example.org"
    plain_user.save()
    subscription = subscribe(plain_user, receiver.base_url + "/down")
    receiver.answer(503)
    delivery = WebhookDelivery.objects.create(subscription=subscription, event="verdict.published", payload={"x": 1})
    with pytest.raises(DeliveryFailed, match="HTTP 503"):
        deliver(delivery.pk, attempt=1)
    assert mailoutbox == []
    before = len(job_rows("send_tip_email"))
    assert deliver(delivery.pk, attempt=2) == DeliveryStatus.CANCELLED
    assert mailoutbox == []  # not sent inline: enqueued
    (job,) = job_rows("send_tip_email")[before:]
    assert job["args"]["kind"] == "plain"
    assert jobs.send_tip_email(**job["args"]) == 1
    (message,) = mailoutbox
    assert message.to == ["owner@example.org"] and "disabled" in message.subject
    assert receiver.base_url + "/down" in message.body and "HTTP 503" in message.body
