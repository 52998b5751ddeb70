"""Credibility, conflicts and cached pages stay current whatever changes whom a claim counts for
(claimant, appearance voice, article outlet and authors), through services and the admin alike;
and the figures and appearances of a public claim are never hard-deleted."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from claims import services
from claims.choices import SourceKind, Voice
from claims.models import Appearance, Figure, Measure, Source
from claims.page_cache import current_generation
from claims.tests import factories

pytestmark = pytest.mark.django_db


def score(source: Source):
    source.refresh_from_db()
    return source.credibility_score, source.rated_claims_count


@pytest.fixture
def rated(ratings, reviewer, editor):
    """A claim rated False, made by a politician and asserted in an article of one outlet."""
    claimant = factories.SourceFactory(kind=SourceKind.PERSON, name="A politician")
    outlet = factories.SourceFactory(kind=SourceKind.OUTLET, name="Old outlet")
    article = factories.ArticleFactory(outlet=outlet)
    claim = factories.ClaimFactory(claimant=claimant)
    appearance = factories.AppearanceFactory(claim=claim, article=article, voice=Voice.ASSERTS)
    claim = factories.published_claim(reviewer=reviewer, editor=editor, rating=ratings["false"], claim=claim)
    assert score(claimant)[1] == 1 and score(outlet)[1] == 1
    return {"claim": claim, "claimant": claimant, "outlet": outlet, "article": article, "appearance": appearance}


def test_a_new_claimant_takes_the_rating_and_the_old_one_loses_it(rated, reviewer):
    newcomer = factories.SourceFactory(kind=SourceKind.PERSON)
    generation = current_generation()
    services.update_claim(claim=rated["claim"], by=reviewer, claimant=newcomer)
    assert score(rated["claimant"]) == (None, 0)
    assert score(newcomer)[1] == 1 and score(newcomer)[0] is not None
    assert current_generation() != generation


def test_an_appearance_that_only_reports_stops_counting_for_the_outlet(rated, reviewer):
    services.update_appearance(appearance=rated["appearance"], by=reviewer, voice=Voice.REPORTS)
    assert score(rated["outlet"]) == (None, 0)
    assert score(rated["claimant"])[1] == 1  # the claimant still made it
    services.update_appearance(appearance=rated["appearance"], by=reviewer, voice=Voice.ASSERTS)
    assert score(rated["outlet"])[1] == 1


def test_an_articles_new_outlet_and_authors_answer_for_its_claims(rated, reviewer):
    new_outlet = factories.SourceFactory(kind=SourceKind.OUTLET)
    author = factories.SourceFactory(kind=SourceKind.PERSON)
    services.update_article(article=rated["article"], by=reviewer, outlet=new_outlet, authors=[author])
    assert score(rated["outlet"]) == (None, 0)
    assert score(new_outlet)[1] == 1
    assert score(author)[1] == 1
    services.update_article(article=rated["article"], by=reviewer, authors=[])
    assert score(author) == (None, 0)


def test_an_article_update_refuses_a_stale_version(rated, reviewer):
    article = rated["article"]
    stale = services.row_version(article)
    services.update_article(article=article, by=reviewer, title="Renamed")
    with pytest.raises(services.StaleVersion):
        services.update_article(article=article, by=reviewer, expected_version=stale, title="Lost update")


def test_the_attribution_recount_runs_a_fixed_number_of_queries(rated, reviewer, django_assert_max_num_queries):
    """Whatever the number of sources involved, the recount is set-based."""
    claim = rated["claim"]
    for _ in range(5):
        article = factories.ArticleFactory(outlet=factories.SourceFactory(kind=SourceKind.OUTLET))
        article.authors.set(factories.SourceFactory.create_batch(3, kind=SourceKind.PERSON))
        factories.AppearanceFactory(claim=claim, article=article, voice=Voice.ASSERTS)
    newcomer = factories.SourceFactory(kind=SourceKind.PERSON)
    with django_assert_max_num_queries(25):
        services.update_claim(claim=claim, by=reviewer, claimant=newcomer)
    assert score(newcomer)[1] == 1


# --- The admin's own forms keep the same caches current ----------------------------------------


def _claim_change_data(claim, **overrides):
    appearances = list(claim.appearances.order_by("pk"))
    data = {
        "text": claim.text,
        "slug": claim.slug,
        "claimant": claim.claimant_id or "",
        "first_seen": claim.first_seen.isoformat() if claim.first_seen else "",
        "appearances-TOTAL_FORMS": str(len(appearances)),
        "appearances-INITIAL_FORMS": str(len(appearances)),
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "1000",
    }
    for i, appearance in enumerate(appearances):
        data.update(
            {
                f"appearances-{i}-id": appearance.pk,
                f"appearances-{i}-claim": claim.pk,
                f"appearances-{i}-article": appearance.article_id,
                f"appearances-{i}-quote": appearance.quote,
                f"appearances-{i}-voice": appearance.voice,
                f"appearances-{i}-attributed_to": appearance.attributed_to_id or "",
            }
        )
    data.update(overrides)
    return data


def test_the_claim_admin_moves_the_rating_to_a_new_claimant(client, rated, reviewer):
    client.force_login(reviewer)
    claim, newcomer = rated["claim"], factories.SourceFactory(kind=SourceKind.PERSON)
    generation = current_generation()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = client.post(url, _claim_change_data(claim, claimant=newcomer.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert score(rated["claimant"]) == (None, 0)
    assert score(newcomer)[1] == 1
    assert current_generation() != generation
    claim.refresh_from_db()
    assert claim.history.first().history_user == reviewer


def test_the_claim_admin_recounts_when_an_inline_appearance_changes_voice(client, rated, reviewer):
    client.force_login(reviewer)
    claim = rated["claim"]
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = client.post(url, _claim_change_data(claim, **{"appearances-0-voice": Voice.REPORTS}))
    assert response.status_code == 302
    assert score(rated["outlet"]) == (None, 0)


def test_the_article_admin_moves_the_rating_to_a_new_outlet(client, rated, reviewer):
    client.force_login(reviewer)
    article, new_outlet = rated["article"], factories.SourceFactory(kind=SourceKind.OUTLET)
    data = {
        "url": article.url,
        "title": article.title,
        "outlet": new_outlet.pk,
        "kind": article.kind,
        "language": article.language,
        "published_on": article.published_on.isoformat() if article.published_on else "",
    }
    response = client.post(reverse("admin:claims_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert score(rated["outlet"]) == (None, 0)
    assert score(new_outlet)[1] == 1


def test_an_admin_edit_of_a_source_drops_cached_pages(client, rated, editor):
    client.force_login(editor)
    source = rated["claimant"]
    generation = current_generation()
    data = {"kind": source.kind, "name": "Renamed politician", "slug": source.slug, "country": "", "description": ""}
    response = client.post(reverse("admin:claims_source_change", args=[source.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert current_generation() != generation


# --- Figures and appearances of public claims stay ---------------------------------------------


@pytest.fixture
def public_figure(rated):
    measure = factories.MeasureFactory(unit="count")
    return factories.FigureFactory(appearance=rated["appearance"], measure=measure)


def test_a_public_figure_is_deprecated_not_deleted(public_figure, reviewer):
    with pytest.raises(ProtectedError, match="deprecate it with a reason"):
        services.delete_figure(figure=public_figure, by=reviewer)
    with pytest.raises(ProtectedError), transaction.atomic():
        Figure.objects.filter(pk=public_figure.pk).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        public_figure.appearance.delete()
    assert Figure.objects.filter(pk=public_figure.pk).exists()
    services.update_figure(figure=public_figure, by=reviewer, rank="deprecated", rank_reason="Misquoted.")
    assert Figure.objects.get(pk=public_figure.pk).rank == "deprecated"


def test_a_figure_of_a_claim_under_review_can_still_be_deleted(reviewer):
    figure = factories.FigureFactory()
    services.delete_figure(figure=figure, by=reviewer)
    assert not Figure.objects.filter(pk=figure.pk).exists()


def test_the_admin_offers_no_delete_for_public_figures_and_appearances(client, public_figure, reviewer):
    client.force_login(reviewer)
    appearance = public_figure.appearance
    assert client.post(reverse("admin:claims_figure_delete", args=[public_figure.pk])).status_code == 403
    assert client.post(reverse("admin:claims_appearance_delete", args=[appearance.pk])).status_code == 403
    appearance_page = client.get(reverse("admin:claims_appearance_change", args=[appearance.pk])).content.decode()
    assert 'name="figures-0-DELETE"' not in appearance_page
    claim_page = client.get(reverse("admin:claims_claim_change", args=[appearance.claim_id])).content.decode()
    assert 'name="appearances-0-DELETE"' not in claim_page
    assert Appearance.objects.filter(pk=appearance.pk).exists()


def test_the_admin_still_deletes_figures_of_unpublished_claims(client, reviewer):
    client.force_login(reviewer)
    figure = factories.FigureFactory()
    page = client.get(reverse("admin:claims_appearance_change", args=[figure.appearance_id])).content.decode()
    assert 'name="figures-0-DELETE"' in page
    response = client.post(reverse("admin:claims_figure_delete", args=[figure.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Figure.objects.filter(pk=figure.pk).exists()


# --- A measure's unit ------------------------------------------------------------------------


def _measure_data(measure, **overrides):
    return {
        "name": measure.name,
        "slug": measure.slug,
        "unit": measure.unit,
        "description": measure.description,
        "comparison_window_days": measure.comparison_window_days or "",
        **overrides,
    }


def test_a_measures_unit_must_fit_its_recorded_figures(client, editor):
    client.force_login(editor)
    figure = factories.FigureFactory(unit="km", measure=factories.MeasureFactory(unit="km"))
    url = reverse("admin:claims_measure_change", args=[figure.measure_id])
    response = client.post(url, _measure_data(figure.measure, unit="year"))
    assert response.status_code == 200
    assert "recorded in km, which does not convert to year" in response.content.decode()
    assert Measure.objects.get(pk=figure.measure_id).unit == "km"
    response = client.post(url, _measure_data(figure.measure, unit="fathoms"))
    assert response.status_code == 200 and Measure.objects.get(pk=figure.measure_id).unit == "km"
    response = client.post(url, _measure_data(figure.measure, unit="mi"))
    assert response.status_code == 302
    assert Measure.objects.get(pk=figure.measure_id).unit == "mi"
