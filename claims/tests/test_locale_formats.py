"""Numbers, dates and chart directions follow the reader's language: Django's locale formats for
separators and dates (English keeps "9 March 2026"), and a range chart whose labels start at the
right edge on a right-to-left page."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from claims.charts import PAD, WIDTH, RangeRow, format_amount, range_chart
from claims.figures import format_interval

DAY = date(2026, 3, 9)
DATES = Template('{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}|{{ day|date:"YEAR_MONTH_FORMAT" }}')


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "9 March 2026|9 Mar 2026|Mar 2026"),
        ("ru", "9 марта 2026 г.|09.03.2026|Март 2026 г."),
        ("fa", "9 مارس 2026|2026/3/9|مارس 2026"),
    ],
)
def test_dates_are_written_in_the_languages_own_format(language, expected):
    with translation.override(language):
        assert DATES.render(Context({"day": DAY})) == expected


def test_amounts_use_the_languages_separators_and_english_stays_as_it_was():
    with translation.override("en"):
        assert [format_amount(v) for v in (1550000, 12000, 46.4)] == ["1.55 million", "12,000", "46.4"]
        assert format_interval(Decimal(10500000), Decimal(10500000), "approximate") == "about 10.5 million"
        assert format_interval(None, Decimal(5000), "at_most") == "up to 5,000"
    with translation.override("ru"):
        # Russian: decimal comma, non-breaking space between thousands (Django's ru formats).
        assert format_amount(1550000).startswith("1,55")
        assert format_amount(12000) == "12\xa0000"
        assert "10,5" in format_interval(Decimal(10500000), Decimal(10500000), "approximate")
        assert "5\xa0000" in format_interval(None, Decimal(5000), "at_most")


ROW = RangeRow(label="Ministry", detail="15 million", low=15_000_000, high=18_000_000)


def test_a_range_charts_labels_start_at_the_pages_reading_edge():
    with translation.override("en"):
        svg = range_chart([ROW], title="Population")
        assert f'class="label" x="{PAD}"' in svg and 'direction="rtl"' not in svg
    with translation.override("fa"):
        svg = range_chart([ROW], title="Population")
        assert f'class="label" x="{WIDTH - PAD}"' in svg and 'direction="rtl">' in svg
    assert 'direction="ltr"' in svg  # the number axis reads left to right
