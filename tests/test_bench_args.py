"""``make bench`` runs ``python -m bench`` without arguments: every part but granska."""

import pytest

from bench.__main__ import parse


def test_without_parts_every_part_but_granska():
    assert parse([])[0] == ["skydd", "skala", "redo", "last"]


def test_named_parts_and_options():
    parts, args = parse(["granska", "skala", "--scales", "10", "--runs", "3"])
    assert parts == ["granska", "skala"] and args.scales == [10] and args.runs == 3


def test_an_unknown_part_is_refused(capsys):
    with pytest.raises(SystemExit):
        parse(["nope"])
    assert "okänd del: nope" in capsys.readouterr().err
