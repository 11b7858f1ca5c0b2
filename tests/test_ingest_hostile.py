"""Hostile and broken extracts: every one gets a Swedish message naming file, row or bound,
nothing raises, and the database and its folder are exactly as before. Each input is made
small inside the test (the bounds are lowered where a real attack would be big)."""

from __future__ import annotations

import codecs
import errno
import hashlib
import importlib
import io
import shutil
import struct
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import __main__ as cli
from dashboard import audit, config, db, ingest, laddning
from dashboard.config import Limits
from dashboard.ingest.read import read

FIXTURES = Path(__file__).parent / "fixtures"
TRAPS = FIXTURES / "traps"


# --- helpers --------------------------------------------------------------------------------


def folder_state(folder: Path) -> dict:
    """Every file of the database's folder and its content hash (symlinks by target)."""
    out = {}
    for p in sorted(folder.iterdir()):
        if p.is_symlink():
            out[p.name] = "-> " + str(p.readlink())
        elif p.is_file() and not p.name.endswith(".lock") and p.name != "audit.log":
            out[p.name] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture
def loaded(tmp_path, monkeypatch) -> Path:
    """A database with the traps extract loaded, in a folder of its own; audit log beside it."""
    monkeypatch.setenv("INSATSKOLLEN_AUDIT", str(tmp_path / "dbdir" / "audit.log"))
    config.get.cache_clear()
    path = tmp_path / "dbdir" / "d.duckdb"
    ingest.ingest_file(TRAPS, path, loaded_by="kansliet")
    yield path
    config.get.cache_clear()


def copy_traps(tmp_path: Path) -> Path:
    out = tmp_path / "uttag"
    shutil.copytree(TRAPS, out)
    return out


def messages(problems) -> str:
    return "\n".join(str(p) for p in problems)


def rejected(path, db_path: Path) -> str:
    """Ingest ``path`` into ``db_path``, expecting a rejection that changes nothing; the text."""
    before = folder_state(db_path.parent)
    with pytest.raises(ingest.ExtractRejected) as exc:
        ingest.ingest_file(path, db_path)
    assert folder_state(db_path.parent) == before
    return messages(exc.value.problems)


def zip_of(files: dict[str, bytes], path: Path, method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def traps_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(TRAPS.glob("*.csv"))}


# --- encodings ------------------------------------------------------------------------------


def test_one_windows_byte_in_a_utf8_file_is_refused_with_line_and_bytes(tmp_path, loaded):
    folder = copy_traps(tmp_path)
    f = folder / "insatser.csv"
    data = f.read_bytes()
    assert "Försäkringskassan".encode() in data  # the file has UTF-8 characters
    f.write_bytes(data.replace(b"ignoreras", b"ignoreras p\xe5 H\xe5bo"))  # cp1252 "å"
    text = rejected(folder, loaded)
    assert "insatser.csv, rad 2" in text
    assert "blandar teckenkodningar" in text and "0xE5" in text
    assert "CSV UTF-8" in text


def test_a_windows_1252_file_is_read_as_such(tmp_path):
    folder = copy_traps(tmp_path)
    f = folder / "insatser.csv"
    f.write_bytes(f.read_text(encoding="utf-8").encode("cp1252"))
    raw = read(folder)
    assert not raw.problems
    assert "Försäkringskassan|Arbetsförmedlingen" in set(raw.tables["insatser"].data[
        "samverkansparter"])


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_utf16_with_a_bom_is_read(tmp_path, bom):
    folder = copy_traps(tmp_path)
    f = folder / "insatser.csv"
    enc = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    f.write_bytes(bom + f.read_text(encoding="utf-8").encode(enc))
    raw = read(folder)
    assert not raw.problems
    assert raw.tables["insatser"].data.equals(read(TRAPS).tables["insatser"].data)


def test_utf16_without_a_bom_is_refused_by_name(tmp_path, loaded):
    folder = copy_traps(tmp_path)
    f = folder / "insatser.csv"
    f.write_bytes(f.read_text(encoding="utf-8").encode("utf-16-le"))
    text = rejected(folder, loaded)
    assert "insatser.csv, rad 1" in text and "UTF-16 utan byte-ordningsmärke" in text


def test_bytes_that_are_neither_utf8_nor_windows_1252(tmp_path, loaded):
    folder = copy_traps(tmp_path)
    f = folder / "uttag.csv"
    cp1252 = f.read_text(encoding="utf-8").encode("cp1252")
    f.write_bytes(cp1252.replace(b"\n", b"\x81\n", 1))  # 0x81 is undefined in cp1252
    text = rejected(folder, loaded)
    assert "uttag.csv, rad 1" in text and "0x81" in text and "varken UTF-8" in text


# --- bounds ---------------------------------------------------------------------------------


def test_a_zip_bomb_stops_at_the_ratio_bound(tmp_path, loaded):
    files = traps_files()
    files["deltagare.csv"] += b" " * (8 * 1024 * 1024)  # 8 MB of spaces deflate ~1000 times
    path = zip_of(files, tmp_path / "bomb.zip")
    assert path.stat().st_size < 100_000
    text = rejected(path, loaded)
    assert "bomb.zip: deltagare.csv" in text and "zip-bomb" in text
    assert "granser.kvot = 100" in text


def test_a_member_bigger_than_the_file_bound(tmp_path):
    files = traps_files()
    files["deltagare.csv"] += b" " * (1536 * 1024)
    path = zip_of(files, tmp_path / "u.zip")
    raw = read(path, Limits(fil_mb=1, kvot=10**6))
    [big] = [p for p in raw.problems if "granser.fil_mb" in p.message]
    assert big.file == "u.zip: deltagare.csv"
    assert "större än 1 MB" in big.message


def test_the_whole_extract_bound(tmp_path):
    raw = read(TRAPS, Limits(totalt_mb=2000 / 1024 / 1024))
    text = messages(raw.problems)
    assert "granser.totalt_mb" in text and "resten lästes inte" in text
    assert len(raw.tables) < len(traps_files())


def test_too_many_members(tmp_path, loaded):
    files = traps_files() | {f"extra{i}.csv": b"a\n1\n" for i in range(60)}
    text = rejected(zip_of(files, tmp_path / "many.zip"), loaded)
    assert f"Zip-filen har {len(files)} filer" in text and "granser.filer = 50" in text


def test_a_zip_whose_declared_sizes_lie(tmp_path, loaded):
    path = zip_of(traps_files(), tmp_path / "lies.zip")
    data = bytearray(path.read_bytes())
    # every header says deltagare.csv is 10 bytes long (local header and central directory)
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := data.find(sig, pos)) >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at:name_at + 13] == b"deltagare.csv":
                data[pos + size_at:pos + size_at + 4] = struct.pack("<I", 10)
            pos += 4
    path.write_bytes(bytes(data))
    text = rejected(path, loaded)
    assert "lies.zip: deltagare.csv" in text and "skadad" in text


def test_not_a_zip_at_all(tmp_path, loaded):
    path = tmp_path / "fake.zip"
    path.write_bytes(b"PK\x03\x04 this is not a zip")
    assert "inte en giltig zip-fil" in rejected(path, loaded)


def test_rows_per_file_bound(tmp_path):
    raw = read(TRAPS, Limits(rader=5))
    text = messages(raw.problems)
    assert "deltagare.csv: Filen har 11 rader (gräns: flest rader per fil, granser.rader = 5)" \
        in text


def test_problems_are_capped_with_a_count_per_kind(tmp_path, monkeypatch):
    folder = copy_traps(tmp_path)
    rows = "".join(",".join(["x"] * 15) + "\n" for i in range(3000))  # 15 fields, not 11
    (folder / "deltagare.csv").write_text(
        (TRAPS / "deltagare.csv").read_text(encoding="utf-8") + rows, encoding="utf-8")
    monkeypatch.setenv("INSATSKOLLEN_CONFIG", str(tmp_path / "k.toml"))
    (tmp_path / "k.toml").write_text("[granser]\nproblem = 100\n", encoding="utf-8")
    config.get.cache_clear()
    try:
        _, v = ingest.check(folder)
    finally:
        config.get.cache_clear()
    assert 100 < len(v.problems) < 110
    assert "… och 2900 rader till med fel antal fält" in messages(v.problems)
    assert "bara de första 100 problemen listas" in messages(v.problems)


def test_unknown_bound_in_the_config_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("INSATSKOLLEN_CONFIG", str(tmp_path / "k.toml"))
    (tmp_path / "k.toml").write_text("[granser]\nfil_mbb = 3\n", encoding="utf-8")
    config.get.cache_clear()
    try:
        with pytest.raises(config.ConfigError, match="granser.*okänd nyckel fil_mbb"):
            config.get()
    finally:
        config.get.cache_clear()


# --- xlsx -----------------------------------------------------------------------------------


def traps_workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, data in traps_files().items():
        ws = wb.create_sheet(name.removesuffix(".csv"))
        text = data.decode("utf-8")
        sep = ";" if text.split("\n", 1)[0].count(";") else ","
        for line in text.splitlines():
            ws.append(line.split(sep))
    return wb


def rewrite_member(path: Path, member: str, edit) -> None:
    with zipfile.ZipFile(path) as zf:
        items = [(i.filename, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items:
            zf.writestr(name, edit(data) if name == member else data)


@pytest.mark.parametrize("payload", [
    # billion laughs
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
    # external entity (XXE)
    b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
])
def test_xlsx_with_entities_is_refused(tmp_path, loaded, payload):
    path = tmp_path / "u.xlsx"
    traps_workbook().save(path)

    def inject(xml: bytes) -> bytes:
        return payload + xml

    rewrite_member(path, "xl/worksheets/sheet1.xml", inject)
    text = rejected(path, loaded)
    assert "otillåten XML" in text and "etc/passwd" not in text


def test_xlsx_formula_uses_its_cached_value_and_one_without_is_a_problem(tmp_path, loaded):
    wb = traps_workbook()
    ws = wb["budget"]
    ws["D2"] = "=1+1"  # utfall_tkr; openpyxl writes no cached value, as a script would
    path = tmp_path / "u.xlsx"
    wb.save(path)
    text = rejected(path, loaded)
    assert "u.xlsx, blad budget, rad 2, kolumn utfall_tkr: Cell D2: formel utan beräknat värde"\
        in text and "öppna filen i Excel och spara igen" in text

    # the same formula with a cached value (as Excel saves it) reads as that value
    def cache(xml: bytes) -> bytes:
        return xml.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>").replace(
            b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")

    sheet = wb.sheetnames.index("budget") + 1
    rewrite_member(path, f"xl/worksheets/sheet{sheet}.xml", cache)
    raw = read(path)
    assert not [p for p in raw.problems if "formel" in p.message]
    assert raw.tables["budget"].data["utfall_tkr"].iloc[0] == "2"


# --- the environment: never a traceback -----------------------------------------------------


def run_cli(argv, capsys) -> tuple[int, str]:
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_a_300_character_name_on_the_cli(tmp_path, loaded, capsys):
    before = folder_state(loaded.parent)
    code, err = run_cli(["ingest", str(tmp_path / ("x" * 300 + ".zip")), "--db", str(loaded)],
                        capsys)
    assert code == 1 and "Filnamnet är för långt" in err
    assert folder_state(loaded.parent) == before


def test_a_300_character_name_on_the_web(tmp_path, monkeypatch):
    monkeypatch.setenv("INSATSKOLLEN_DB", str(tmp_path / "d.duckdb"))
    config.get.cache_clear()
    try:
        with pytest.raises(laddning.UploadError, match="längre än 120 tecken"):
            laddning.stage([("x" * 300 + ".zip", b"PK")], "kansliet")
        assert not (tmp_path / "staging").exists() or not any((tmp_path / "staging").iterdir())
    finally:
        config.get.cache_clear()


@pytest.mark.parametrize("err,text", [
    (errno.ENOSPC, "Disken är full"),
    (errno.EACCES, "Saknar behörighet"),
])
def test_disk_full_or_no_permission_while_writing(tmp_path, loaded, capsys, monkeypatch,
                                                   err, text):
    before = folder_state(loaded.parent)
    real = shutil.copyfile

    def failing(src, dst, *a, **kw):
        real(src, dst, *a, **kw)  # leaves a partial copy behind, as a full disk would
        raise OSError(err, "simulated")

    monkeypatch.setattr(db.shutil, "copyfile", failing)
    n = len(audit.read())
    code, out = run_cli(["ingest", str(TRAPS), "--db", str(loaded)], capsys)
    assert code == 1 and text in out and "Inget har sparats" in out
    assert folder_state(loaded.parent) == before
    [event] = audit.read()[n:]
    assert event["handelse"] == "inlasning_fel" and text in event["fel"]


def test_a_locked_database_is_a_message_after_a_bounded_wait(tmp_path, loaded, capsys,
                                                              monkeypatch):
    before = folder_state(loaded.parent)
    real = db.writer
    monkeypatch.setattr(db, "writer", lambda p: real(p, lock_timeout=0.3))
    with real(loaded):  # another load holds the database
        code, err = run_cli(["ingest", str(TRAPS), "--db", str(loaded)], capsys)
    assert code == 1 and "Databasen är upptagen av en annan inläsning" in err
    assert set(folder_state(loaded.parent)) >= set(before)


def test_web_confirm_on_a_full_disk_is_a_message_and_cleans_the_staging(tmp_path, monkeypatch):
    monkeypatch.setenv("INSATSKOLLEN_DB", str(tmp_path / "d.duckdb"))
    monkeypatch.setenv("INSATSKOLLEN_AUDIT", str(tmp_path / "audit.log"))
    config.get.cache_clear()
    try:
        token = laddning.stage([(n, d) for n, d in traps_files().items()], "kansliet")

        def full(*a, **kw):
            raise OSError(errno.ENOSPC, "simulated")

        monkeypatch.setattr(db.duckdb, "connect", full)
        with pytest.raises(laddning.LoadFailed, match="Disken är full"):
            laddning.confirm(token, "kansliet")
        assert not any((tmp_path / "staging").iterdir())
        assert not list(tmp_path.glob("d.duckdb*.gen*"))
        assert audit.read()[-1]["handelse"] == "inlasning_fel"
    finally:
        config.get.cache_clear()


# --- anything at all ------------------------------------------------------------------------

SEPARATORS = [b";", b",", b"\t", b"|"]


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    which=st.sampled_from(sorted(traps_files())),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
    sep=st.sampled_from(SEPARATORS),
    cut=st.floats(0, 1),
    noise=st.binary(max_size=64),
    at=st.floats(0, 1),
)
def test_any_bytes_never_crash_and_never_change_the_database(tmp_path_factory, traps_db, which,
                                                             encoding, sep, cut, noise, at):
    tmp = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(traps_db.parent, tmp / "dbdir", symlinks=True)  # (conftest.traps_copy's)
    path = tmp / "dbdir" / traps_db.name
    before = folder_state(path.parent)
    folder = copy_traps(tmp)
    text = (TRAPS / which).read_text(encoding="utf-8")
    data = text.encode(encoding, errors="replace").replace(b";", sep)
    data = data[: int(len(data) * cut)] if cut < 0.95 else data
    i = int(len(data) * at)
    (folder / which).write_bytes(data[:i] + noise + data[i:])
    try:
        ingest.ingest_file(folder, path)
    except ingest.ExtractRejected as exc:
        assert exc.problems and all(isinstance(str(p), str) for p in exc.problems)
        assert folder_state(path.parent) == before
    # an accepted extract (noise in a free-text field) is a new version: also fine
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM loads").fetchone()[0] in (1, 2)
    con.close()


def test_reading_random_bytes_as_any_kind_of_extract_never_raises(tmp_path):
    import random

    rnd = random.Random(7)
    for i in range(60):
        blob = bytes(rnd.randrange(256) for _ in range(rnd.randrange(2000)))
        for suffix in (".zip", ".xlsx"):
            p = tmp_path / f"r{i}{suffix}"
            p.write_bytes((b"PK\x03\x04" if i % 2 else b"") + blob)
            raw = read(p)
            assert raw.problems  # never a table from noise, never an exception
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("deltagare.csv", blob)
        p = tmp_path / f"z{i}.zip"
        p.write_bytes(buf.getvalue())
        read(p)



def test_a_stray_byte_far_into_a_big_file_is_found_on_its_line(tmp_path, loaded):
    """UTF-8 is checked a megabyte at a time: a Windows byte after 1.2 MB of "å" (two bytes
    each, so characters are cut across the megabytes) is still found, on its own line."""
    folder = copy_traps(tmp_path)
    f = folder / "insatser.csv"
    data = f.read_bytes()
    if not data.endswith(b"\n"):
        data += b"\n"
    line = data.count(b"\n") + 1  # the row appended below
    f.write_bytes(data + b'Z;"' + "å".encode() * (600 * 1024) + b' H\xe5bo"\n')
    text = rejected(folder, loaded)
    assert f"insatser.csv, rad {line}:" in text, text[:300]
    assert "blandar teckenkodningar" in text and "0xE5" in text


@pytest.mark.parametrize("data", [b"abc\xc3\xa5def", b"abcd\xc3\xa5\xffx", b"ab\xffcdefgh",
                                  "h\u00e4\u00e5".encode() + b"\x80", b"abc\xe2\x82", b"",
                                  b"abc\xc3", b"\xef\xbb\xbfa\xc3\xa5\xc3"])
def test_utf8_is_checked_in_pieces_with_the_whole_files_positions(monkeypatch, data):
    """Pieces of four bytes cut characters in two: the error's place is the one a decode of
    the whole file gives."""
    read_mod = importlib.import_module("dashboard.ingest.read")  # (the package's read is a function)
    monkeypatch.setattr(read_mod, "_CHUNK", 4)
    try:
        data.decode("utf-8")
        expected = None
    except UnicodeDecodeError as exc:
        expected = (exc.start, exc.end)
    err = read_mod._utf8_error(data)
    assert (None if err is None else (err.start, err.end)) == expected
