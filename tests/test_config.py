"""The configuration file is checked at start: an unknown key or a value that cannot be used
stops the CLI and the app with a message naming the file and the key, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import config

ROOT = Path(__file__).resolve().parents[1]

BAD = [
    ("suppresion_threshold = 5\n", "Okänd nyckel", "suppresion_threshold"),
    ("suppression_threshold = 1\n", "suppression_threshold = 1", "förväntat 2–100"),
    ("suppression_threshold = \"fem\"\n", "suppression_threshold", "ett heltal"),
    ("idle_minutes = 0\n", "idle_minutes", "förväntat 1–1440"),
    ("secure_cookies = \"ja\"\n", "secure_cookies", "true eller false"),
    ("[granser]\nrader = -3\n", "[granser]", "förväntat 1–"),
    ("[budget_lampa]\ngron = [90]\n", "budget_lampa", "[från, till]"),
    ("db_path = \n", "går inte att läsa", ""),
    ("bip_skala = 5\n", "bip_skala = 5", "[lägsta, högsta]"),
    ("bip_skala = [5, 1]\n", "bip_skala", "mindre än det högsta"),
    ("bip_skala = [1, 4.5]\n", "bip_skala", "ett heltal"),
    ("[registrering]\noppen_manader = 20\n", "[registrering]", "hela kvartal"),
    ("[registrering]\nanonyma = 20\n", "[registrering]", "oppen_manader och anonyma_procent"),
]


@pytest.fixture
def cfg_file(tmp_path, monkeypatch):
    path = tmp_path / "insatskollen.toml"
    monkeypatch.setenv("INSATSKOLLEN_CONFIG", str(path))
    config.get.cache_clear()
    yield path
    config.get.cache_clear()


@pytest.mark.parametrize("text,names,expected", BAD)
def test_a_bad_key_or_value_is_named(cfg_file, text, names, expected):
    cfg_file.write_text(text, encoding="utf-8")
    with pytest.raises(config.ConfigError) as exc:
        config.get()
    assert str(cfg_file) in str(exc.value)
    assert names in str(exc.value) and expected in str(exc.value)


def test_a_good_file_is_read(cfg_file):
    cfg_file.write_text('suppression_threshold = 4\nidle_minutes = 15\nmax_file_mb = 8\n'
                        'bip_skala = [0, 10]\n'
                        '[granser]\nrader = 1000\n[budget_lampa]\ngron = [85, 110]\n'
                        '[registrering]\noppen_manader = 18\n',
                        encoding="utf-8")
    c = config.get()
    assert c.bip_skala == (0, 10)
    assert (c.suppression_threshold, c.idle_minutes) == (4, 15)
    assert (c.limits.fil_mb, c.limits.rader, c.limits.problem) == (8, 1000, 1000)
    assert c.budget.gron == (85, 110)
    assert (c.registrering.oppen_manader, c.registrering.oppen_kvartal) == (18, 6)
    assert c.registrering.anonyma_procent == 20  # the default


@pytest.mark.parametrize("argv", [["-m", "dashboard", "export", "budget"], ["app.py"]])
def test_cli_and_app_stop_with_the_message(tmp_path, argv):
    path = tmp_path / "k.toml"
    path.write_text("suppresion_threshold = 5\n", encoding="utf-8")
    env = {**os.environ, "INSATSKOLLEN_CONFIG": str(path), "PORT": "0"}
    res = subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode != 0
    assert "suppresion_threshold" in res.stderr and "Traceback" not in res.stderr
