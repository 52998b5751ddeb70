"""The claim list and detail are built from plain rows (claims/api/rows.py) for speed; the
serializers document the same shape in the OpenAPI schema. These tests hold the two together:
the API answers exactly what `ClaimSerializer` / `ClaimDetailSerializer` would."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from claims import selectors, services
from claims.api.serializers.read import ClaimDetailSerializer, ClaimSerializer
from claims.tests import factories
from claims.tests.api_world import client_for
from claims.tests.once import per_test_copy, rating_scale, role_user, shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def corrected_claim_once(request, django_db_setup, django_db_blocker):
    with shared_data(request, django_db_blocker):
        yield build_corrected_claim(reviewer=role_user("reviewer"), editor=role_user("editor"), ratings=rating_scale())


@pytest.fixture
def corrected_claim(request, corrected_claim_once):
    return per_test_copy(request, corrected_claim_once)


def build_corrected_claim(*, reviewer, editor, ratings):
    """A public claim with everything the detail shows: two topics, an article with an outlet and
    two authors, a reported appearance, figures on two measures, and a corrected verdict (the
    superseded one and the current one, each with evidence)."""
    claim = factories.ClaimFactory(first_seen=datetime.date(2026, 2, 1))
    claim.topics.add(factories.TopicFactory(name="Oil"), factories.TopicFactory(name="Borders"))
    article = factories.ArticleFactory(outlet=factories.SourceFactory(), published_on=datetime.date(2026, 2, 2))
    article.authors.set([factories.SourceFactory(kind="person", name=n) for n in ("Zed", "Amy")])
    appearance = factories.AppearanceFactory(
        claim=claim, article=article, voice="reports", attributed_to=factories.SourceFactory(kind="person")
    )
    factories.AppearanceFactory(claim=claim)
    for measure in (factories.MeasureFactory(), factories.MeasureFactory()):
        factories.FigureFactory(
            appearance=appearance, measure=measure, low=Decimal("1.5"), high=Decimal("2"),
            point_in_time=datetime.date(2025, 1, 1),
        )  # fmt: skip
    first = services.create_verdict(
        claim=claim, rating=ratings["true"], summary="First.", by=reviewer,
        evidence=[{"url": "https://e.example.org/1", "title": "One"}],
    )  # fmt: skip
    services.publish_verdict(verdict=services.submit_verdict(verdict=first, by=reviewer), by=editor)
    second = services.create_verdict(
        claim=claim, rating=ratings["false"], summary="Corrected.", by=reviewer,
        evidence=[{"url": "https://e.example.org/2", "title": "Two"}, {"url": "https://e.example.org/3", "title": "3"}],
    )  # fmt: skip
    services.publish_verdict(
        verdict=services.submit_verdict(verdict=second, by=reviewer), by=editor, correction_note="New data."
    )
    factories.ClaimFactory()  # a claim in no public state, for staff lists
    return claim


def _serialized(serializer_class, instance, user, path, many=False):
    request = Request(APIRequestFactory().get(path))
    request.user = user
    data = serializer_class(instance, many=many, context={"request": request, "format": None}).data
    return json.loads(JSONRenderer().render(data))


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
def test_it_lists_claims_exactly_as_the_claim_serializer_would(corrected_claim, request, role):
    user = request.getfixturevalue(role) if role != "anonymous" else None
    answered = client_for(user).get("/api/v1/claims/").json()["results"]
    viewer = user or AnonymousUser()
    claims = selectors.claim_list(viewer).order_by("-first_seen", "-id")
    assert answered == _serialized(ClaimSerializer, claims, viewer, "/api/v1/claims/", many=True)
    assert len(answered) == (1 if user is None else 2)


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
def test_it_shows_a_claim_exactly_as_the_detail_serializer_would(corrected_claim, request, role):
    user = request.getfixturevalue(role) if role != "anonymous" else None
    path = f"/api/v1/claims/{corrected_claim.slug}/"
    response = client_for(user).get(path)
    viewer = user or AnonymousUser()
    claim = selectors.claim_detail(viewer).get(pk=corrected_claim.pk)
    expected = _serialized(ClaimDetailSerializer, claim, viewer, path)
    assert response.json() == expected
    assert response.headers["ETag"] == f'"{services.row_version(claim)}"'
    assert len(expected["verdicts"]) == 2 and len(expected["figures_by_measure"]) == 2
    assert [a["name"] for a in expected["appearances"][0]["article"]["authors"]] == ["Amy", "Zed"]
    assert ("author" in expected["verdicts"][0]) is (user is not None)


def test_it_links_with_the_format_suffix_when_asked_for_one(corrected_claim):
    item = client_for().get("/api/v1/claims.json").json()["results"][0]
    assert item["url"].endswith(f"/api/v1/claims/{corrected_claim.slug}.json")
    assert item["links"]["claimreview"].endswith(f"/api/v1/claims/{corrected_claim.slug}/claimreview/")


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
@pytest.mark.parametrize("ordering", ["-first_seen", "first_seen", "-id", "created_at"])
def test_the_compiled_list_pages_equal_the_general_path(corrected_claim, request, role, ordering):
    """An unfiltered list runs SQL compiled once per process (`claims/compiled.py`); the same
    request through the filter backends (`ordering` named, or the `format` suffix) must answer the
    same items, page after page, and the compiled cursor links must work on the general path too."""
    user = request.getfixturevalue(role) if role != "anonymous" else None
    for n in range(5):  # several claims on one day, and one without a first-seen date
        factories.ClaimFactory(status="published", first_seen=datetime.date(2026, 2, 1) if n < 3 else None)
    client = client_for(user)
    pages_compiled, pages_general = [], []
    url = f"/api/v1/claims/?page_size=2&ordering={ordering}"
    while url:  # the general path, page by page
        body = client.get(url).json()
        pages_general.append(body["results"])
        url = body["next"]
    default = ordering == "-first_seen"
    if default:  # the compiled path: no `ordering` parameter
        url = "/api/v1/claims/?page_size=2"
        while url:
            body = client.get(url).json()
            pages_compiled.append(body["results"])
            url = body["next"]
        assert pages_compiled == pages_general
    assert sum(len(page) for page in pages_general) == (6 if user is None else 7)


def test_a_forged_cursor_is_a_400_on_the_compiled_path(corrected_claim):
    import base64

    for payload in (b'{"k":["first_seen",true],"v":"not a date","id":1}', b'{"k":["first_seen",true],"v":5,"id":1}'):
        cursor = base64.urlsafe_b64encode(payload).decode()
        assert client_for().get(f"/api/v1/claims/?cursor={cursor}").status_code == 400


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
def test_the_compiled_detail_equals_the_general_path(corrected_claim, request, role):
    """The detail without query parameters runs compiled SQL; with one (`format`) it builds the
    querysets afresh. Both answer the same, twice in a row (the second from the compiled cache)."""
    user = request.getfixturevalue(role) if role != "anonymous" else None
    client = client_for(user)
    path = f"/api/v1/claims/{corrected_claim.slug}/"
    # The general path keeps `?format=json` in the links it builds, as DRF does.
    general = json.loads(client.get(f"{path}?format=json").content.decode().replace("?format=json", ""))
    assert client.get(path).json() == general
    assert client.get(path).json() == general
    assert client.get("/api/v1/claims/no-such-claim/").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
def test_the_compiled_search_pages_equal_the_general_path(corrected_claim, request, role):
    """`?q=` alone runs compiled, page after page (one SQL per process, visibility and kind of
    cursor; the text and the rank position are parameters); with `format` it goes through
    django-filter. Same items in the same rank order, for several texts in turn (later ones reuse
    the compiled statements), ties in rank included."""
    from claims import compiled

    user = request.getfixturevalue(role) if role != "anonymous" else None
    for n in range(4):
        factories.ClaimFactory(status="published", text=f"Oil exports rose by {n} percent; oil and gas output {n}.")
    factories.ClaimFactory(status="published", text="Oil exports rose.")
    factories.ClaimFactory(status="published", text="Oil exports rose.")  # the same rank: ordered by id
    factories.ClaimFactory(text="Oil pipeline claim still in review.")
    client = client_for(user)

    def walk(url):
        pages = []
        while url:
            body = client.get(url).json()
            pages.append(body["results"])
            url = body["next"]
        return pages

    for text in ("oil", "oil exports", "pipeline", '"no such phrase anywhere"'):
        query = f"q={text.replace(' ', '+')}&page_size=2"
        general = walk(f"/api/v1/claims/?{query}&format=json")
        compiled_pages = walk(f"/api/v1/claims/?{query}")
        assert compiled_pages == json.loads(json.dumps(general).replace("?format=json", "").replace(".json", ""))
        ids = [item["id"] for page in compiled_pages for item in page]
        assert len(ids) == len(set(ids))
    assert sum(len(page) for page in walk("/api/v1/claims/?q=oil&page_size=2")) == 6 + (user is not None)
    assert {key[0] for key in compiled._cache} >= {"api-claim-search"}  # the compiled path ran
    hits = client.get("/api/v1/claims/", {"q": "pipeline"}).json()["results"]
    assert len(hits) == (0 if user is None else 1)  # the claim in review reaches staff only


def test_a_forged_search_cursor_is_a_400_on_the_compiled_path(corrected_claim):
    import base64

    for value in ('"not a rank"', "5", "null"):
        payload = f'{{"k":["rank",true],"v":{value},"id":1}}'.encode()
        cursor = base64.urlsafe_b64encode(payload).decode()
        status = client_for().get(f"/api/v1/claims/?q=oil&cursor={cursor}").status_code
        assert status == (200 if value == "null" else 400), value


def test_the_compiled_search_refuses_what_the_filter_refuses(corrected_claim):
    client = client_for()
    response = client.get("/api/v1/claims/", {"q": "oil\x00"})
    assert response.status_code == 400
    assert client.get("/api/v1/claims/", {"q": "oil\x00", "format": "json"}).json() == response.json()
    assert list(response.json()) == ["q"]
    blank = client.get("/api/v1/claims/", {"q": "   "})
    assert blank.status_code == 200 and len(blank.json()["results"]) == 1  # no search: every public claim


def test_a_format_query_parameter_does_not_leak_into_later_requests_links(corrected_claim):
    """DRF copies `?format=` into the links it reverses; the URL templates kept across requests
    must not carry it to a request that did not ask for it (it used to, for the whole process)."""
    from claims.api import rows

    rows._SHARED_TEMPLATES.clear()
    client = client_for()
    asked = client.get("/api/v1/claims/?format=json").json()["results"][0]
    assert asked["url"].endswith("/?format=json")
    plain = client.get("/api/v1/claims/").json()["results"][0]
    assert "format=" not in json.dumps(plain)
    detail = client.get(f"/api/v1/claims/{corrected_claim.slug}/").json()
    assert "format=" not in json.dumps(detail)
