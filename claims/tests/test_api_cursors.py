"""Tampered cursors on every keyset list answer 400 naming `cursor`, never a 5xx: the cursor is
checked before anything reaches the database (`KeysetCursorPagination._decode_cursor`)."""

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.tests import factories
from claims.tests.api_world import client_for
from factcheck import rate_counter

pytestmark = pytest.mark.django_db

# (list URL, its keyset ordering): the compiled paths (no parameters, a plain search) and the
# general ones (a filter, an ordering, `format`), over date, datetime, rank and id keys.
KEYSET_LISTS = [
    ("/api/v1/claims/?page_size=1", ("first_seen", True)),
    ("/api/v1/claims/?page_size=1&format=json", ("first_seen", True)),
    ("/api/v1/claims/?page_size=1&ordering=created_at", ("created_at", False)),
    ("/api/v1/claims/?page_size=1&ordering=-id", ("id", True)),
    ("/api/v1/claims/?page_size=1&q=Azeris", ("rank", True)),
    ("/api/v1/claims/?page_size=1&q=Azeris&format=json", ("rank", True)),
    ("/api/v1/verdicts/?page_size=1", ("id", True)),
    ("/api/v1/verdicts/?page_size=1&ordering=-published_at", ("published_at", True)),
    ("/api/v1/articles/?page_size=1", ("published_on", True)),
    ("/api/v1/figures/?page_size=1&ordering=-point_in_time", ("point_in_time", True)),
    ("/api/v1/appearances/?page_size=1", ("id", False)),
    ("/api/v1/evidence/?page_size=1", ("id", False)),
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=8,
)
iso_texts = st.one_of(
    st.text(max_size=30),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
)
sort_values = st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional={"d": iso_texts | json_values, "dt": iso_texts | json_values}),
    st.builds(lambda tag, text: {tag: text}, st.sampled_from(["d", "dt", "n"]), iso_texts),
    st.builds(lambda text: {"n": text}, st.sampled_from(["x", "NaN", "sNaN", "Infinity", "1e999999", "-0", "1.5"])),
    st.floats(),
)
ids = st.one_of(st.integers(), st.integers(min_value=2**63 - 2, max_value=2**80), st.floats(), json_values)


def _keys(ordering):
    field, descending = ordering
    return st.one_of(st.just([field, descending]), st.just([field, int(descending)]), json_values)


def _payloads(ordering):
    cursor = st.fixed_dictionaries(
        {"k": _keys(ordering), "v": sort_values, "id": ids}, optional={"x": json_values}
    ) | st.dictionaries(st.sampled_from(["k", "v", "id"]), json_values)
    # json.dumps writes NaN and Infinity as bare words, which Python's parser would accept.
    encoded = cursor.map(lambda payload: json.dumps(payload).encode())
    return st.one_of(encoded, st.binary(max_size=60)).map(lambda raw: base64.urlsafe_b64encode(raw).decode())


@pytest.fixture(scope="module")
def world_once(world_once, django_db_blocker):
    with django_db_blocker.unblock():
        factories.ClaimFactory(status="published", text="Azeris in Iran number about 15 million.")  # a 2nd search page
    return world_once


@pytest.mark.parametrize(("url", "ordering"), KEYSET_LISTS)
def test_it_answers_tampered_cursors_with_400_on_every_keyset_list(world, reviewer, url, ordering):
    clients = [client_for(), client_for(reviewer)]
    first = clients[1].get(url)
    assert first.status_code == 200, first.content
    assert first.json()["next"], "the list must have a second page for its cursor to be tampered with"
    honest = clients[1].get(first.json()["next"])
    assert honest.status_code == 200

    @given(cursor=st.one_of(_payloads(ordering), st.text(max_size=40)), anonymous=st.booleans())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    def check(cursor, anonymous):
        rate_counter.clear()  # the anonymous throttle is not what is tested here
        response = clients[0 if anonymous else 1].get(url, {"cursor": cursor})
        assert response.status_code in (200, 400), (cursor, response.status_code)
        if response.status_code == 400:
            assert list(response.json()) == ["cursor"]

    check()


@pytest.mark.parametrize(
    "payload",
    [
        {"k": ["id", True], "v": {"n": "x"}, "id": 1},
        {"k": ["first_seen", True], "v": {"n": "x"}, "id": 1},
        {"k": ["first_seen", True], "v": {"d": "2020-01-01"}, "id": 2**70},
        {"k": ["first_seen", True], "v": {"dt": "2020-01-01T00:00:00+00:00"}, "id": 1},
        {"k": ["first_seen", 1], "v": {"d": "2020-01-01"}, "id": 1},
    ],
)
def test_the_reported_forged_cursors_answer_400(world, payload):
    cursor = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    for url in ("/api/v1/claims/", "/api/v1/claims/?format=json", "/api/v1/verdicts/", "/api/v1/evidence/"):
        response = client_for().get(url, {"cursor": cursor})
        assert response.status_code == 400, (url, response.content)
        assert "cursor" in response.json()


def test_a_garbage_cursor_is_400_naming_the_parameter(world):
    for cursor in ("garbage", "eyJrIjpbImlkIix0cnVlXX0=", "e30=", "=" * 2000):
        response = client_for().get("/api/v1/claims/", {"cursor": cursor})
        assert response.status_code == 400
        assert "Invalid cursor" in response.json()["cursor"][0]
