"""Concurrent writers against the real PostgreSQL: real threads, each with its own connection.

These tests commit (transaction=True) because row locks and unique indexes only interact across
separate transactions. `serialized_rollback` restores the migration-seeded rows (rating scale,
groups) that the flush after a transactional test would otherwise remove for later tests.

Django's pool (DATABASE_POOL_MAX, 8 by default) caps the open connections: extra threads wait
for a free connection (DATABASE_POOL_TIMEOUT), which is part of what is being tested.
"""

import threading
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections

from claims import services
from claims.choices import ClaimStatus, VerdictStatus
from claims.models import Claim, Verdict
from claims.tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(functions, *, timeout=60):
    """Start every function at the same moment in its own thread; return each outcome.

    An outcome is ("ok", value) or ("error", exception). Each thread closes its connection so that
    it goes back to the pool (or is closed) before the test's flush.
    """
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def runner(index, function):
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = ("ok", function())
        except BaseException as exc:  # noqa: BLE001 - reported to the test, never swallowed
            outcomes[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a writer hung (deadlock or pool exhaustion)"
    return outcomes


def kinds(outcomes):
    return Counter("ok" if kind == "ok" else type(value).__name__ for kind, value in outcomes)


@pytest.fixture
def submitted_verdict(reviewer, ratings):
    claim = factories.ClaimFactory()
    verdict = services.create_verdict(claim=claim, rating=ratings["false"], summary="Not so.", by=reviewer)
    return services.submit_verdict(verdict=verdict, by=reviewer)


def test_it_refuses_the_stale_one_of_two_simultaneous_edits(reviewer, django_user_model, ratings, submitted_verdict):
    other = django_user_model.objects.create_user(username="rob-reviewer", password=None, is_staff=True)
    other.groups.add(*reviewer.groups.all())
    version = submitted_verdict.version

    def edit(user, summary):
        return lambda: services.update_verdict(
            verdict=Verdict(pk=submitted_verdict.pk), by=user, expected_version=version, summary=summary
        )

    outcomes = run_together([edit(reviewer, "First edit."), edit(other, "Second edit.")])

    assert kinds(outcomes) == Counter({"ok": 1, "StaleVersion": 1})
    winner = next(value for kind, value in outcomes if kind == "ok")
    stored = Verdict.objects.get(pk=submitted_verdict.pk)
    assert stored.summary == winner.summary
    assert stored.version == version + 1
    # The refused write left no trace in the history either.
    assert stored.history.filter(version=version + 1).count() == 1


def test_it_publishes_one_verdict_when_twenty_editors_publish_the_same_one_at_once(
    editor, django_user_model, submitted_verdict
):
    editors = [editor] + [_editor_like(django_user_model, editor, f"editor-{n}") for n in range(19)]

    outcomes = run_together(
        [
            lambda e=e: services.publish_verdict(
                verdict=Verdict(pk=submitted_verdict.pk, claim_id=submitted_verdict.claim_id), by=e
            )
            for e in editors
        ]
    )

    counts = kinds(outcomes)
    assert counts["ok"] == 1, counts
    assert set(counts) <= {"ok", "ValidationError"}, counts
    claim = Claim.objects.get(pk=submitted_verdict.claim_id)
    assert claim.status == ClaimStatus.PUBLISHED
    assert Verdict.objects.filter(claim=claim, status=VerdictStatus.PUBLISHED).count() == 1
    assert claim.published_verdict_id == submitted_verdict.pk
    assert Verdict.objects.get(pk=submitted_verdict.pk).version == submitted_verdict.version + 1


def test_it_leaves_one_published_verdict_when_twenty_rivals_are_published_at_once(reviewer, editor, ratings):
    claim = factories.ClaimFactory()
    rivals = []
    for n in range(20):
        verdict = services.create_verdict(claim=claim, rating=ratings["mixed"], summary=f"Rival {n}.", by=reviewer)
        rivals.append(services.submit_verdict(verdict=verdict, by=reviewer))

    # No correction note: only the first publication can succeed, the rest must be refused cleanly.
    outcomes = run_together([lambda v=v: services.publish_verdict(verdict=v, by=editor) for v in rivals])

    counts = kinds(outcomes)
    assert counts == Counter({"ok": 1, "ValidationError": 19}), counts
    for kind, value in outcomes:
        if kind == "error":
            assert "correction_note" in value.message_dict
    published = Verdict.objects.filter(claim=claim, status=VerdictStatus.PUBLISHED)
    assert published.count() == 1
    claim.refresh_from_db()
    assert claim.published_verdict_id == published.get().pk


def test_it_chains_twenty_corrections_published_at_once_into_one_public_history(reviewer, editor, ratings):
    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    corrections = []
    for n in range(20):
        verdict = services.create_verdict(claim=claim, rating=ratings["mixed"], summary=f"Correction {n}.", by=reviewer)
        verdict.correction_note = f"Correction {n}: new evidence."
        verdict.save(update_fields=["correction_note"])
        corrections.append(services.submit_verdict(verdict=verdict, by=reviewer))

    outcomes = run_together([lambda v=v: services.publish_verdict(verdict=v, by=editor) for v in corrections])

    assert kinds(outcomes) == Counter({"ok": 20})
    assert Verdict.objects.filter(claim=claim, status=VerdictStatus.PUBLISHED).count() == 1
    assert Verdict.objects.filter(claim=claim, status=VerdictStatus.SUPERSEDED).count() == 20
    # Every superseded verdict is superseded by exactly one other: a single chain, no forks.
    supersedes = list(
        Verdict.objects.filter(claim=claim, supersedes__isnull=False).values_list("supersedes", flat=True)
    )
    assert len(supersedes) == len(set(supersedes)) == 20


def test_it_serialises_publish_and_withdraw_of_one_claim_without_deadlock(reviewer, editor, second_editor, ratings):
    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"])
    current = claim.published_verdict
    correction = services.create_verdict(claim=claim, rating=ratings["false"], summary="Corrected.", by=reviewer)
    correction.correction_note = "New evidence."
    correction.save(update_fields=["correction_note"])
    correction = services.submit_verdict(verdict=correction, by=reviewer)

    outcomes = run_together(
        [
            lambda: services.publish_verdict(verdict=correction, by=second_editor),
            lambda: services.withdraw_verdict(verdict=current, by=editor, reason="Source retracted."),
        ]
    )

    # Whichever went first, the other either succeeded on the new state or was refused cleanly.
    for kind, value in outcomes:
        assert kind == "ok" or isinstance(value, ValidationError | PermissionDenied), value
    assert Verdict.objects.filter(claim=claim, status=VerdictStatus.PUBLISHED).count() <= 1


def test_it_gives_simultaneous_claims_with_the_same_text_distinct_slugs(reviewer):
    text = "The corridor is 43 km long."
    outcomes = run_together([lambda: services.create_claim(text=text, by=reviewer) for _ in range(6)])

    assert kinds(outcomes) == Counter({"ok": 6}), [v for k, v in outcomes if k == "error"]
    slugs = [value.slug for _, value in outcomes]
    assert len(set(slugs)) == 6


def _editor_like(django_user_model, template, username):
    user = django_user_model.objects.create_user(username=username, password=None, is_staff=True)
    user.groups.add(*template.groups.all())
    return user
