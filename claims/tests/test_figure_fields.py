"""A figure reads what was written: bounds, qualifier and unit from its quoted text, and a qualifier
that contradicts the bounds is refused with a message naming the field (services, admin, API)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.figures import FigureFieldsError, settle_figure_fields
from claims.models import Figure
from claims.tests import factories
from claims.tests.api_world import client_for

TEN_MILLION_FOUR = Decimal("10400000")


def _settle(quoted_text, low=None, high=None, qualifier=None, unit=None, measure_unit="people"):
    return settle_figure_fields(
        quoted_text=quoted_text, low=low, high=high, qualifier=qualifier, unit=unit, measure_unit=measure_unit
    )


def test_it_reads_bounds_qualifier_and_unit_from_the_quoted_text():
    about = _settle("about 10.4 million")
    assert (about.low, about.high, about.qualifier, about.unit) == (
        TEN_MILLION_FOUR,
        TEN_MILLION_FOUR,
        "approximate",
        "people",
    )
    assert about.read_from is not None
    more = _settle("more than 450 km", measure_unit="mi")
    assert (more.low, more.high, more.qualifier, more.unit) == (Decimal(450), None, "at_least", "km")
    spread = _settle("15-18 million", qualifier="exact")  # the form's default qualifier yields to the text
    assert (spread.low, spread.high, spread.qualifier) == (Decimal(15_000_000), Decimal(18_000_000), "range")
    chosen = _settle("15 million", qualifier="at_most")  # a qualifier the reviewer chose is kept
    assert (chosen.low, chosen.high, chosen.qualifier) == (None, Decimal(15_000_000), "at_most")


def test_approximate_or_exact_with_one_bound_is_that_value_not_an_open_bound():
    about = _settle("about 10.4 million", low=TEN_MILLION_FOUR, qualifier="approximate")
    assert (about.low, about.high, about.read_from) == (TEN_MILLION_FOUR, TEN_MILLION_FOUR, None)
    exact = _settle("5", high=Decimal(5))
    assert (exact.low, exact.high, exact.qualifier) == (Decimal(5), Decimal(5), "exact")
    spread = _settle("10-12", low=Decimal(10), high=Decimal(12), qualifier="exact")  # the default qualifier
    assert spread.qualifier == "range"


@pytest.mark.parametrize(
    "low, high, qualifier, field, message",
    [
        (5, 9, "at_least", "qualifier", "At least takes a low bound only"),
        (None, 9, "at_least", "qualifier", "At least takes a low bound only"),
        (5, 9, "at_most", "qualifier", "At most takes a high bound only"),
        (5, None, "range", "qualifier", "A range needs two different bounds"),
        (5, 5, "range", "qualifier", "A range needs two different bounds"),
        (9, 5, "range", "high", "must not be below the lower bound"),
    ],
)
def test_it_refuses_a_qualifier_that_contradicts_the_bounds(low, high, qualifier, field, message):
    with pytest.raises(FigureFieldsError) as error:
        _settle(
            "x",
            low=None if low is None else Decimal(low),
            high=None if high is None else Decimal(high),
            qualifier=qualifier,
        )
    assert list(error.value.errors) == [field] and message in error.value.errors[field]


def test_text_without_a_figure_and_no_bounds_names_the_low_field():
    with pytest.raises(FigureFieldsError) as error:
        _settle("a great many")
    assert "Give at least one bound" in error.value.errors["low"] and "no number found" in error.value.errors["low"]


@pytest.mark.django_db
def test_the_services_read_the_quoted_text_and_refuse_contradictions(reviewer):
    measure = factories.MeasureFactory(unit="people")
    appearance = factories.AppearanceFactory()
    figure = services.record_figure(
        appearance=appearance, measure=measure, by=reviewer, quoted_text="about 10.4 million"
    )
    figure.refresh_from_db()
    assert (figure.low, figure.high, figure.qualifier, figure.unit) == (
        TEN_MILLION_FOUR,
        TEN_MILLION_FOUR,
        "approximate",
        "people",
    )
    lone = services.record_figure(
        appearance=appearance, measure=measure, by=reviewer, quoted_text="about 10.4 million", low=TEN_MILLION_FOUR,
        qualifier="approximate",
    )  # fmt: skip
    assert lone.high == TEN_MILLION_FOUR  # read as "about 10.4 million", never "at least 10.4 million"
    with pytest.raises(ValidationError) as error:
        services.update_figure(figure=figure, by=reviewer, qualifier="at_least")
    assert "qualifier" in error.value.message_dict


@pytest.mark.django_db
def test_the_api_reads_the_quoted_text_and_names_the_contradicting_field(reviewer):
    measure = factories.MeasureFactory(unit="people")
    appearance = factories.AppearanceFactory()
    client = client_for(reviewer)
    body = {"appearance": appearance.pk, "measure": measure.slug, "quoted_text": "about 10.4 million"}
    created = client.post("/api/v1/figures/", body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (Decimal(data["low"]), Decimal(data["high"]), data["qualifier"], data["unit"]) == (
        TEN_MILLION_FOUR, TEN_MILLION_FOUR, "approximate", "people"
    )  # fmt: skip
    lone = client.post("/api/v1/figures/", {**body, "low": "10400000", "qualifier": "approximate"}, format="json")
    assert lone.status_code == 201 and Decimal(lone.json()["high"]) == TEN_MILLION_FOUR
    refused = client.post("/api/v1/figures/", {**body, "low": "5", "high": "9", "qualifier": "at_least"}, format="json")
    assert refused.status_code == 400 and "qualifier" in refused.json(), refused.json()
    unreadable = client.post("/api/v1/figures/", {**body, "quoted_text": "a great many"}, format="json")
    assert unreadable.status_code == 400 and "low" in unreadable.json(), unreadable.json()
    patched = client.patch(f"/api/v1/figures/{data['id']}/", {"qualifier": "at_most"}, format="json")
    assert patched.status_code == 400 and "qualifier" in patched.json(), patched.json()
    assert Figure.objects.count() == 2


@pytest.fixture
def plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("plain_static")
def test_the_admin_shows_what_it_read_for_confirmation_then_saves(client, reviewer):
    measure = factories.MeasureFactory(unit="people")
    appearance = factories.AppearanceFactory()
    client.force_login(reviewer)
    url = reverse("admin:claims_figure_add")
    form = {
        "appearance": appearance.pk,
        "measure": measure.pk,
        "quoted_text": "about 10.4 million",
        "low": "",
        "high": "",
        "qualifier": "exact",
        "unit": "",
        "rank": "normal",
        "rank_reason": "",
    }
    shown = client.post(url, form)
    page = shown.content.decode()
    assert shown.status_code == 200 and not Figure.objects.exists()
    assert (
        "Read “about 10.4 million” as about 10.4 million (low 10,400,000, high 10,400,000; approximate; unit people)"
        in page
    )
    assert 'value="10400000"' in page
    confirmed = client.post(
        url, {**form, "low": "10400000", "high": "10400000", "qualifier": "approximate", "unit": "people"}
    )
    assert confirmed.status_code == 302, confirmed.content.decode()[:3000]
    figure = Figure.objects.get()
    assert (figure.low, figure.high, figure.qualifier) == (TEN_MILLION_FOUR, TEN_MILLION_FOUR, "approximate")
    contradiction = client.post(url, {**form, "low": "5", "high": "9", "qualifier": "at_least"})
    assert "At least takes a low bound only" in contradiction.content.decode()
    assert Figure.objects.count() == 1
