"""The claim list and detail (built from plain rows, claims/api/rows.py): what they answer, and
that it is what the OpenAPI document says they answer, whatever the request's parameters."""

import datetime
import json
from decimal import Decimal

import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from claims import services
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


STAFF_ONLY = {"author", "approver", "assigned_to"}


@pytest.fixture
def documented():
    """The OpenAPI document's component schemas, `$ref`s written out in place (and a one-item
    `allOf`, drf-spectacular's form of a nullable reference, merged into its schema)."""
    schema = yaml.safe_load(client_for().get("/api/v1/schema/").content)
    components = schema["components"]["schemas"]

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(components[node["$ref"].rsplit("/", 1)[1]])
            if len(node.get("allOf", ())) == 1:  # a nullable or described reference, as one schema
                rest = {key: value for key, value in node.items() if key != "allOf"}
                return {**inline(node["allOf"][0]), **inline(rest)}
            # drf-spectacular's blank URL is `oneOf` a URI or an empty string, which '' is both.
            return {"anyOf" if key == "oneOf" else key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    return {name: inline(component) for name, component in components.items()}


def _check_documented(body, schema, staff, where="body"):
    """The body validates against its documented schema, and each object has exactly the
    documented properties (but for the staff-only ones, which readers do not get)."""
    OAS30Validator(schema, format_checker=OAS30Validator.FORMAT_CHECKER).validate(body)
    if body is None:
        return
    if "properties" in schema and isinstance(body, dict):
        properties = schema["properties"]
        missing = set(properties) - set(body)
        assert set(body) <= set(properties), (where, set(body) - set(properties))
        assert missing <= (set() if staff else STAFF_ONLY), (where, missing)
        assert staff or not (STAFF_ONLY & set(body)), where
        for name, value in body.items():
            _check_documented(value, properties[name], staff, f"{where}.{name}")
    elif schema.get("type") == "array":
        for index, item in enumerate(body):
            _check_documented(item, schema["items"], staff, f"{where}[{index}]")


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
def test_the_claim_list_answers_what_its_schema_documents(corrected_claim, documented, request, role):
    user = request.getfixturevalue(role) if role != "anonymous" else None
    answered = client_for(user).get("/api/v1/claims/").json()["results"]
    assert len(answered) == (1 if user is None else 2)
    for item in answered:
        _check_documented(item, documented["Claim"], staff=user is not None)
    item = next(item for item in answered if item["slug"] == corrected_claim.slug)
    corrected_claim.refresh_from_db()
    assert item["url"] == f"http://testserver/api/v1/claims/{corrected_claim.slug}/"
    assert item["first_seen"] == "2026-02-01"
    assert item["rating"]["slug"] == "false" and item["verdict_summary"] == "Corrected."
    assert [topic["name"] for topic in item["topics"]] == ["Borders", "Oil"]
    assert (item["appearances_count"], item["figures_count"]) == (2, 2)
    assert item["version"] == services.row_version(corrected_claim)
    assert item["links"]["web"] == f"http://testserver{corrected_claim.get_absolute_url()}"


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
def test_the_claim_detail_answers_what_its_schema_documents(corrected_claim, documented, request, role):
    user = request.getfixturevalue(role) if role != "anonymous" else None
    response = client_for(user).get(f"/api/v1/claims/{corrected_claim.slug}/")
    expected = response.json()
    _check_documented(expected, documented["ClaimDetail"], staff=user is not None)
    corrected_claim.refresh_from_db()
    assert response.headers["ETag"] == f'"{services.row_version(corrected_claim)}"'
    assert len(expected["verdicts"]) == 2 and len(expected["figures_by_measure"]) == 2
    assert [v["summary"] for v in expected["verdicts"]] == ["Corrected.", "First."]
    assert [v["status"] for v in expected["verdicts"]] == ["published", "superseded"]
    assert [e["title"] for e in expected["evidence"]] == ["Two", "3"]
    assert expected["evidence"] == expected["verdicts"][0]["evidence"]
    assert [a["name"] for a in expected["appearances"][0]["article"]["authors"]] == ["Amy", "Zed"]
    assert expected["appearances"][0]["voice"] == "reports"
    assert expected["appearances"][0]["article"]["published_on"] == "2026-02-02"
    figure = expected["figures_by_measure"][0]["figures"][0]
    assert (figure["low"], figure["high"], figure["point_in_time"]) == ("1.500000", "2.000000", "2025-01-01")
    assert ("author" in expected["verdicts"][0]) is (user is not None)
    assert ("assigned_to" in expected) is (user is not None)


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
@pytest.mark.parametrize(
    "path, component", [("appearances", "Appearance"), ("verdicts", "Verdict"), ("evidence", "Evidence")]
)
def test_the_part_endpoints_answer_what_their_schema_documents_and_the_detail_nests(
    corrected_claim, documented, request, role, path, component
):
    """The appearance, verdict and evidence endpoints, list and detail, answer the shape their
    schema documents, item for item what the claim detail nests."""
    user = request.getfixturevalue(role) if role != "anonymous" else None
    client = client_for(user)
    detail = client.get(f"/api/v1/claims/{corrected_claim.slug}/").json()
    nested = {
        "appearances": detail["appearances"],
        "verdicts": detail["verdicts"],
        "evidence": [e for verdict in detail["verdicts"] for e in verdict["evidence"]],
    }[path]
    listed = client.get(f"/api/v1/{path}/", {"claim": corrected_claim.slug}).json()["results"]
    assert sorted(listed, key=lambda item: item["id"]) == sorted(nested, key=lambda item: item["id"])
    assert listed
    for item in listed:
        _check_documented(item, documented[component], staff=user is not None, where=f"{path}[]")
        response = client.get(f"/api/v1/{path}/{item['id']}/")
        assert response.json() == item
        assert response.headers["ETag"] == f'"{item["version"]}"'


def test_it_links_with_the_format_suffix_when_asked_for_one(corrected_claim):
    item = client_for().get("/api/v1/claims.json").json()["results"][0]
    assert item["url"].endswith(f"/api/v1/claims/{corrected_claim.slug}.json")
    assert item["links"]["claimreview"].endswith(f"/api/v1/claims/{corrected_claim.slug}/claimreview/")


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
@pytest.mark.parametrize("ordering", ["-first_seen", "first_seen", "-id", "created_at"])
def test_the_list_pages_alike_with_the_ordering_named_or_left_to_its_default(corrected_claim, request, role, ordering):
    """Every ordering pages through every visible claim exactly once, ties on one day and a claim
    without a first-seen date included; the default ordering answers what naming it answers."""
    user = request.getfixturevalue(role) if role != "anonymous" else None
    for n in range(5):  # several claims on one day, and one without a first-seen date
        factories.ClaimFactory(status="published", first_seen=datetime.date(2026, 2, 1) if n < 3 else None)
    client = client_for(user)
    pages_default, pages_named = [], []
    url = f"/api/v1/claims/?page_size=2&ordering={ordering}"
    while url:
        body = client.get(url).json()
        pages_named.append(body["results"])
        url = body["next"]
    default = ordering == "-first_seen"
    if default:  # no `ordering` parameter
        url = "/api/v1/claims/?page_size=2"
        while url:
            body = client.get(url).json()
            pages_default.append(body["results"])
            url = body["next"]
        assert pages_default == pages_named
    ids = [item["id"] for page in pages_named for item in page]
    assert len(ids) == len(set(ids)) == (6 if user is None else 7)


def test_a_forged_cursor_is_a_400(corrected_claim):
    import base64

    for payload in (b'{"k":["first_seen",true],"v":"not a date","id":1}', b'{"k":["first_seen",true],"v":5,"id":1}'):
        cursor = base64.urlsafe_b64encode(payload).decode()
        assert client_for().get(f"/api/v1/claims/?cursor={cursor}").status_code == 400


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
def test_the_detail_answers_alike_with_a_format_parameter(corrected_claim, request, role):
    """`?format=json` answers what the plain request answers (its links keep `?format=json`, as
    DRF's do), twice in a row."""
    user = request.getfixturevalue(role) if role != "anonymous" else None
    client = client_for(user)
    path = f"/api/v1/claims/{corrected_claim.slug}/"
    formatted = json.loads(client.get(f"{path}?format=json").content.decode().replace("?format=json", ""))
    assert client.get(path).json() == formatted
    assert client.get(path).json() == formatted
    assert client.get("/api/v1/claims/no-such-claim/").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
def test_the_search_pages_alike_with_a_format_parameter(corrected_claim, request, role):
    """`?q=` page after page, with and without `format`: the same items in the same rank order,
    for several texts in turn, ties in rank included, each claim once."""
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
        formatted = walk(f"/api/v1/claims/?{query}&format=json")
        plain = walk(f"/api/v1/claims/?{query}")
        assert plain == json.loads(json.dumps(formatted).replace("?format=json", "").replace(".json", ""))
        ids = [item["id"] for page in plain for item in page]
        assert len(ids) == len(set(ids))
    assert sum(len(page) for page in walk("/api/v1/claims/?q=oil&page_size=2")) == 6 + (user is not None)
    hits = client.get("/api/v1/claims/", {"q": "pipeline"}).json()["results"]
    assert len(hits) == (0 if user is None else 1)  # the claim in review reaches staff only


def test_a_forged_search_cursor_is_a_400(corrected_claim):
    import base64

    for value in ('"not a rank"', "5", "null"):
        payload = f'{{"k":["rank",true],"v":{value},"id":1}}'.encode()
        cursor = base64.urlsafe_b64encode(payload).decode()
        status = client_for().get(f"/api/v1/claims/?q=oil&cursor={cursor}").status_code
        assert status == (200 if value == "null" else 400), value


def test_the_search_refuses_a_nul_alike_with_or_without_format(corrected_claim):
    client = client_for()
    response = client.get("/api/v1/claims/", {"q": "oil\x00"})
    assert response.status_code == 400
    assert client.get("/api/v1/claims/", {"q": "oil\x00", "format": "json"}).json() == response.json()
    assert list(response.json()) == ["q"]
    blank = client.get("/api/v1/claims/", {"q": "   "})
    assert blank.status_code == 200 and len(blank.json()["results"]) == 1  # no search: every public claim


def test_a_format_query_parameter_does_not_leak_into_later_requests_links(corrected_claim):
    """DRF copies `?format=` into the links it reverses; the URL templates kept across requests
    must not carry it to a request that did not ask for it."""
    client = client_for()
    asked = client.get("/api/v1/claims/?format=json").json()["results"][0]
    assert asked["url"].endswith("/?format=json")
    plain = client.get("/api/v1/claims/").json()["results"][0]
    assert "format=" not in json.dumps(plain)
    detail = client.get(f"/api/v1/claims/{corrected_claim.slug}/").json()
    assert "format=" not in json.dumps(detail)


def test_each_filter_value_answers_its_own_claims_page_after_page(reviewer, editor):
    """The page query is compiled once per shape and kept: the filters' values are part of that
    shape, so one claimant's list never answers for another's, nor one reviewer's
    `assigned_to_me` for another reviewer's, on any page."""
    first, second = factories.SourceFactory(slug="first-source"), factories.SourceFactory(slug="second-source")
    for n in range(3):
        factories.ClaimFactory(status="published", claimant=first, slug=f"first-{n}")
        factories.ClaimFactory(status="published", claimant=second, slug=f"second-{n}", assigned_to=editor)

    def walk(client, query):
        slugs, url = [], f"/api/v1/claims/?page_size=2&{query}"
        while url:
            body = client.get(url).json()
            slugs += [item["slug"] for item in body["results"]]
            url = body["next"]
        return sorted(slugs)

    anonymous = client_for()
    for _ in range(2):  # the second round from the kept statements
        assert walk(anonymous, "claimant=first-source") == ["first-0", "first-1", "first-2"]
        assert walk(anonymous, "claimant=second-source") == ["second-0", "second-1", "second-2"]
        assert walk(client_for(reviewer), "assigned_to_me=true") == []
        assert walk(client_for(editor), "assigned_to_me=true") == ["second-0", "second-1", "second-2"]


def test_a_filter_that_can_match_nothing_answers_an_empty_page(corrected_claim):
    """`assigned_to_me=true` for an anonymous caller is `none()`: a query with no SQL at all."""
    for _ in range(2):
        body = client_for().get("/api/v1/claims/", {"assigned_to_me": "true"}).json()
        assert body["results"] == [] and body["next"] is None
        assert (
            client_for().get(f"/api/v1/claims/{corrected_claim.slug}/", {"assigned_to_me": "true"}).status_code == 404
        )
