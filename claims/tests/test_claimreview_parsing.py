"""ClaimReview reading, normalising, rating mapping and export: plain data, no database."""

from __future__ import annotations

import datetime as dt
import io
import json
import tracemalloc
from pathlib import Path

import pytest

from claims.claimreview import (
    LABEL_RATINGS,
    RATING_SLUGS,
    AppearanceRef,
    ClaimReviewFileError,
    ExportableReview,
    InvalidReview,
    ItemError,
    ReviewItem,
    build_claimreview,
    build_datafeed,
    iter_claimreview_items,
    normalise_rating,
    normalise_review,
    stream_datafeed_json,
    validate_stream,
)

FIXTURES = Path(__file__).parent / "fixtures" / "claimreview"


def read_fixture(name: str) -> list:
    with open(FIXTURES / name, "rb") as stream:
        return list(iter_claimreview_items(stream, filename=name))


def read_bytes(data: bytes, filename: str = "") -> list:
    return list(iter_claimreview_items(io.BytesIO(data), filename=filename))


def claimreview(**overrides) -> dict:
    """A minimal valid ClaimReview, with members replaced or removed (value None)."""
    item = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checks.example/2024/azeri-population",
        "claimReviewed": "Iran has 40 million Azeris.",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    item.update(overrides)
    return {key: value for key, value in item.items() if value is not None}


def paths(elements: list) -> list[str]:
    return [element.position.path for element in elements]


# --- formats ---------------------------------------------------------------------------------


def test_it_reads_a_single_claimreview_object():
    [item] = read_fixture("single.json")
    assert isinstance(item, ReviewItem)
    assert item.position.path == "$"
    review = item.review
    assert review.review_url.endswith("/azeri-population-iran-40-million/")
    assert review.claim_text == "Iran has more than 40 million ethnic Azerbaijanis, half its population."
    assert review.claim_date == dt.date(2024, 3, 2)
    assert review.review_date == dt.date(2024, 3, 14)  # the publisher's local date, not UTC
    assert (review.claimant_name, review.claimant_kind) == ("Dana Whitfield", "person")
    assert review.claimant_url == "https://www.legislature.example/members/whitfield"
    assert review.appearance_urls == (
        "https://www.eveningledger.example/opinion/2024/03/02/iran-minorities",
        "https://social.example/@dwhitfield/111987654321",
    )
    assert review.appearances[0].headline == "Iran's silent majority"
    assert (review.fact_checker_name, review.fact_checker_url) == ("TruthMeter", "https://www.truthmeter.example/")
    assert review.headline == "No, Iran is not home to 40 million ethnic Azeris"
    assert (review.rating_label, review.rating) == ("Mostly False", "mostly-false")
    assert (review.rating_value, review.rating_best, review.rating_worst) == (2.0, 6.0, 1.0)
    assert review.raw["@type"] == "ClaimReview"


def test_it_reads_a_json_array_with_varied_shapes():
    first, second, third = read_fixture("list.json")
    assert paths([first, second, third]) == ["[0]", "[1]", "[2]"]
    assert [element.position.index for element in (first, second, third)] == [0, 1, 2]
    # author as a list: the first is the fact-checker / the claimant
    assert first.review.fact_checker_name == "NewsAgency Fact Check"
    assert (first.review.claimant_name, first.review.claimant_kind) == ("Caspian Watch", "organisation")
    assert first.review.appearance_urls == ("https://social.example/caspianwatch/status/1792345",)
    assert first.review.language == "en"
    assert first.review.rating == "mostly-false"
    # no @context; firstAppearance comes first; government claimant; sentence label
    assert second.review.claimant_kind == "government"
    assert second.review.appearance_urls == (
        "https://energy.gov.example/press/2024-05-30",
        "https://dailywire-like.example/world/oil-share",
    )
    assert second.review.appearances[0].date_published == dt.date(2024, 5, 30)
    assert second.review.rating == "mostly-true"
    assert second.review.rating_label.startswith("This is broadly correct.")
    # @type as a list, appearance mixing a URL string and a CreativeWork
    assert third.review.rating == "false"
    assert third.review.appearance_urls == (
        "https://video.example/watch?v=corridor99",
        "https://blog.example/corridor-lease",
    )


def test_it_reads_a_datafeed_with_item_lists_single_items_and_bare_elements():
    elements = read_fixture("datafeed.json")
    assert paths(elements) == [
        "dataFeedElement[0].item[0]",
        "dataFeedElement[0].item[1]",
        "dataFeedElement[1].item",
        "dataFeedElement[2]",
    ]
    assert all(isinstance(element, ReviewItem) for element in elements)
    ratings = [element.review.rating for element in elements]
    assert ratings == ["mostly-false", "mostly-true", "false", "unverifiable"]
    assert elements[0].review.claim_text == "“En Irán viven 35 millones de azeríes”"
    assert elements[0].review.language == "es"
    assert elements[1].review.claimant_name == "Cámara de Comercio Austral"


def test_it_converts_a_fact_check_tools_search_response():
    elements = read_fixture("google_factcheck.json")
    assert paths(elements) == [
        "claims[0].claimReview[0]",
        "claims[0].claimReview[1]",
        "claims[1].claimReview[0]",
        "claims[2]",
    ]
    english, french, german, empty = elements
    assert english.review.claim_text == "Iran's Azeri population is 15 to 18 million"
    assert english.review.claimant_name == "Regional studies institute"
    assert english.review.claim_date == dt.date(2024, 2, 11)
    assert english.review.review_date == dt.date(2024, 2, 20)
    assert english.review.fact_checker_url == "https://truthmeter.example"
    assert english.review.headline.startswith("Estimate of 15-18 million")
    assert (english.review.rating, english.review.language) == ("mostly-true", "en")
    assert (french.review.rating, french.review.fact_checker_name) == ("mostly-true", "Le Vérificateur")
    assert german.review.rating == "mostly-true"
    assert german.review.claim_date is None
    assert isinstance(empty, ItemError)
    assert empty.reason == "claim has no claimReview"


def test_it_reads_json_lines_by_extension_with_line_numbers():
    elements = read_fixture("reviews.jsonl")
    assert [element.position.line for element in elements] == [1, 2, 4]  # line 3 is blank
    assert paths(elements) == ["line 1", "line 2", "line 4"]
    assert [element.review.rating for element in elements] == ["mostly-false", "mostly-false", "false"]


def test_it_detects_json_lines_by_content():
    data = (FIXTURES / "reviews.jsonl").read_bytes()
    assert len(read_bytes(data)) == 3  # no filename to go by
    assert validate_stream(io.BytesIO(data)).format == "jsonl"


def test_it_reports_a_bad_json_line_and_keeps_reading():
    good = json.dumps(claimreview()).encode()
    elements = read_bytes(good + b"\n{not json\n[1, 2]\n" + good + b"\n", "feed.ndjson")
    assert [type(element) for element in elements] == [ReviewItem, ItemError, ItemError, ReviewItem]
    assert elements[1].position.line == 2
    assert elements[1].reason.startswith("line is not valid JSON")
    assert elements[2].reason == "item is not a JSON object (got list)"


def test_it_reads_pretty_printed_json_misnamed_jsonl_as_json():
    data = (FIXTURES / "datafeed.json").read_bytes()
    assert len(read_bytes(data, "export.jsonl")) == 4


def test_a_single_line_json_array_is_not_json_lines():
    data = json.dumps([claimreview(), claimreview()]).encode() + b"\n"
    assert paths(read_bytes(data)) == ["[0]", "[1]"]


def test_it_reads_a_json_ld_graph_and_skips_other_nodes():
    graph = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "WebPage", "url": "https://checks.example/"}, claimreview()],
    }
    [item] = read_bytes(json.dumps(graph).encode())
    assert item.position.path == "@graph[1]"


def test_it_accepts_a_byte_order_mark_and_text_streams():
    data = json.dumps(claimreview()).encode()
    assert len(read_bytes(b"\xef\xbb\xbf" + data)) == 1
    assert len(list(iter_claimreview_items(io.StringIO(data.decode())))) == 1


@pytest.mark.parametrize("context", ["http://schema.org", "https://schema.org", "https://schema.org/", None])
def test_it_accepts_http_https_and_missing_contexts(context):
    [item] = read_bytes(json.dumps(claimreview(**{"@context": context})).encode())
    assert item.review.claim_text == "Iran has 40 million Azeris."
    assert item.review.rating == "false"


# --- malformed items and files ----------------------------------------------------------------


def test_it_reports_malformed_items_with_position_and_yields_the_rest():
    elements = read_fixture("mixed_bad_items.json")
    assert [element.position.path for element in elements] == [f"[{i}]" for i in range(7)]
    good = [element for element in elements if isinstance(element, ReviewItem)]
    assert [element.position.index for element in good] == [0, 6]
    assert good[1].review.claim_text == "The corridor is 43 km long."  # itemReviewed.name
    assert good[1].review.rating == "mostly-true"  # numeric strings, no label
    reasons = {element.position.index: element.reason for element in elements if isinstance(element, ItemError)}
    assert reasons[1] == "item is not a JSON object (got str)"
    assert reasons[2].startswith("no review URL")
    assert reasons[3].startswith("no claim text")
    assert "no review URL" in reasons[4] and "no claim text" in reasons[4]
    assert reasons[5] == "item is not a JSON object (got int)"


def test_a_truncated_file_raises_after_the_complete_items():
    with open(FIXTURES / "truncated.json", "rb") as stream:
        elements = iter_claimreview_items(stream, filename="truncated.json")
        first = next(elements)
        assert first.review.claim_text == "Oil imports doubled last year."
        with pytest.raises(ClaimReviewFileError, match=r"truncated\.json: .*truncated file"):
            list(elements)


def test_validate_stream_raises_for_a_truncated_file_before_anything_is_used():
    with open(FIXTURES / "truncated.json", "rb") as stream:
        with pytest.raises(ClaimReviewFileError, match="after 1 item"):
            validate_stream(stream)


def test_validate_stream_counts_items_and_errors_then_the_file_can_be_reread():
    with open(FIXTURES / "mixed_bad_items.json", "rb") as stream:
        summary = validate_stream(stream, keep_errors=2)
        assert (summary.format, summary.items, summary.errors) == ("json", 2, 5)
        assert [error.position.path for error in summary.first_errors] == ["[1]", "[2]"]
        stream.seek(0)
        assert len(list(iter_claimreview_items(stream))) == 7


def test_validate_stream_without_normalising_checks_the_file_and_counts_the_same_elements():
    with open(FIXTURES / "mixed_bad_items.json", "rb") as stream:
        summary = validate_stream(stream, normalise=False)
        assert summary.items + summary.errors == 7
    with open(FIXTURES / "truncated.json", "rb") as stream:
        with pytest.raises(ClaimReviewFileError, match="after 1 item"):
            validate_stream(stream, normalise=False)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ((FIXTURES / "wrong_top_level.json").read_bytes(), "top-level value is a string"),
        (b"42", "top-level value is a number"),
        (b"null", "top-level value is a null"),
        (b'{"@type": "ClaimReview", "url": x}', "invalid char"),
        (b"[" + json.dumps(claimreview()).encode() + b"]]", "unexpected content after"),
        (b"", "the file is empty"),
        (b"  \n\t", "the file is empty"),
        (b'{"feed": {"entries": []}}', "not a ClaimReview, DataFeed .*keys: feed"),
        (b'{"claims": [] ', "truncated"),
        (b'{"url": "https://checks.example/\xff"}', "invalid bytes in UTF8"),
    ],
)
def test_a_malformed_file_raises(data, message):
    with pytest.raises(ClaimReviewFileError, match=message):
        read_bytes(data)
    with pytest.raises(ClaimReviewFileError, match=message):  # the import's validation pass too
        validate_stream(io.BytesIO(data), normalise=False)


def test_an_empty_feed_or_search_response_has_no_items():
    assert read_bytes(b'{"@type": "DataFeed", "dataFeedElement": []}') == []
    assert read_bytes(b'{"claims": []}') == []
    assert read_bytes(b"[]") == []


# --- normalise_review ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "author",
    [
        {"@type": "Organization", "name": "Gulf Energy Council", "url": "https://gec.example"},
        [{"@type": "Organization", "name": "Gulf Energy Council", "url": "https://gec.example"}],
        [
            {"@type": "Organization", "name": "Gulf Energy Council", "sameAs": "https://gec.example"},
            {"@type": "Person", "name": "A spokesperson"},
        ],
    ],
)
def test_claimant_is_read_from_an_author_object_or_list(author):
    review = normalise_review(claimreview(itemReviewed={"@type": "Claim", "author": author}))
    assert (review.claimant_name, review.claimant_url) == ("Gulf Energy Council", "https://gec.example")
    assert review.claimant_kind == "organisation"


@pytest.mark.parametrize(
    ("author", "kind"),
    [
        ({"@type": "Person", "name": "A"}, "person"),
        ({"@type": "NewsMediaOrganization", "name": "A"}, "outlet"),
        ({"@type": "GovernmentOrganization", "name": "A"}, "government"),
        ({"@type": "schema:Organization", "name": "A"}, "organisation"),
        ({"name": "A"}, None),
        ("A", None),
    ],
)
def test_claimant_kind_follows_the_schema_type(author, kind):
    review = normalise_review(claimreview(itemReviewed={"author": author}))
    assert (review.claimant_name, review.claimant_kind) == ("A", kind)


@pytest.mark.parametrize(
    ("claim", "urls"),
    [
        ({"appearance": "https://a.example/1"}, ("https://a.example/1",)),
        ({"appearance": {"@type": "CreativeWork", "url": "https://a.example/1"}}, ("https://a.example/1",)),
        (
            {"appearance": ["https://a.example/1", {"url": "https://a.example/2"}]},
            ("https://a.example/1", "https://a.example/2"),
        ),
        (
            {"firstAppearance": "https://a.example/0", "appearance": ["https://a.example/0", "https://a.example/1"]},
            ("https://a.example/0", "https://a.example/1"),
        ),
        ({"appearance": {"@type": "CreativeWork", "@id": "https://a.example/by-id"}}, ("https://a.example/by-id",)),
        ({}, ()),
    ],
)
def test_appearances_are_read_from_urls_creative_works_and_lists(claim, urls):
    assert normalise_review(claimreview(itemReviewed=claim)).appearance_urls == urls


def test_an_appearance_without_an_address_is_a_warning_not_an_error():
    review = normalise_review(claimreview(itemReviewed={"appearance": [{"headline": "Radio interview"}, "on TV"]}))
    assert review.appearance_urls == ()
    assert len(review.warnings) == 2


def test_missing_optional_fields_are_none():
    review = normalise_review(claimreview(reviewRating=None))
    assert review.claim_text == "Iran has 40 million Azeris."
    for name in (
        "claim_date",
        "claim_identifier",
        "claimant_name",
        "claimant_url",
        "claimant_kind",
        "fact_checker_name",
        "fact_checker_url",
        "review_date",
        "headline",
        "summary",
        "language",
        "rating_label",
        "rating_value",
        "rating_best",
        "rating_worst",
    ):
        assert getattr(review, name) is None, name
    assert review.appearance_urls == ()
    assert review.rating == "unverifiable"
    assert review.warnings == ()


def test_dates_with_times_and_unreadable_dates():
    review = normalise_review(
        claimreview(datePublished="2024-01-31T23:30:00.000+05:00", itemReviewed={"datePublished": "last Tuesday"})
    )
    assert review.review_date == dt.date(2024, 1, 31)
    assert review.claim_date is None
    assert review.warnings == ("itemReviewed.datePublished: unreadable date 'last Tuesday'; left empty",)


def test_claim_text_falls_back_to_the_claim_name_or_text():
    assert (
        normalise_review(claimreview(claimReviewed=None, itemReviewed={"text": "  Oil   doubled. "})).claim_text
        == "Oil doubled."
    )


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (claimreview(url=None), "no review URL"),
        (claimreview(claimReviewed="   "), "no claim text"),
        (["not", "an", "object"], "not a JSON object"),
    ],
)
def test_normalise_review_rejects_items_without_url_or_claim_text(item, reason):
    with pytest.raises(InvalidReview, match=reason):
        normalise_review(item)


def test_language_may_be_a_language_object():
    review = normalise_review(claimreview(inLanguage={"@type": "Language", "name": "Spanish", "alternateName": "es"}))
    assert review.language == "es"


# --- ratings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("True", "true"), ("Correct", "true"), ("Accurate", "true"),
        ("Mostly True", "mostly-true"),
        ("Half True", "mixed"), ("Mixed", "mixed"), ("Partly false", "mixed"),
        ("Missing context", "mixed"),
        ("Misleading", "mostly-false"), ("Mostly False", "mostly-false"),
        ("False", "false"), ("Pants on Fire", "false"), ("Fake", "false"),
        ("Incorrect", "false"), ("Wrong", "false"),
        ("Unproven", "unverifiable"), ("Unsupported", "unverifiable"), ("Satire", "unverifiable"),
        ("Verdadero", "true"), ("Falso", "false"), ("Engañoso", "mostly-false"),
        ("Verdadeiro", "true"), ("Enganoso", "mostly-false"),
        ("Faux", "false"), ("Vrai", "true"), ("Trompeur", "mostly-false"),
        ("Falsch", "false"), ("Richtig", "true"), ("Irreführend", "mostly-false"),
        # case, accents, hyphens and trailing punctuation do not matter
        ("FALSE!", "false"), ("pants-on-fire", "false"), ("engañoso.", "mostly-false"),
        ("ENGANOSO", "mostly-false"), ("irrefuhrend", "mostly-false"), ("  mostly_true ", "mostly-true"),
        ("Verdadero, pero...", "mostly-true"), ("Plutôt vrai", "mostly-true"),
        ("Größtenteils richtig", "mostly-true"), ("Inchequeable", "unverifiable"),
    ],
)  # fmt: skip
def test_known_labels_map_to_rating_slugs(label, slug):
    assert normalise_rating(label) == slug


def test_every_table_entry_maps_to_a_known_slug():
    assert set(LABEL_RATINGS.values()) == set(RATING_SLUGS)


@pytest.mark.parametrize(
    ("sentence", "slug"),
    [
        ("This claim is false.", "false"),
        ("The figure is mostly accurate but omits the 2019 census revision.", "mostly-true"),
        ("That is not true: the 99-year lease never existed.", "false"),
        ("This isn't correct.", "false"),
        ("The numbers are not entirely accurate.", "mixed"),
        ("The claim is true.", "true"),
        ("This is misleading: the 40% figure counts re-exports.", "mostly-false"),
        ("There is no evidence for the 15 million figure.", "unverifiable"),
        ("Es falso que la población se duplicó.", "false"),
        ("No es verdad.", "false"),
        ("Ce n'est pas vrai.", "false"),
        ("Das ist nicht richtig.", "false"),
        ("It lacks context about the 2022 baseline.", "mixed"),
        ("Partly true, partly false.", "mixed"),
        ("Some true, some false statements.", "mixed"),
    ],
)
def test_sentence_labels_are_read_by_keywords_with_negation(sentence, slug):
    assert normalise_rating(sentence) == slug


@pytest.mark.parametrize(
    ("value", "best", "worst", "slug"),
    [
        (5, None, None, "true"),
        (4, None, None, "mostly-true"),
        (3, 5, 1, "mixed"),
        (2, 5, 1, "mostly-false"),
        (1, 5, 1, "false"),
        (9, 10, 0, "true"),
        (0.5, 1, 0, "mixed"),
        ("2", "6", "1", "mostly-false"),
        (1, 1, 5, "true"),  # an inverted scale: 1 is best
        (7, 5, 1, "unverifiable"),  # outside its scale: not a rating (an import refuses it without a label)
        (3, 3, 3, "unverifiable"),  # no scale to place it on
        ("n/a", None, None, "unverifiable"),
    ],
)
def test_numeric_ratings_fall_back_to_five_buckets(value, best, worst, slug):
    assert normalise_rating("Rated by our panel", value=value, best=best, worst=worst) == slug


def test_a_known_label_wins_over_a_conflicting_number():
    assert normalise_rating("False", value=5, best=5, worst=1) == "false"


@pytest.mark.parametrize("label", [None, "", "   ", "Zombie claim"])
def test_nothing_recognisable_is_unverifiable(label):
    assert normalise_rating(label) == "unverifiable"


# --- export and round trip ------------------------------------------------------------------


def exportable(**overrides) -> ExportableReview:
    fields = {
        "claim_text": "Azerbaijan supplies about 40% of Israel's crude oil imports.",
        "claim_slug": "azerbaijan-share-israel-oil-imports",
        "claim_url": "https://factcheck.example/claims/azerbaijan-share-israel-oil-imports/",
        "claimant_name": "Ministry of Energy",
        "claimant_kind": "government",
        "claimant_url": "https://energy.gov.example",
        "appearances": [
            AppearanceRef("https://news.example/2024/oil", "Oil flows east"),
            "https://social.example/post/1",
        ],
        "first_seen": dt.date(2024, 5, 30),
        "review_url": "https://factcheck.example/claims/azerbaijan-share-israel-oil-imports/#verdict",
        "published": dt.date(2024, 6, 4),
        "rating_slug": "mostly-true",
        "rating_label": "Mostly true",
        "summary": "Estimates range from 35% to 45% depending on the year.",
        "organisation_name": "Factcheck",
        "organisation_url": "https://factcheck.example/",
        "language": "en",
    }
    fields.update(overrides)
    return ExportableReview(**fields)


def test_build_claimreview_writes_schema_org_json_ld():
    data = build_claimreview(exportable())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["author"] == {"@type": "Organization", "name": "Factcheck", "url": "https://factcheck.example/"}
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly true",
    }
    claim = data["itemReviewed"]
    assert claim["author"]["@type"] == "GovernmentOrganization"
    assert claim["appearance"][0] == {
        "@type": "CreativeWork",
        "url": "https://news.example/2024/oil",
        "headline": "Oil flows east",
    }
    assert claim["datePublished"] == "2024-05-30"
    json.dumps(data)  # serialisable as is


def test_unverifiable_has_no_rating_value():
    rating = build_claimreview(exportable(rating_slug="unverifiable", rating_label="Unverifiable"))["reviewRating"]
    assert rating == {"@type": "Rating", "alternateName": "Unverifiable"}


def test_build_claimreview_accepts_a_dict_and_leaves_out_empty_members():
    data = build_claimreview(
        {
            "claim_text": "The corridor is 43 km long.",
            "review_url": "https://factcheck.example/claims/corridor-43-km/",
            "rating_slug": "true",
            "rating_label": "True",
            "organisation_name": "Factcheck",
            "organisation_url": "https://factcheck.example/",
        }
    )
    assert data["itemReviewed"] == {"@type": "Claim"}
    assert "datePublished" not in data and "description" not in data


@pytest.mark.parametrize("slug", RATING_SLUGS)
@pytest.mark.parametrize("kind", ["person", "organisation", "government", "outlet"])
def test_export_then_import_round_trips(slug, kind):
    label = {
        "true": "True",
        "mostly-true": "Mostly true",
        "mixed": "Mixed",
        "mostly-false": "Mostly false",
        "false": "False",
        "unverifiable": "Unverifiable",
    }[slug]
    original = exportable(rating_slug=slug, rating_label=label, claimant_kind=kind)
    back = normalise_review(build_claimreview(original))
    assert back.claim_text == original.claim_text
    assert back.review_url == original.review_url
    assert back.rating == slug
    assert back.rating_label == label
    assert (back.claimant_name, back.claimant_url, back.claimant_kind) == (
        "Ministry of Energy",
        "https://energy.gov.example",
        kind,
    )
    assert back.appearance_urls == ("https://news.example/2024/oil", "https://social.example/post/1")
    assert back.claim_date == original.first_seen
    assert back.review_date == original.published
    assert back.claim_identifier == original.claim_slug
    assert back.summary == original.summary
    assert (back.fact_checker_name, back.language) == ("Factcheck", "en")


def test_a_custom_label_round_trips_through_its_rating_value():
    back = normalise_review(build_claimreview(exportable(rating_slug="mostly-false", rating_label="Stretches it")))
    assert back.rating == "mostly-false"


def test_a_datafeed_round_trips_through_the_reader():
    reviews = [exportable(review_url=f"https://factcheck.example/c/{n}/") for n in range(3)]
    feed = build_datafeed(
        reviews,
        name="Factcheck reviews",
        url="https://factcheck.example/feed.json",
        date_modified=dt.datetime(2024, 6, 5, 12, 0, tzinfo=dt.UTC),
    )
    assert feed["@type"] == "DataFeed"
    assert feed["dateModified"] == "2024-06-05T12:00:00+00:00"
    assert feed["dataFeedElement"][0]["dateCreated"] == "2024-06-04"
    elements = read_bytes(json.dumps(feed).encode())
    assert [element.review.review_url for element in elements] == [r.review_url for r in reviews]
    assert paths(elements) == [f"dataFeedElement[{n}].item[0]" for n in range(3)]


def test_build_datafeed_accepts_ready_claimreview_dicts():
    ready = build_claimreview(exportable())
    feed = build_datafeed([ready], name="n", url="https://factcheck.example/feed.json")
    assert feed["dataFeedElement"][0]["item"] == [ready]


def test_streamed_datafeed_equals_the_built_one():
    reviews = [exportable(review_url=f"https://factcheck.example/c/{n}/") for n in range(500)]
    options = {"name": "Factcheck", "url": "https://factcheck.example/feed.json", "date_modified": dt.date(2024, 6, 5)}
    chunks = list(stream_datafeed_json(reviews, **options))
    assert len(chunks) > 1  # batched, not one string
    assert json.loads("".join(chunks)) == build_datafeed(reviews, **options)
    assert json.loads("".join(stream_datafeed_json([], **options)))["dataFeedElement"] == []


def test_streamed_datafeed_pulls_items_lazily():
    pulled = 0

    def reviews():
        nonlocal pulled
        for n in range(100_000):
            pulled += 1
            yield exportable(review_url=f"https://factcheck.example/c/{n}/")

    first_chunk = next(stream_datafeed_json(reviews(), name="n", url="https://f.example/"))
    assert first_chunk.startswith('{"@context": "https://schema.org", "@type": "DataFeed"')
    assert pulled < 1_000


# --- constant memory ----------------------------------------------------------------------------


class GeneratedStream:
    """A read()-able stream whose bytes are produced on demand, never held all at once."""

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self._pending = b""

    def read(self, size=-1):
        parts, length = [self._pending], len(self._pending)
        while size < 0 or length < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            parts.append(chunk)
            length += len(chunk)
        data = b"".join(parts)
        if size < 0:
            size = len(data)
        data, self._pending = data[:size], data[size:]
        return data


def feed_chunks(count: int):
    """A DataFeed of `count` distinct items, produced piece by piece."""
    template = json.dumps(
        {
            "@type": "DataFeedItem",
            "item": [
                claimreview(
                    url="https://checks.example/2024/NUMBER",
                    claimReviewed="Claim NUMBER: oil imports through the corridor doubled.",
                    itemReviewed={"author": "Speaker NUMBER", "appearance": "https://news.example/NUMBER"},
                )
            ],
        }
    ).replace("NUMBER", "%(n)d")
    yield b'{"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": ['
    for n in range(count):
        yield (
            (", " if n else "") + template % {"n": n}
        ).encode()  # fewer JSON events than real items: tracemalloc is slow
    yield b"]}"


def test_reading_a_large_feed_uses_constant_memory():
    count = 50_000
    total_bytes = sum(len(chunk) for chunk in feed_chunks(count))
    assert total_bytes > 15_000_000  # materialising it would dwarf the limit below
    tracemalloc.start()
    try:
        seen = 0
        for element in iter_claimreview_items(GeneratedStream(feed_chunks(count))):
            assert isinstance(element, ReviewItem)
            seen += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    assert peak < 3_000_000, f"peak {peak} bytes"


def test_reading_large_json_lines_uses_constant_memory():
    count = 20_000
    line = json.dumps(claimreview()).encode() + b"\n"
    tracemalloc.start()
    try:
        seen = sum(1 for _ in iter_claimreview_items(GeneratedStream(line for _ in range(count)), filename="big.jsonl"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    assert peak < 3_000_000, f"peak {peak} bytes"
