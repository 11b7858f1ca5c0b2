"""What a page offers instead of figures it cannot show (components.sida.published_choices),
on a hand-made Laget: the quarters 2021-Q1..2022-Q4 loaded."""

from __future__ import annotations

from dash import html

from dashboard import inlast
from dashboard.components.sida import published_choices
from dashboard.urval import Filter

LAGET = inlast.Laget(perioder=tuple(f"{y}-Q{q}" for y in (2021, 2022) for q in (1, 2, 3, 4)),
                     uttag={})


def words(parts) -> str:
    return "".join(p.children if isinstance(p, html.A) else p for p in parts)


def test_a_quarter_is_offered_the_whole_year_published_per_year():
    assert words(published_choices(LAGET, Filter("2022-Q3", "2022-Q3"), per_ar=True)) == \
        "Visa i stället: Hela 2022."


def test_nothing_is_offered_when_the_published_year_is_already_shown():
    # (LOKUS Heby's Deltagare for 2022 once read "Visa i stället: ." under a hidden chart)
    assert published_choices(LAGET, Filter("2022-Q1", "2022-Q4"), per_ar=True) == []


def test_a_quarter_is_offered_the_year_to_date_the_half_year_and_the_year_before():
    assert words(published_choices(LAGET, Filter("2022-Q4", "2022-Q4"))) == \
        "Visa i stället: Hittills i år, Halvåret eller Hela 2021."
