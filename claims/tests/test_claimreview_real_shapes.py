"""ClaimReview as real feeds write it: claimReviewed as a list, relative and scheme-less review
URLs, HTML entities in text, and verdict labels in the languages fact-checkers publish in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.claimreview import ItemError, iter_claimreview_items, normalise_rating, normalise_review
from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.models import Verdict

FIXTURE = Path(__file__).parent / "fixtures" / "claimreview" / "real_shapes.json"


def items():
    with FIXTURE.open("rb") as stream:
        return list(iter_claimreview_items(stream, filename=FIXTURE.name))


def by_url():
    return {item.review.review_url: item.review for item in items()}


def test_every_readable_item_is_kept():
    found = items()
    assert [element for element in found if isinstance(element, ItemError)] == []
    assert len(found) == len(json.loads(FIXTURE.read_text()))


def test_relative_and_scheme_less_urls_are_resolved():
    reviews = by_url()
    estadao = reviews["https://www.estadao.com.br/estadao-verifica/video-nao-mostra-fila-de-votacao-em-2026/"]
    # an appearance's relative address resolves against the review's own URL
    assert estadao.appearance_urls == ("https://www.estadao.com.br/politica/post-viral/",)
    aos_fatos = reviews["https://aosfatos.org/noticias/e-falso-que-governo-vai-taxar-pix/"]
    assert aos_fatos.fact_checker_url == "https://aosfatos.org"
    assert estadao.warnings == aos_fatos.warnings == ()


def test_an_unresolvable_url_is_kept_as_written_with_a_warning():
    review = by_url()["/checks/relative-without-publisher"]
    assert review.claim_text == "A claim whose review URL cannot be resolved"
    assert review.warnings and "not a full web address" in review.warnings[0]


def test_the_page_url_when_known_resolves_relative_urls():
    item = {
        "@type": "ClaimReview",
        "url": "/checks/relative-without-publisher",
        "claimReviewed": "A claim",
        "reviewRating": {"alternateName": "False"},
    }
    assert normalise_review(item, base_url="https://desk.example/page/").review_url == (
        "https://desk.example/checks/relative-without-publisher"
    )
    with_page = {**item, "mainEntityOfPage": {"@id": "https://other.example/a/b"}}
    assert normalise_review(with_page).review_url == "https://other.example/checks/relative-without-publisher"


def test_list_claims_and_html_entities_are_read_as_text():
    reviews = by_url()
    assert (
        reviews["https://www.estadao.com.br/estadao-verifica/video-nao-mostra-fila-de-votacao-em-2026/"].claim_text
        == "Vídeo mostra fila de votação em 2026"
    )
    assert reviews["https://www.boomlive.in/fact-check/singh-quote-fake-1234"].claim_text == (
        "Manmohan Singh's 2009 speech called for the ban"
    )
    assert reviews["https://aosfatos.org/noticias/e-falso-que-governo-vai-taxar-pix/"].claim_text == (
        'Governo vai taxar o Pix a partir de "fevereiro"'
    )
    double = normalise_review({"url": "https://x.example/1", "claimReviewed": "Singh&amp;#039;s claim"})
    assert double.claim_text == "Singh's claim"


def test_labels_in_the_fixture_map_to_the_right_class():
    ratings = {review.rating_label: review.rating for review in by_url().values()}
    assert ratings == {
        "Enganoso": "mostly-false",
        "Falso": "false",
        "False": "false",
        "زائف": "false",
        "مضلل": "mostly-false",
        "錯誤": "false",
        "部分錯誤": "mixed",
        "گمراه‌کننده": "mostly-false",
        "ტყუილი": "false",
        "Yanıltıcı": "mostly-false",
        "भ्रामक": "mostly-false",
        "Sebagian Benar": "mixed",
        "Unproven": "unverifiable",
    }


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("صحيح", "true"), ("كاذب", "false"), ("صحيح جزئياً", "mixed"), ("ساخر", "unverifiable"),  # ar
        ("正確", "true"), ("誤導", "mostly-false"), ("謠言", "false"), ("證據不足", "unverifiable"),  # zh-TW
        ("错误", "false"), ("部分错误", "mixed"),  # zh-CN
        ("نادرست", "false"), ("نیمه درست", "mixed"), ("درست", "true"),  # fa
        ("სიმართლე", "true"), ("მეტწილად მცდარი", "mostly-false"), ("ნახევრად სიმართლე", "mixed"),  # ka
        ("Yalan", "false"), ("Manipulyasiya", "mostly-false"),  # az
        ("Սուտ", "false"), ("Մանիպուլյացիա", "mostly-false"),  # hy
        ("Yanlış", "false"), ("Kısmen doğru", "mixed"), ("Çoğunlukla doğru", "mostly-true"),  # tr
        ("गलत", "false"), ("फर्जी", "false"), ("सच", "true"),  # hi
        ("Salah", "false"), ("Hoaks", "false"), ("Menyesatkan", "mostly-false"),  # id
        ("Неправда", "false"), ("Маніпуляція", "mostly-false"), ("Полуправда", "mixed"),  # ru / uk
        ("Fałsz", "false"), ("Manipulacja", "mostly-false"), ("Fuorviante", "mostly-false"),  # pl / it
        ("거짓", "false"), ("대체로 사실", "mostly-true"), ("誤り", "false"), ("ミスリード", "mostly-false"),  # ko / ja
        ("לא נכון", "false"), ("מטעה", "mostly-false"),  # he
    ],
)  # fmt: skip
def test_labels_in_fact_checking_languages(label, slug):
    assert normalise_rating(label) == slug


@pytest.mark.django_db
def test_the_importer_keeps_every_item_and_reports_the_unresolved_url(ratings):
    report = import_claimreview([ImportInput.from_path(str(FIXTURE))])
    assert (report.created, report.skipped) == (13, 0), report.lines()
    assert any("not a full web address" in message for _, message in report.first_warnings)
    arabic = Verdict.objects.select_related("rating").get(
        review_url__startswith="https://misbar.com/factcheck/2026/01/12/"
    )
    assert (arabic.rating.slug, arabic.original_rating_label) == ("false", "زائف")
    kept = Verdict.objects.select_related("organisation").get(review_url="/checks/relative-without-publisher")
    assert kept.organisation.name == "Unnamed Desk"
    assert Verdict.objects.filter(
        review_url="https://aosfatos.org/noticias/e-falso-que-governo-vai-taxar-pix/"
    ).exists()


@pytest.mark.django_db
def test_the_command_takes_the_page_url(ratings, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    path = tmp_path / "page.json"
    path.write_text(
        json.dumps({"url": "/v/1", "claimReviewed": "A claim.", "reviewRating": {"alternateName": "Falso"}})
    )
    with pytest.raises(CommandError, match="--base-url"):
        call_command("import_claimreview", str(path), "--base-url", "not a url", "--no-progress")
    call_command("import_claimreview", str(path), "--base-url", "https://desk.example/a/", "--no-progress")
    assert Verdict.objects.get().review_url == "https://desk.example/v/1"
