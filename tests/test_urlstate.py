"""The filter state in the URL: parsing (a URL is only a wish), writing, presets."""

from __future__ import annotations

from dashboard import urlstate
from dashboard.urval import Filter


def test_parse_and_write_round_trip():
    s = urlstate.parse({"fran": "2020q3", "till": "2020-Q4", "kommun": "Håbo,Tierp",
                        "typ": "individ,bogus", "status": "pagaende"})
    assert s == Filter("2020-Q3", "2020-Q4", ("Håbo", "Tierp"), ("individ",), ("pagaende",))
    q = s.query()
    assert q == "?fran=2020-Q3&till=2020-Q4&kommun=H%C3%A5bo,Tierp&typ=individ&status=pagaende"
    assert urlstate.parse(q) == s  # the string form Dash's Location gives back


def test_junk_is_dropped_not_an_error():
    s = urlstate.parse("?fran=igår&till=2020-Q5&typ=<script>&status=x&kommun=" + "a" * 500)
    assert s == Filter()
    assert s.query() == ""
    # an inside-out range is turned the right way round; repeated values appear once
    s = urlstate.parse({"fran": "2021-Q2", "till": "2020-Q1", "kommun": ["Heby", "Heby,Tierp"]})
    assert (s.fran, s.till, s.kommuner) == ("2020-Q1", "2021-Q2", ("Heby", "Tierp"))


def test_filters_of_a_state():
    f = Filter("2020-Q3", "2020-Q4", ("Heby",), (), ("avslutad",)).filters(("A",))
    assert (f.fran, f.till, f.kommuner, f.typer, f.insatser, f.statuser) == (
        "2020-Q3", "2020-Q4", ("Heby",), (), ("A",), ("avslutad",))


def test_presets():
    latest = "2022-Q4"
    chosen = Filter("2020-Q1", "2020-Q4", ("Heby",))
    assert urlstate.preset("kvartal", chosen, latest, "2019-Q1") == Filter(
        "2022-Q4", "2022-Q4", ("Heby",))
    # the others end at the chosen `till`
    assert urlstate.preset("halvar", chosen, latest, "2019-Q1") == Filter(
        "2020-Q3", "2020-Q4", ("Heby",))
    assert urlstate.preset("ar", chosen, latest, "2019-Q1").fran == "2020-Q1"
    assert urlstate.preset("allt", chosen, latest, "2019-Q2").fran == "2019-Q2"
    # calendar half-years: Q1 -> Q1, Q2 -> Q1..Q2, Q3 -> Q3, Q4 -> Q3..Q4
    for till, fran in [("2021-Q1", "2021-Q1"), ("2021-Q2", "2021-Q1"), ("2021-Q3", "2021-Q3"),
                       ("2021-Q4", "2021-Q3")]:
        s = urlstate.preset("halvar", Filter(None, till), latest, "2019-Q1")
        assert (s.fran, s.till) == (fran, till)
    # with nothing chosen the presets count from the latest quarter
    assert urlstate.preset("ar", Filter(), latest, "2019-Q1") == Filter("2022-Q1", "2022-Q4")


def test_participant_pages_default_to_the_year_to_date():
    from dashboard.urlstate import standard_range, with_standard

    assert standard_range("/deltagare", "2022-Q3") == ("2022-Q1", "2022-Q3")
    assert standard_range("/malgrupp", "2023-Q1") == ("2023-Q1", "2023-Q1")
    assert standard_range("/budget", "2022-Q3") == ("2022-Q3", "2022-Q3")
    # only a URL without a period gets the default; other pages keep "the latest quarter"
    assert with_standard(Filter(), "/deltagare", "2022-Q3").fran == "2022-Q1"
    assert with_standard(Filter("2022-Q2", "2022-Q2"), "/deltagare", "2022-Q3").fran == "2022-Q2"
    assert with_standard(Filter(), "/", "2022-Q3") == Filter()


def test_display_mode_travels_in_the_url_but_not_into_the_figures():
    from dashboard import urlstate

    s = urlstate.parse("?kommun=Heby&visning=projektor")
    assert s.visning == "projektor" and s.query() == "?kommun=Heby&visning=projektor"
    assert s.filters().visning == "" and s.filters().kommuner == ("Heby",)
    assert urlstate.parse("?visning=<script>").visning == ""
