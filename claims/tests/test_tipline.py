"""The tip line: tips answered from published verdicts, clustered onto claims as demand, and
tipsters' emails (double opt-in, verdict messages, forget me) delivered to a real SMTP server."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, Tip, TipSubscription
from claims.tests.factories import published_claim
from claims.tests.workers import job_rows, job_worker, wait_for, wait_for_job

pytestmark = pytest.mark.django_db

WAGE = "The minimum wage will rise to 15 dollars an hour next year."
WAGE_AGAIN = "The minimum wage will rise to 15 dollars an hour next year, they said."
PETROL = "The government doubled the price of petrol in a single month."
EMAIL = "tipster@example.org"


# --- A real SMTP server on 127.0.0.1 ----------------------------------------------------------


class _Inbox:
    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()
        self.refuse = 0  # how many DATA commands to answer "451 try again later" first
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refuse:
            self.refused += 1
            return "451 Requested action aborted: try again later"
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def bodies(self):
        return [message.get_content() for message in self.messages]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """aiosmtpd in a thread; Django sends to it through its SMTP backend (not locmem)."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    inbox.port = controller.port
    try:
        yield inbox
    finally:
        controller.stop()


@contextlib.contextmanager
def mail_worker(smtp, **env: str):
    """A real job worker that sends to the test SMTP server `smtp`, retrying after 1 s, 2 s ...;
    mail jobs left waiting by earlier tests are cleared first (procrastinate's tables outlive
    each test's data)."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE task_name IN ('send_tip_email', 'fan_out_tip_emails')"
            " AND status IN ('todo', 'doing')"
        )
    with job_worker(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        FACTCHECK_EMAIL_RETRY_SECONDS="1",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,  # the links it signs are checked by this process
        **env,
    ) as worker:
        worker.inbox = smtp
        yield worker


@pytest.fixture
def mailer(smtp):
    with mail_worker(smtp) as worker:
        yield worker


def _mails(worker, count: int) -> list:
    """Wait until `count` messages have arrived; the messages."""
    wait_for(lambda: len(worker.inbox.messages) >= count, worker=worker, what=f"{count} message(s)")
    return worker.inbox.messages


def _tip(client=None, **data):
    return (client or APIClient()).post("/api/v1/tips/", data, format="json")


def _link(body: str, name: str) -> str:
    found = re.search(rf"https?://[^\s/]+(/tips/{name}/[^\s/]+/)", body)
    assert found, body
    return found.group(1)


# --- Answers and clustering -------------------------------------------------------------------


def test_it_answers_a_tip_from_the_published_verdict_that_matches(reviewer, editor, ratings):
    published = published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["false"], text=WAGE, summary="No such law."
    )
    response = _tip(text=WAGE_AGAIN)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "already_checked"
    assert body["checked"][0]["url"].endswith(published.get_absolute_url())
    assert (
        body["checked"][0]["rating"] == ratings["false"].label
        and "No such law." in body["message"] + body["checked"][0]["summary"]
    )
    published.refresh_from_db()
    assert published.demand == 1 and Tip.objects.get().claim == published


def test_it_never_answers_from_an_unpublished_claim(reviewer):
    hidden = services.create_claim(text=WAGE, by=reviewer)
    body = _tip(text=WAGE_AGAIN).json()
    assert body == {"status": "received", "message": body["message"], "checked": []}
    assert WAGE not in str(body)
    hidden.refresh_from_db()
    assert hidden.demand == 1  # still clustered onto it, for the reviewers


def test_a_tip_matching_nothing_creates_a_claim_from_the_tip_line():
    response = _tip(text=PETROL, language="en")
    assert response.status_code == 201 and response.json()["status"] == "received"
    claim = Claim.objects.get()
    assert (claim.text, claim.status, claim.from_tip_line, claim.demand, claim.language) == (
        PETROL,
        "new",
        True,
        1,
        "en",
    )
    assert claim.history.count() == 1


def test_a_second_similar_tip_adds_demand_and_an_identical_one_is_folded():
    _tip(text=WAGE)
    _tip(text=WAGE_AGAIN)
    claim = Claim.objects.get()
    assert claim.demand == 2 and Tip.objects.count() == 2
    assert Tip.objects.order_by("id").last().matched_existing
    _tip(text=WAGE_AGAIN)  # the same client sending the same tip again
    claim.refresh_from_db()
    assert claim.demand == 2 and Tip.objects.count() == 2
    other = APIClient(REMOTE_ADDR="10.0.0.9")
    _tip(other, text=WAGE_AGAIN)  # another reader asking the same counts
    claim.refresh_from_db()
    assert claim.demand == 3


def test_tips_with_the_same_link_cluster_onto_one_claim():
    _tip(url="https://example.com/post/1")
    _tip(APIClient(REMOTE_ADDR="10.0.0.9"), url="https://example.com/post/1", text="Completely other words here")
    claim = Claim.objects.get()
    assert claim.demand == 2 and claim.from_tip_line


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": WAGE, "url": "not a link"}, "url"),
        ({"text": WAGE, "url": "https://example.com/" + "a" * 1000}, "url"),
        ({"text": WAGE, "email": EMAIL}, "consent"),
        ({"text": WAGE, "email": "nobody", "consent": True}, "email"),
        ({"text": WAGE, "language": "not a language!"}, "language"),
        ({"text": ["a", "list"]}, "text"),
        ({"text": WAGE, "status": "published"}, "status"),
    ],
)
def test_bad_tips_answer_400_naming_the_field(data, field):
    response = _tip(**data)
    assert response.status_code == 400 and field in response.json(), response.content
    assert not Claim.objects.exists()


def test_the_honeypot_is_answered_like_a_tip_and_stores_nothing():
    response = _tip(text=PETROL, website="http://spam.example")
    assert response.status_code == 201 and response.json()["status"] == "received"
    assert not Claim.objects.exists() and not Tip.objects.exists()


def test_tips_have_their_own_rate_limit_shared_by_the_page(settings, client):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "tips": "2/min"},
    }
    from rest_framework.settings import api_settings

    from claims.api.throttling import TipRateThrottle

    TipRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        assert _tip(text=PETROL).status_code == 201
        assert _tip(text=WAGE).status_code == 201
        assert _tip(text="A third claim about the weather in Baku.").status_code == 429
        page = client.post(reverse("claims:tips"), {"text": "A fourth claim about rain."})
        assert page.status_code == 429 and b"Too many tips" in page.content
    finally:
        TipRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert Claim.objects.count() == 2


# --- The page -------------------------------------------------------------------------------


def test_the_page_is_linked_from_home_and_answers_a_plain_form_post(reviewer, editor, ratings):
    from django.test import Client

    published = published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], text=WAGE)
    browser = Client(enforce_csrf_checks=True)
    home = browser.get("/")
    assert reverse("claims:tips").encode() in home.content
    page = browser.get(reverse("claims:tips"))
    assert page.status_code == 200 and b'name="csrfmiddlewaretoken"' in page.content
    assert browser.post(reverse("claims:tips"), {"text": WAGE_AGAIN}).status_code == 403  # no CSRF token
    token = browser.cookies["csrftoken"].value
    answer = browser.post(reverse("claims:tips"), {"text": WAGE_AGAIN, "csrfmiddlewaretoken": token})
    assert answer.status_code == 200
    assert b"Already checked" in answer.content and published.get_absolute_url().encode() in answer.content
    bad = browser.post(reverse("claims:tips"), {"text": "", "csrfmiddlewaretoken": token})
    assert bad.status_code == 400 and b"Tell us the claim" in bad.content


# --- Emails ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_double_opt_in_then_the_verdict_email_arrive_at_the_smtp_server(
    mailer, client, reviewer, editor, second_editor, ratings
):
    smtp = mailer.inbox
    assert _tip(text=PETROL, email="Tipster@Example.org", consent=True).status_code == 201
    _tip(APIClient(REMOTE_ADDR="10.0.0.9"), text=PETROL + " Really.", email=EMAIL, consent=True)
    _mails(mailer, 1)
    assert len(smtp.messages) == 1, "one confirmation per address and claim"
    confirmation = smtp.messages[0]
    assert confirmation["To"] == EMAIL and confirmation["Subject"] == "Confirm your address"
    claim = Claim.objects.get()

    # Not confirmed yet: a publication enqueues nothing and mails nobody.
    fan_outs = len(job_rows("fan_out_tip_emails"))
    published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claim=claim, summary="It rose 4%.")
    assert len(job_rows("fan_out_tip_emails")) == fan_outs
    assert len(smtp.messages) == 1

    confirm = _link(confirmation.get_content(), "confirm")
    assert client.get(confirm).status_code == 200
    assert TipSubscription.objects.get().confirmed_at is None  # a GET (a mail scanner) confirms nothing
    assert client.post(confirm).status_code == 200
    assert TipSubscription.objects.get().confirmed_at is not None

    verdict = claim.verdicts.get(status="published")
    draft = services.draft_correction(verdict=verdict, by=reviewer, summary="It rose 6%.", correction_note="New data.")
    services.submit_verdict(verdict=draft, by=reviewer)
    services.publish_verdict(verdict=draft, by=second_editor)
    corrected = _mails(mailer, 2)[-1]
    assert corrected["Subject"].startswith("Corrected") and "It rose 6%." in corrected.get_content()
    assert "New data." in corrected.get_content() and corrected["List-Unsubscribe"]
    services.withdraw_verdict(verdict=draft, by=editor, reason="The source retracted.")
    withdrawn = _mails(mailer, 3)[-1]
    assert withdrawn["Subject"].startswith("Withdrawn") and "The source retracted." in withdrawn.get_content()
    assert len(smtp.messages) == 3

    unsubscribe = _link(withdrawn.get_content(), "unsubscribe")
    assert client.get(unsubscribe).status_code == 200 and TipSubscription.objects.exists()
    assert client.post(unsubscribe).status_code == 200
    assert not TipSubscription.objects.exists()  # forgotten: the address is deleted


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_first_publication_mails_confirmed_tipsters(mailer, client, reviewer, editor, ratings):
    _tip(text=PETROL, email=EMAIL, consent=True)
    client.post(_link(_mails(mailer, 1)[0].get_content(), "confirm"))
    published_claim(
        reviewer=reviewer,
        editor=editor,
        rating=ratings["false"],
        claim=Claim.objects.get(),
        summary="Prices rose 4%.",
    )
    message = _mails(mailer, 2)[-1]
    assert message["Subject"].startswith("Checked") and "Prices rose 4%." in message.get_content()
    assert "/tips/unsubscribe/" in message.get_content()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mail_server_that_refuses_the_first_attempt_gets_the_mail_on_retry(mailer):
    mailer.inbox.refuse = 1
    _tip(text=PETROL, email=EMAIL, consent=True)
    (message,) = _mails(mailer, 1)
    assert mailer.inbox.refused == 1 and message["Subject"] == "Confirm your address"
    (job,) = job_rows("send_tip_email")[-1:]
    # The mail arrives before the worker records the job as done: wait for the record.
    finished = wait_for_job(job["id"], worker=mailer, statuses=("succeeded", "failed"))
    assert finished == {"status": "succeeded", "attempts": 2}
    assert TipSubscription.objects.get().confirmation_sent_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_address_forgotten_before_its_send_job_runs_gets_nothing(reviewer, editor, ratings, smtp):
    """The send jobs are written (fan-out), then one tipster unsubscribes, then a worker runs."""
    from django.utils import timezone

    from claims.intake import emails

    claim = services.create_tip_claim(text=PETROL, language="en")
    published = published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claim=claim)
    now = timezone.now()
    kept, forgotten = (
        TipSubscription.objects.create(claim=claim, email=address, consented_at=now, confirmed_at=now)
        for address in ("kept@example.org", "forgotten@example.org")
    )
    verdict = published.verdicts.get(status="published")
    before = len(job_rows("send_tip_email"))
    assert emails.fan_out(claim_id=claim.pk, verdict_id=verdict.pk, event="published") == 2
    forgotten.delete()
    with job_worker(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
    ) as worker:
        sends = job_rows("send_tip_email")[before:]
        assert len(sends) == 2
        wait_for(
            lambda: all(row["status"] == "succeeded" for row in job_rows("send_tip_email")[before:]),
            worker=worker,
            what="both send jobs",
        )
    assert [message["To"] for message in smtp.messages] == ["kept@example.org"]


def test_forged_or_foreign_tokens_are_refused(client):
    from claims.intake.emails import confirm_token

    _tip(text=PETROL, email=EMAIL, consent=True)
    subscription = TipSubscription.objects.get()
    assert client.post(f"/tips/confirm/{confirm_token(subscription.pk)}x/").status_code == 404
    # A confirmation token does not unsubscribe (each link is signed for one purpose).
    assert client.post(f"/tips/unsubscribe/{confirm_token(subscription.pk)}/").status_code == 404
    assert TipSubscription.objects.filter(confirmed_at__isnull=True).count() == 1


def test_emails_never_reach_the_public(reviewer, editor, ratings, client):
    claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], text=WAGE)
    response = _tip(text=WAGE_AGAIN, email=EMAIL, consent=True)
    assert EMAIL not in response.content.decode()
    assert TipSubscription.objects.filter(email=EMAIL).exists()
    pages = [claim.get_absolute_url(), "/", "/claims/", "/feed/", "/sitemap.xml", "/claims.csv"]
    api = [f"/api/v1/claims/{claim.slug}/", "/api/v1/claims/", "/api/v1/claimreview/feed/", "/api/v1/schema/"]
    for path in pages + api:
        answer = client.get(path)
        assert answer.status_code == 200, path
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        assert EMAIL.encode() not in body, path


# --- The review queue -------------------------------------------------------------------------


def test_the_review_queue_sorts_by_demand_and_shows_tips_without_addresses(client, reviewer):
    from claims.admin.claims import ClaimAdmin

    _tip(text=PETROL, email=EMAIL, consent=True)
    for n in range(3):
        _tip(APIClient(REMOTE_ADDR=f"10.0.0.{n + 1}"), text=WAGE)
    quiet = services.create_claim(text="Baku hosted the games in 2015.", by=reviewer)
    client.force_login(reviewer)
    column = ["action_checkbox", *ClaimAdmin.list_display].index("demand_column")
    page = client.get(f"/admin/claims/claim/?o={column}")
    assert page.status_code == 200
    shown = [claim.pk for claim in page.context["cl"].result_list]
    wage, petrol = Claim.objects.get(text=WAGE), Claim.objects.get(text=PETROL)
    assert shown == [wage.pk, petrol.pk, quiet.pk] and wage.demand == 3
    assert page.context["cl"].get_ordering(page.wsgi_request, Claim.objects.all())[-1] == "pk"
    detail = client.get(f"/admin/claims/claim/{petrol.pk}/change/")
    assert detail.status_code == 200 and b"Tips from readers" in detail.content
    assert PETROL.encode() in detail.content and EMAIL.encode() not in detail.content
    tip_line = client.get("/admin/claims/claim/?from_tip_line__exact=1")
    assert {claim.pk for claim in tip_line.context["cl"].result_list} == {wage.pk, petrol.pk}


@pytest.mark.matching
def test_a_tip_in_other_words_is_answered_by_meaning_with_the_real_model(reviewer, editor, ratings):
    embedded = services.create_claim(text=WAGE, by=reviewer)  # through the service: with its vector
    published = published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claim=embedded)
    body = _tip(text="Next year the lowest legal hourly pay goes up to $15.").json()
    assert body["status"] == "already_checked" and body["checked"][0]["url"].endswith(published.get_absolute_url())
    assert "similarity" in body["checked"][0]["reason"]
    published.refresh_from_db()
    assert published.demand == 1
    # Another figure is another claim: a new one from the tip line, and no verdict offered for it.
    other = _tip(text="The minimum wage will rise to 12 dollars an hour next year.").json()
    assert other["status"] == "received"
    assert Claim.objects.filter(from_tip_line=True).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readers_sending_one_claim_at_once_make_one_claim():
    from claims.tests.test_concurrency import run_together

    variants = [WAGE, WAGE_AGAIN, WAGE + " Really.", "Next year, " + WAGE.lower()]
    outcomes = run_together(
        [
            lambda n=n, text=text: _tip(APIClient(REMOTE_ADDR=f"10.1.0.{n}"), text=text).status_code
            for n, text in enumerate(variants)
        ]
    )
    assert [value for _, value in outcomes] == [201] * 4, outcomes
    claim = Claim.objects.get()
    assert claim.demand == 4 and Tip.objects.filter(claim=claim).count() == 4
