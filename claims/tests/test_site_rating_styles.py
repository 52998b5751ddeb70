"""/ratings.css: the rating colours of the scale (data) as a stylesheet the CSP allows."""

import pytest
from django.core.validators import slug_re

from claims.models import RatingLevel
from claims.views.styles import rating_stylesheet

pytestmark = pytest.mark.django_db


def test_it_gives_every_rating_level_its_colour(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/ratings.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    for level in RatingLevel.objects.all():
        assert f'[data-rating="{level.slug}"] {{ --rating: {level.colour}; }}' in css


def test_it_follows_a_recoloured_scale_and_answers_304_while_unchanged(client):
    first = client.get("/ratings.css")
    assert client.get("/ratings.css", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    RatingLevel.objects.filter(slug="mixed").update(colour="#123456")
    changed = client.get("/ratings.css", HTTP_IF_NONE_MATCH=first["ETag"])

    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert '[data-rating="mixed"] { --rating: #123456; }' in changed.content.decode()


def test_it_refuses_writes(client):
    assert client.post("/ratings.css").status_code == 405


def test_it_builds_one_rule_per_level_as_a_plain_function():
    levels = [RatingLevel(slug="true", colour="#1a7f37"), RatingLevel(slug="false", colour="#c62828")]
    assert rating_stylesheet(levels).splitlines()[1:] == [
        '[data-rating="true"] { --rating: #1a7f37; }',
        '[data-rating="false"] { --rating: #c62828; }',
    ]


def test_it_writes_only_plain_slugs_and_hex_colours_into_the_stylesheet():
    levels = [
        RatingLevel(slug='x"] body { display: none } [a="', colour="#1a7f37"),
        RatingLevel(slug="ok", colour="red;}"),
    ]
    css = rating_stylesheet(levels)
    assert "body" not in css and "red" not in css
    assert '[data-rating="ok"] { --rating: #59636e; }' in css  # the guard's muted grey


@pytest.mark.parametrize(("slug", "plain"), [("mostly-true_2", True), ("true\n", False), ("café", False)])
def test_it_calls_a_slug_plain_by_djangos_slug_rule(slug, plain):
    css = rating_stylesheet([RatingLevel(slug=slug, colour="#1a7f37")])
    assert (f'[data-rating="{slug}"]' in css) is plain is bool(slug_re.match(slug))
