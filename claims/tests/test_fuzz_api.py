"""API fuzzing with schemathesis against the project's own OpenAPI document, in-process (WSGI).

Every operation, writes included, gets FUZZ_EXAMPLES generated requests (default 30) with valid
data and as many with invalid data, sent with an editor's token so that writes reach validation
rather than stopping at 401. Checks: all of schemathesis' checks (what `--checks all` runs), so no
5xx, every response as documented, invalid data refused and valid data accepted.
"""

import os
from pathlib import Path

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as CHECKS_REGISTRY

from factcheck import rate_counter

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
# Invalid data is refused early and alike; a third as many keeps the run under a few minutes.
FUZZ_NEGATIVE_EXAMPLES = int(os.environ.get("FUZZ_NEGATIVE_EXAMPLES", str(max(FUZZ_EXAMPLES // 3, 1))))
CHECKS = CHECKS_REGISTRY.get_by_names(CHECKS_REGISTRY.get_all_names())


@pytest.fixture
def api_schema(world):
    # The test's transaction must survive each in-process request: Django would otherwise close
    # the connection at request start/end (as its own test client avoids too).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def editor_token(editor):
    return Token.objects.create(user=editor).key


def real_path_parameters(world) -> dict[str, dict]:
    """Path parameters naming rows that exist (the unpublished ones, which an editor may change),
    by the path's first segment: random ids would stop nearly every write at a 404."""
    return {
        "claims": {"slug": world.hidden_claim.slug},
        "verdicts": {"id": world.hidden_verdict.pk},
        "articles": {"id": world.hidden_article.pk},
        "figures": {"id": world.hidden_figure.pk},
        "appearances": {"id": world.hidden_figure.appearance_id},
        "evidence": {"id": world.hidden_verdict.evidence.get().pk},
        "measures": {"slug": world.hidden_measure.slug},
        "sources": {"slug": world.hidden_source.slug},
        "topics": {"slug": "demographics"},
        "ratings": {"slug": "false"},
    }


def test_it_answers_every_generated_request_without_5xx_and_as_documented(api_schema, world, editor_token):
    """One hypothesis run per operation (schemathesis' pytest plugin does not support this pytest
    yet); every failure is collected so one run reports them all. Half the valid requests to an
    operation with path parameters name a row that exists."""
    failures = {}
    pinned = real_path_parameters(world)

    def pin(case):
        resource = case.operation.path.removeprefix("/api/v1/").split("/")[0]
        real = pinned.get(resource, {})
        if case.path_parameters:
            case.path_parameters.update({name: real[name] for name in case.path_parameters if name in real})
        return case

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20  # the whole API is in the schema

    for operation in operations:
        for mode, examples in (
            (GenerationMode.POSITIVE, FUZZ_EXAMPLES),
            (GenerationMode.NEGATIVE, FUZZ_NEGATIVE_EXAMPLES),
        ):
            strategy = operation.as_strategy(generation_mode=mode)
            if mode is GenerationMode.POSITIVE and "{" in operation.path:
                strategy = st.one_of(strategy, strategy.map(pin))

            @given(case=strategy)
            @settings(max_examples=examples, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
            def fuzz(case):
                rate_counter.clear()  # throttle counters: the fuzzer is not the client being rate-limited here
                case.call_and_validate(headers={"Authorization": f"Token {editor_token}"}, checks=CHECKS)

            try:
                fuzz()
            except Unsatisfiable:
                # Only string path parameters (a slug) and no body: no request is invalid by the
                # schema. The valid ones ran above.
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - collected, reported below
                failures[f"{operation.label} ({mode.value})"] = str(failure)[:1500]
    Path(os.environ.get("FUZZ_REPORT", "/dev/null")).write_text("\n\n".join(f"{k}:\n{v}" for k, v in failures.items()))

    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
