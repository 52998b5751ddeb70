"""Claim language: detected on write from real sentences, editable, carried by ClaimReview."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from claims import selectors, services
from claims.ingest.claimreview_import import ImportInput, import_claimreview
from claims.matching.language import detect_language, normalise_language
from claims.models import Article, Claim, Verdict
from claims.tests import factories
from claims.tests.api_world import client_for
from claims.tests.language_samples import SENTENCES


@pytest.mark.parametrize(("language", "text"), SENTENCES, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(SENTENCES)])
def test_it_detects_the_language_of_short_real_claims(language, text):
    assert detect_language(text) == language


def test_it_detects_nothing_in_text_without_letters():
    assert detect_language("") == detect_language("  2020 — 15% ") == ""


def _offline_command(code: str) -> list[str]:
    """A command running `code` with no network: its own empty network namespace where the kernel
    lets us make one (`unshare -rn`), else a process whose sockets refuse every connection and name
    lookup (containers often forbid user namespaces)."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn", sys.executable, "-c", code]
    cut_off = (
        "import socket\n"
        "def _refuse(*a, **k):\n"
        "    raise OSError('network cut off by the test')\n"
        "socket.socket.connect = socket.socket.connect_ex = _refuse\n"
        "socket.getaddrinfo = socket.create_connection = _refuse\n"
    )
    return [sys.executable, "-c", cut_off + code]


def test_it_detects_with_the_network_unreachable_from_the_model_inside_the_package(tmp_path):
    """In a fresh process with no network at all and an empty download cache, detection still
    works and nothing is downloaded."""
    code = (
        "from claims.matching.language import detect_language\n"
        "print(detect_language('Население России сократилось на миллион человек.'))\n"
    )
    env = {**os.environ, "FTLANG_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        _offline_command(code),
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ru"
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_it_normalises_and_refuses_language_tags():
    assert normalise_language("PT_br") == "pt-BR"
    assert normalise_language("zh-hant") == "zh-Hant"
    assert normalise_language("") == ""
    with pytest.raises(ValidationError) as error:
        normalise_language("english please")
    assert "language" in error.value.message_dict


@pytest.mark.django_db
def test_create_claim_detects_the_language_unless_given(reviewer):
    russian = services.create_claim(text="Вакцины вызывают аутизм.", by=reviewer)
    assert russian.language == "ru"
    given = services.create_claim(text="Vaccines cause autism.", by=reviewer, language="en-GB")
    assert Claim.objects.get(pk=given.pk).language == "en-GB"
    with pytest.raises(ValidationError) as error:
        services.create_claim(text="Another claim.", by=reviewer, language="not a tag")
    assert "language" in error.value.message_dict


@pytest.mark.django_db
def test_update_claim_detects_new_text_but_keeps_a_reviewers_correction(reviewer):
    claim = services.create_claim(text="Vaccines cause autism.", by=reviewer)
    assert claim.language == "en"
    claim = services.update_claim(claim=claim, by=reviewer, text="Las vacunas causan autismo.")
    assert claim.language == "es"
    claim = services.update_claim(claim=claim, by=reviewer, language="pt")  # a reviewer's correction
    claim = services.update_claim(claim=claim, by=reviewer, text="As vacinas causam autismo, diz o ministro.")
    assert Claim.objects.get(pk=claim.pk).language == "pt"


@pytest.mark.django_db
def test_articles_get_a_language_from_their_title_or_the_caller(reviewer):
    persian = services.create_article(
        url="https://news.example/fa", title="تورم در سال گذشته به ۴۰ درصد رسید", by=reviewer
    )
    assert persian.language == "fa"
    untitled = services.create_article(url="https://news.example/none", by=reviewer)
    assert untitled.language == "en"
    with pytest.raises(ValidationError) as error:
        services.update_article(article=untitled, by=reviewer, language="??")
    assert "language" in error.value.message_dict
    services.update_article(article=untitled, by=reviewer, language="az")
    assert Article.objects.get(pk=untitled.pk).language == "az"


@pytest.mark.django_db
def test_the_api_detects_shows_edits_and_validates_the_language(reviewer):
    client = client_for(reviewer)
    created = client.post("/api/v1/claims/", {"text": "Türkiye'de enflasyon yüzde 80'e ulaştı."}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["language"] == "tr"
    slug = created.json()["slug"]
    assert client.get(f"/api/v1/claims/{slug}/").json()["language"] == "tr"
    listed = client.get("/api/v1/claims/").json()["results"]
    assert [item["language"] for item in listed if item["slug"] == slug] == ["tr"]
    bad = client.patch(f"/api/v1/claims/{slug}/", {"language": "Turkish!"}, format="json")
    assert bad.status_code == 400 and "language" in bad.json(), bad.json()
    fixed = client.patch(f"/api/v1/claims/{slug}/", {"language": "az"}, format="json")
    assert fixed.status_code == 200 and fixed.json()["language"] == "az"
    refused = client.post("/api/v1/claims/", {"text": "Something.", "language": "x" * 13}, format="json")
    assert refused.status_code == 400 and "language" in refused.json()


@pytest.mark.django_db
def test_the_admin_edits_the_language_and_refuses_a_malformed_one(client, reviewer):
    claim = factories.ClaimFactory(text="Вакцины вызывают аутизм.", language="ru")
    client.force_login(reviewer)
    url = f"/admin/claims/claim/{claim.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="language"' in page.content.decode()
    form = page.context["adminform"].form
    data = {**{k: v for k, v in form.initial.items() if v is not None}, "text": claim.text, "slug": claim.slug}
    data.update({"topics": [], "language": "not a tag", "appearances-TOTAL_FORMS": "0",
                 "appearances-INITIAL_FORMS": "0", "row_version": form.initial.get("row_version", "")})  # fmt: skip
    data.pop("claimant", None)
    data.pop("first_seen", None)
    answer = client.post(url, data)
    assert answer.status_code == 200 and "language" in answer.context["adminform"].form.errors
    data["language"] = "uk"
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    assert Claim.objects.get(pk=claim.pk).language == "uk"


@pytest.mark.django_db
def test_claimreview_exports_the_claims_language_and_the_import_reads_it(reviewer, editor, ratings):
    claim = factories.published_claim(
        reviewer=reviewer, editor=editor, rating=ratings["false"], text="Вакцины вызывают аутизм.", language="ru"
    )
    document = selectors.claimreview_for_claim(claim)
    assert document["inLanguage"] == "ru"

    def review(url, text, **extra):
        return {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": url,
            "author": {"@type": "Organization", "name": "Bulk Check", "url": "https://bulkcheck.example"},
            "claimReviewed": text,
            "reviewRating": {"@type": "Rating", "alternateName": "False"},
            **extra,
        }

    items = [
        review("https://bulkcheck.example/1", "Vaccines cause autism.", inLanguage="es"),  # the publisher says
        review("https://bulkcheck.example/2", "O desmatamento na Amazônia caiu pela metade."),  # detected
        review("https://bulkcheck.example/3", "Вакцины вызывают аутизм.", inLanguage={"name": "Russian"}),
    ]
    data = "".join(json.dumps(item) + "\n" for item in items).encode()
    report = import_claimreview([ImportInput.from_bytes("items.jsonl", data)])
    assert report.created == 3
    languages = {
        url: Verdict.objects.get(review_url=url).claim.language
        for url in ("https://bulkcheck.example/1", "https://bulkcheck.example/2", "https://bulkcheck.example/3")
    }
    assert languages == {
        "https://bulkcheck.example/1": "es",
        "https://bulkcheck.example/2": "pt",
        "https://bulkcheck.example/3": "ru",  # a language name is not a tag: detected instead
    }


@pytest.mark.django_db
def test_a_reimported_review_with_another_stated_language_updates_the_claims_language():
    def jsonl(language=None):
        item = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://bulkcheck.example/lang",
            "author": {"@type": "Organization", "name": "Bulk Check", "url": "https://bulkcheck.example"},
            "claimReviewed": "Vaccines cause autism.",
            "reviewRating": {"@type": "Rating", "alternateName": "False"},
            **({"inLanguage": language} if language else {}),
        }
        return [ImportInput.from_bytes("items.jsonl", (json.dumps(item) + "\n").encode())]

    import_claimreview(jsonl())
    claim = Verdict.objects.get(review_url="https://bulkcheck.example/lang").claim
    assert claim.language == "en"
    again = import_claimreview(jsonl())
    assert again.unchanged == 1  # no stated language: ours stays, nothing changes
    changed = import_claimreview(jsonl("en-GB"))
    assert changed.updated == 1
    assert Claim.objects.get(pk=claim.pk).language == "en-GB"
