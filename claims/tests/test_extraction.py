"""Candidate claims from article text, on the project's real seed articles. No database needed."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.extraction import QUOTE_LIMIT, Candidate, extract_candidates, split_sentences, suggest_measure
from claims.figures import find_figures
from claims.tests.seeds import SEEDS, find_seeds, needs_seeds, require_seeds

ANTIWAR = SEEDS / "000_3efd370b78738b1c.txt"  # "approximate 15-18 million Azeris living in Iran"
FRONTLINE = SEEDS / "003_756a443308609a60.txt"  # "Close to 15 million", "46.4%", "43-km", ...


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _containing(candidates: list[Candidate], snippet: str) -> Candidate:
    matches = [c for c in candidates if snippet in c.sentence]
    assert matches, f"no candidate contains {snippet!r}"
    return matches[0]


# --- where the seeds are -------------------------------------------------------------------------


def test_seeds_are_found_beside_any_checkout(tmp_path):
    seeds = tmp_path / "shared" / "seeds"
    seeds.mkdir(parents=True)
    checkout, worktree = tmp_path / "factcheck", tmp_path / "worktrees" / "factcheck"
    assert find_seeds(checkout) == seeds
    assert find_seeds(worktree) == seeds
    assert find_seeds(tmp_path / "elsewhere" / "deeper" / "factcheck") is None


@needs_seeds
def test_this_checkout_reads_the_seeds_beside_it(seed_dir):
    # From this checkout's own neighbourhood, not from one machine's absolute path.
    assert seed_dir == find_seeds() and ANTIWAR.parent == seed_dir and ANTIWAR.is_file()


def test_missing_seeds_skip_unless_required(tmp_path, monkeypatch):
    missing = tmp_path / "shared" / "seeds"
    monkeypatch.delenv("FACTCHECK_REQUIRE_SEEDS", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_seeds(missing)
    monkeypatch.setenv("FACTCHECK_REQUIRE_SEEDS", "1")
    with pytest.raises(pytest.fail.Exception, match="FACTCHECK_REQUIRE_SEEDS=1"):
        require_seeds(missing)


def test_ci_requires_the_seeds():
    lines = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    exports = [n for n, line in enumerate(lines) if line.startswith("export FACTCHECK_REQUIRE_SEEDS=1")]
    assert exports and exports[0] < lines.index("make test")


# --- sentences ------------------------------------------------------------------------------------


def test_split_sentences_handles_abbreviations_decimals_and_quotes():
    text = (
        "Dr. Smith said the U.S. figure was 10.5 million. It rose 1,5 Mio. Euro in total.\n"
        "Headline Without Full Stop\n"
        "He said: “It is true.” Was it? Yes!"
    )
    assert split_sentences(text) == [
        "Dr. Smith said the U.S. figure was 10.5 million.",
        "It rose 1,5 Mio. Euro in total.",
        "Headline Without Full Stop",
        "He said: “It is true.”",
        "Was it?",
        "Yes!",
    ]


def test_split_sentences_drops_a_dateline_at_the_start_of_a_line():
    text = " date 2026-03-09 Surrounded by Armenia, Nakhchivan lies 450 km from Baku.\nPublished: 2026-03-09T10:00\n"
    assert split_sentences(text) == ["Surrounded by Armenia, Nakhchivan lies 450 km from Baku."]
    # Only at the start of a line: a date inside a sentence is part of it.
    assert split_sentences("The census dated 2016-10-01 gave 79.9 million.") == [
        "The census dated 2016-10-01 gave 79.9 million."
    ]


def test_split_sentences_empty():
    assert split_sentences("") == []
    assert split_sentences("\n\n  \n") == []


# --- the seed articles ----------------------------------------------------------------------------

TARGETS = [
    (ANTIWAR, "15-18 million"),
    (FRONTLINE, "Close to 15 million"),
    (FRONTLINE, "roughly 10.5 million"),
    (FRONTLINE, "46.4%"),
    (FRONTLINE, "43-km"),
    (FRONTLINE, "99 years"),
    (FRONTLINE, "450 km"),
]
FILLER = [
    (FRONTLINE, "Tehran denied any involvement."),
    (FRONTLINE, "Two Azerbaijans"),
    (FRONTLINE, "Historically, bilateral ties have remained in a state of managed hostility."),
    (FRONTLINE, "‘Trump Route’"),
    (ANTIWAR, "Another lawmaker threatened to cut Iran’s tail."),
    (ANTIWAR, "Iran has tried but failed."),
    (ANTIWAR, "They always try to play both sides, except their absurd actions are extremely transparent."),
]


@needs_seeds
@pytest.mark.parametrize(("path", "snippet"), TARGETS)
def test_figure_sentences_are_candidates(path, snippet):
    candidates = extract_candidates(_read(path))
    candidate = _containing(candidates, snippet)
    assert any(snippet in found.text for found in candidate.figures)
    assert any(reason.startswith("figure: ") for reason in candidate.reasons)
    assert candidates.index(candidate) < 8, "a figure sentence should be near the top"


@needs_seeds
@pytest.mark.parametrize(("path", "snippet"), TARGETS)
def test_figure_sentences_rank_above_filler(path, snippet):
    text = _read(path)
    everything = extract_candidates(text, min_score=None)
    target = _containing(everything, snippet)
    for filler_path, filler in FILLER:
        if filler_path == path:
            assert target.score > _containing(everything, filler).score


@needs_seeds
@pytest.mark.parametrize(("path", "filler"), FILLER)
def test_filler_is_not_a_candidate(path, filler):
    assert not [c for c in extract_candidates(_read(path)) if filler in c.sentence]


@needs_seeds
@pytest.mark.parametrize(
    ("path", "snippet", "measure"),
    [
        (ANTIWAR, "15-18 million", "Azeris living in Iran"),
        (FRONTLINE, "Close to 15 million", "Azeris in north-western Iran"),
        (FRONTLINE, "46.4%", "share of Israeli oil imports"),
        (FRONTLINE, "43-km", "length of transit corridor"),
        (FRONTLINE, "450 km", "distance from the country’s capital Baku"),
    ],
)
def test_suggested_measure(path, snippet, measure):
    assert _containing(extract_candidates(_read(path)), snippet).suggested_measure == measure


def test_suggested_measure_before_of():
    sentence = "It overshadows Azerbaijan’s own population of roughly 10.5 million."
    found = find_figures(sentence)[0]
    assert suggest_measure(sentence, found) == "Azerbaijan’s own population"


@needs_seeds
def test_attribution():
    antiwar = extract_candidates(_read(ANTIWAR))
    assert _containing(antiwar, "According to Tehran Times").attributed
    assert _containing(antiwar, "tweeted that the leaders of Baku").attributed
    frontline = extract_candidates(_read(FRONTLINE))
    assert not _containing(frontline, "46.4%").attributed
    assert _containing(frontline, "43-km").attributed  # quotes the “Trilateral Joint Declaration”


@needs_seeds
@pytest.mark.parametrize("path", [ANTIWAR, FRONTLINE])
def test_quotes_are_short_exact_substrings(path):
    for candidate in extract_candidates(_read(path)):
        assert 0 < len(candidate.quote) <= QUOTE_LIMIT
        assert candidate.quote in candidate.sentence


@needs_seeds
def test_long_sentence_quote_keeps_the_figure():
    candidate = _containing(extract_candidates(_read(ANTIWAR)), "15-18 million")
    assert len(candidate.sentence) <= QUOTE_LIMIT or "15-18 million" in candidate.quote
    assert "15-18 million" in candidate.quote


@needs_seeds
def test_deterministic_and_limited():
    text = _read(FRONTLINE)
    first, second = extract_candidates(text), extract_candidates(text)
    assert [(c.sentence, c.score, c.reasons) for c in first] == [(c.sentence, c.score, c.reasons) for c in second]
    assert extract_candidates(text, limit=3) == first[:3]
    scores = [c.score for c in first]
    assert scores == sorted(scores, reverse=True)


# --- scoring rules --------------------------------------------------------------------------------


def _score(sentence: str) -> float:
    return extract_candidates(sentence, min_score=None)[0].score


def test_questions_score_below_statements():
    statement = "Close to 15 million Azeris live in north-western Iran, the agency said."
    question = "Do close to 15 million Azeris live in north-western Iran, as the agency said?"
    assert _score(question) < _score(statement)


def test_opinion_scores_below_reporting():
    reporting = "Iran has accused Baku of cooperating with the Israeli intelligence agency Mossad since 2021."
    opinion = "I think Iran should stop accusing Baku of cooperating with the Israeli agency Mossad since 2021."
    assert _score(opinion) < _score(reporting)


def test_figures_outrank_names_alone():
    names = "Turkey, Azerbaijan and Pakistan held joint military exercises near the Caspian Sea in 2021."
    figure = "The corridor is 43 km long and the consortium holds the rights for 99 years."
    assert _score(figure) > _score(names)


def test_no_signal_no_candidate():
    assert extract_candidates("The weather was pleasant and everyone went home happily afterwards.") == []


@given(st.text(max_size=400))
def test_any_text_is_safe(text):
    for candidate in extract_candidates(text, min_score=None):
        assert candidate.quote in candidate.sentence
        assert len(candidate.quote) <= QUOTE_LIMIT
