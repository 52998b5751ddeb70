"""Template helpers of the reader site, as plain functions."""

import pytest

from claims.templatetags.factcheck import duration_in_days, percent


@pytest.mark.parametrize(
    ("days", "reading"),
    [
        (3650, "10 years"),
        (365, "1 year"),
        (60, "2 months"),
        (14, "2 weeks"),
        (45, "45 days"),
        (1, "1 day"),
        (0, "0 days"),
    ],
)
def test_it_reads_a_comparison_window_in_whole_units(days, reading):
    assert duration_in_days(days) == reading


def test_it_reads_a_score_as_a_percentage_and_leaves_no_score_empty():
    assert percent(0.724) == "72%"
    assert percent(None) == ""
