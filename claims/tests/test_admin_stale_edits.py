"""Two people editing one row in the admin: the second save is refused with a message, never
written over the first (the form carries the version it read)."""

import re

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, Figure, Source
from claims.tests import factories
from claims.tests.test_derived_data import _claim_change_data

pytestmark = pytest.mark.django_db


def _versions(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="([\w-]*row_version)" value="(\d+)"', page))


def test_a_claim_edited_meanwhile_is_not_overwritten(client, reviewer):
    claim = factories.ClaimFactory(text="The original wording of the claim.")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    client.force_login(reviewer)
    read = _versions(client.get(url).content.decode())
    assert read["row_version"] == str(services.row_version(claim))

    services.update_claim(claim=claim, by=reviewer, text="A colleague's better wording.")
    response = client.post(url, _claim_change_data(claim, text="My wording.", row_version=read["row_version"]))
    assert response.status_code == 200
    assert "Someone else changed this claim since you opened the page" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).text == "A colleague's better wording."

    fresh = _versions(client.get(url).content.decode())["row_version"]
    claim.refresh_from_db()
    response = client.post(url, _claim_change_data(claim, text="My wording.", row_version=fresh))
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).text == "My wording."


def test_an_inline_figure_edited_meanwhile_is_not_overwritten(client, reviewer):
    figure = factories.FigureFactory(low=10, high=12, quoted_text="10-12")
    appearance = figure.appearance
    url = reverse("admin:claims_appearance_change", args=[appearance.pk])
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert 'name="figures-0-low" value="10"' in page  # not the column's 10.000000
    read = _versions(page)
    assert read["figures-0-row_version"] == str(services.row_version(figure))

    services.update_figure(figure=figure, by=reviewer, low=11)
    data = {
        "claim": appearance.claim_id,
        "article": appearance.article_id,
        "quote": appearance.quote,
        "voice": appearance.voice,
        "attributed_to": "",
        "row_version": read["row_version"],
        "figures-TOTAL_FORMS": "1",
        "figures-INITIAL_FORMS": "1",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
        "figures-0-id": figure.pk,
        "figures-0-appearance": appearance.pk,
        "figures-0-measure": figure.measure_id,
        "figures-0-quoted_text": "10-13",
        "figures-0-low": "10",
        "figures-0-high": "13",
        "figures-0-qualifier": figure.qualifier,
        "figures-0-unit": figure.unit,
        "figures-0-rank": figure.rank,
        "figures-0-row_version": read["figures-0-row_version"],
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else changed this figure" in response.content.decode()
    assert (Figure.objects.get(pk=figure.pk).low, Figure.objects.get(pk=figure.pk).high) == (11, 12)


def test_a_source_edited_meanwhile_is_not_overwritten(client, editor):
    source = factories.SourceFactory(name="Old name")
    url = reverse("admin:claims_source_change", args=[source.pk])
    client.force_login(editor)
    read = _versions(client.get(url).content.decode())["row_version"]
    Source.objects.filter(pk=source.pk).update(
        name="Renamed by a colleague",
        updated_at=source.updated_at.replace(microsecond=(source.updated_at.microsecond + 1) % 1_000_000),
    )
    data = {"kind": source.kind, "name": "My name", "slug": source.slug, "row_version": read}
    response = client.post(url, data)
    assert response.status_code == 200
    assert Source.objects.get(pk=source.pk).name == "Renamed by a colleague"
