"""Insatskollen on the command line: ``python -m dashboard COMMAND --help``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config, urval

VIEW_HELP = {
    "mal": "målens lampor per insats (Tabell 2)",
    "budget": "budget, utfall och förbrukningskvot per insats (Tabell 4)",
    "deltagare": "deltagare och utfall per individinsats (Tabell 6)",
    "avslutsorsaker": "avslutsorsaker per kön (Tabell 7)",
    "malgrupp": "målgruppen per kön: ålder, försörjning, utbildning m.m.",
    "kvalitet": "styrgruppens kvalitetsfrågor per insats (Tabell 3 och 5)",
    "bip": "progression med BIP per insats: mätta, uppföljning, stegförflyttning",
    "bip_indikator": "BIP per indikator: antal, medel vid första och senaste mätningen",
    "slutrapport": "slutrapportens siffror, en rad per avslutad insats (hela insatstiden)",
    "forsorjning": "försörjning före och efter insatsen per kön, för avslutade (helt kalenderår)",
    "forsorjning_insats": "lämnat offentlig försörjning per individinsats (helt kalenderår)",
}


def _db(args) -> Path:
    return Path(args.db) if args.db else config.get().db_path


def cmd_ingest(args) -> int:
    from . import audit, ingest

    who = args.user or audit.os_user()
    try:
        res = ingest.ingest_file(args.path, _db(args), loaded_by=who)
    except ingest.ExtractRejected as exc:
        audit.log("inlasning_avvisad", anvandare=who, kalla=str(args.path),
                  problem=len(exc.problems))
        print(f"Uttaget AVVISADES: {len(exc.problems)} problem. Inget har sparats.",
              file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001  the environment (disk, rights, lock), never a traceback
        msg = ingest.fel_text(exc)
        audit.log_quietly("inlasning_fel", anvandare=who, kalla=str(args.path)[:300], fel=msg)
        print(f"Inläsningen MISSLYCKADES: {msg}. Inget har sparats.", file=sys.stderr)
        return 1
    audit.log("inlasning", anvandare=who, kalla=str(args.path), period=res.period,
              laddning=res.load_id, rader=res.row_counts)
    rows = ", ".join(f"{k} {v}" for k, v in sorted(res.row_counts.items()))
    print(f"Inläst: period {res.period} (laddning nr {res.load_id}). Rader: {rows}.")
    return 0


# the page that shows an exported view: without a period the export uses the page's default
EXPORT_PAGE = {"deltagare": "/deltagare", "avslutsorsaker": "/deltagare",
               "forsorjning": "/deltagare", "forsorjning_insats": "/deltagare",
               "malgrupp": "/malgrupp", "bip": "/progression", "bip_indikator": "/progression"}


def cmd_export(args) -> int:
    from dataclasses import replace

    import duckdb

    from . import export, urlstate, views

    db_path = _db(args)
    if not db_path.exists():
        print(f"Databasen {db_path} finns inte. Läs in ett uttag först: "
              "python -m dashboard ingest MAPP", file=sys.stderr)
        return 2
    con = duckdb.connect(str(db_path), read_only=True)
    scope = urval.Scope.kansli() if args.unsuppressed else urval.Scope.styrelse()
    f = filter_of(args)
    try:
        page = EXPORT_PAGE.get(args.view)
        if not (f.fran or f.till) and page in urlstate.STANDARDPERIOD:  # the page's default
            fran, till = urlstate.standard_range(page, views.latest_period(con))
            f = replace(f, fran=fran, till=till)
        if args.view == "slutrapport":  # every ended insats over its whole time: no period
            from . import slutrapport

            df = slutrapport.export_rader(con, scope, replace(f, fran=None, till=None))
        else:
            df = views.VIEWS[args.view](con, scope, f, *([f.indelning] if args.view == "malgrupp"
                                                         else []))
    except (ValueError, views.NoData) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    ej = df.attrs.get("ej_publicerat")  # a part published per calendar year only: why
    if ej:
        text = ej if isinstance(ej, str) else " ".join(dict.fromkeys(ej.values()))
        if not len(df):  # nothing of the view for this period
            print(f"Fel: {text}", file=sys.stderr)
            return 2
        print(f"Obs: {text}", file=sys.stderr)
    if df.attrs.get("i_uttaget") is False:  # försörjning vid avslut: not in the extract
        print(f"Obs: {views.FORS_EJ_I_UTTAGET}", file=sys.stderr)
    if args.unsuppressed:
        from . import audit

        audit.log("export_osupprimerad", anvandare=audit.os_user(), vy=args.view,
                  fran=f.fran, till=f.till, format=args.format)
    data = export.to_bytes(df, args.format, sheet=args.view)
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"Skrev {len(df)} rader till {args.out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_demo(args) -> int:
    from . import demo

    out = Path(args.out) if args.out else config.ROOT / "data" / "demo-uttag"
    n = demo.write_series(out, seed=args.seed)
    print(f"Skrev {n} demouttag till {out}")
    if not args.no_load:
        demo.load_series(out, _db(args))
        print(f"Läste in dem i {_db(args)}")
    return 0


def cmd_skydd(args) -> int:
    from . import audit, beslut, ingest

    path = _db(args)
    if not path.exists():
        print(f"Databasen {path} finns inte. Läs in ett uttag först.", file=sys.stderr)
        return 2
    try:
        seconds = beslut.besluta_fil(path)
    except Exception as exc:  # noqa: BLE001  the environment (disk, lock), never a traceback
        msg = ingest.fel_text(exc)
        audit.log_quietly("skydd_fel", anvandare=audit.os_user(), fel=msg)
        print(f"Skyddet kunde inte beslutas: {msg}. Inget har ändrats.", file=sys.stderr)
        return 1
    if seconds is None:
        if not args.tyst:
            print("Skyddet av små tal är redan beslutat för de inlästa uppgifterna.")
        return 0
    audit.log("skydd_beslutat", anvandare=audit.os_user(), sekunder=round(seconds, 1))
    if not args.tyst:
        print(f"Skyddet av små tal beslutades på {seconds:.1f} s och sparades med uppgifterna."
              .replace(".", ",", 1))
    return 0


def _dokument(args):
    """The PM's and the slutrapport's common start: (the database, the viewer, the file to
    write), or the exit code when the database is missing or --out names no PDF or HTML."""
    import duckdb

    db_path = _db(args)
    if not db_path.exists():
        print(f"Databasen {db_path} finns inte. Läs in ett uttag först.", file=sys.stderr)
        return 2
    out = Path(args.out)
    if out.suffix.lower() not in (".pdf", ".html", ".htm"):
        print("Fel: --out ska sluta på .pdf eller .html", file=sys.stderr)
        return 2
    con = duckdb.connect(str(db_path), read_only=True)
    return con, urval.Scope.kansli() if args.unsuppressed else urval.Scope.styrelse(), out


def cmd_rapport(args) -> int:
    from . import audit, rapport, views

    target = _dokument(args)
    if isinstance(target, int):
        return target
    con, scope, out = target
    state = filter_of(args)
    try:
        views.resolve(con, state.filters())
        if out.suffix.lower() == ".pdf":
            # the command line is the kansli's: a missing text of its own shows as such
            out.write_bytes(rapport.build_pdf(con, scope, state, kansli=True))
        else:
            out.write_text(rapport.build_html(con, scope, state, kansli=True)[0],
                           encoding="utf-8")
    except (ValueError, views.NoData) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    audit.log("rapport", anvandare=audit.os_user(), fran=state.fran, till=state.till,
              kommun=list(state.kommuner), osupprimerad=args.unsuppressed, fil=str(out))
    print(f"Skrev {out}")
    return 0


def cmd_slutrapport(args) -> int:
    from . import audit, publicering, slutrapport, views

    target = _dokument(args)
    if isinstance(target, int):
        return target
    con, scope, out = target
    try:
        # the command line is the kansli's: a missing text of its own shows as such
        slutrapport.write(con, scope, args.insats, out, kansli=True)
    except (ValueError, views.NoData, publicering.EjPublicerad) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    audit.log("slutrapport", anvandare=audit.os_user(), insats=args.insats,
              osupprimerad=args.unsuppressed, fil=str(out))
    print(f"Skrev {out}")
    return 0


def cmd_user(args) -> int:
    from . import auth

    if args.action == "list":
        for u in auth.users():
            kommuner = ", ".join(u.kommuner)
            print(f"{u.username:20} {u.role:9} {kommuner:30} {u.namn}")
        return 0
    if args.action == "remove":
        if auth.remove_user(args.username):
            print(f"Tog bort {args.username}")
            return 0
        print(f"Användaren {args.username} finns inte", file=sys.stderr)
        return 1
    if args.losenord_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        import getpass

        password = getpass.getpass("Lösenord (minst 10 tecken): ")
        if getpass.getpass("Samma lösenord igen: ") != password:
            print("Lösenorden var olika; ingen användare skapades.", file=sys.stderr)
            return 1
    try:
        user = auth.add_user(args.username, args.roll, password, args.kommun, args.namn or "")
    except auth.UserError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 1
    print(f"Användaren {user.username} ({user.role}) är sparad.")
    return 0


def filter_args(s: argparse.ArgumentParser) -> None:
    """Every filter a page offers, the same for every command that takes them (one option per
    field of ``filter.Filter``; ``filter_of`` reads them back)."""
    s.add_argument("--from", dest="from_period", metavar="ÅÅÅÅ-Qn",
                   help="första kvartalet (standard: samma som --to)")
    s.add_argument("--to", dest="to_period", metavar="ÅÅÅÅ-Qn",
                   help="sista kvartalet (standard: det senast inlästa)")
    s.add_argument("--kommun", action="append", metavar="NAMN",
                   help="bara insatser i denna kommun, och länsövergripande (kan anges flera "
                   "gånger)")
    s.add_argument("--typ", action="append", choices=["individ", "struktur", "kompetens"],
                   help="bara denna insatstyp (kan anges flera gånger)")
    s.add_argument("--status", action="append", choices=["pagaende", "startad", "avslutad"],
                   help="bara insatser som pågår vid periodens slut, startade eller avslutades "
                   "under perioden (kan anges flera gånger)")
    s.add_argument("--insats", action="append", metavar="ID",
                   help="bara denna insats (diarienummer; kan anges flera gånger)")
    s.add_argument("--kon", action="append", choices=["kvinna", "man", "annan"],
                   help="bara deltagare av detta kön (deltagartabellerna; för styrelsen bara "
                   "kvinna eller man i malgrupp och avslutsorsaker)")
    s.add_argument("--indelning", choices=["detaljerad", "grov", "grov_totalt"],
                   default="detaljerad",
                   help="Målgruppens indelning: detaljerad (standard), grov (grövre "
                   "kategorier) eller grov_totalt (grövre, utan uppdelning på kön)")


def filter_of(args):
    """The one filter type from the options of ``filter_args``."""
    from .urval import Filter

    return Filter(args.from_period, args.to_period, tuple(args.kommun or ()),
                  tuple(args.typ or ()), tuple(args.status or ()), tuple(args.insats or ()),
                  tuple(args.kon or ()), "" if args.indelning == "detaljerad" else args.indelning)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Insatskollen: läs in kvartalsuttag och ta ut samma siffror som instrumentpanelen visar.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    db_help = f"databasfil (standard: {config.get().db_path})"

    s = sub.add_parser(
        "ingest", help="läs in ett kvartalsuttag (mapp, .zip eller .xlsx)",
        description="Läser in ett kvartalsuttag. Allt kontrolleras först; finns det fel skrivs "
        "alla ut (fil, rad, kolumn och vad som förväntades) och ingenting sparas. "
        "Slutkod 0 = inläst, 1 = avvisat.",
    )
    s.add_argument("path", help="mappen med CSV-filerna, en .zip eller en .xlsx-arbetsbok")
    s.add_argument("--db", help=db_help)
    s.add_argument("--user", help="vem som läser in (sparas i laddningshistoriken)")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser(
        "export", help="ta ut en tabell som CSV, JSON eller Excel",
        description="Tar ut en av tabellerna med samma filter som på sidorna. Om du inte anger "
        "--unsuppressed (kansliets egen vy) visas små tal "
        f"(0–{config.get().suppression_threshold - 1}) som \"{config.get().suppressed_marker}\", "
        f"tal som döljs för att skydda dem som \"{config.get().dold_marker}\" och, i sällsynta "
        f"fall, tal som inte visas alls som \"{config.get().ej_visad_marker}\".",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Tabeller:\n" + "\n".join(f"  {k:15} {v}" for k, v in VIEW_HELP.items()),
    )
    s.add_argument("view", choices=list(VIEW_HELP), metavar="VY", help="vilken tabell (se nedan)")
    s.add_argument("--db", help=db_help)
    filter_args(s)
    s.add_argument("--format", choices=["csv", "json", "xlsx"], default="csv", help="standard: csv")
    s.add_argument("--out", metavar="FIL", help="skriv till fil i stället för till skärmen")
    s.add_argument("--unsuppressed", action="store_true",
                   help="visa även små tal (endast för kansliet)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser(
        "demo", help="skapa och läs in påhittade demodata",
        description="Skriver en serie påhittade kvartalsuttag (16 kvartal, alla personer "
        "påhittade) och läser in dem, så att instrumentpanelen har något att visa.",
    )
    s.add_argument("--db", help=db_help)
    s.add_argument("--out", metavar="MAPP", help="var uttagen skrivs (standard: data/demo-uttag)")
    s.add_argument("--seed", type=int, default=2020, help="slumpfrö (samma frö ger samma data)")
    s.add_argument("--no-load", action="store_true", help="skriv bara filerna, läs inte in")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser(
        "rapport", help="skapa uppföljnings-PM som PDF eller HTML",
        description="Skapar PM:et för en period med samma siffror som instrumentpanelen: "
        "sammanfattning, insatser, mål, budget, kvalitetssäkring, statistik och avslutade "
        "insatser. .pdf ger en färdig PDF (innehållsförteckning, sidnummer); .html ger samma "
        "dokument att redigera (öppnas i Word). Små tal döljs som för styrelsen om inte "
        "--unsuppressed anges.",
    )
    s.add_argument("--db", help=db_help)
    filter_args(s)
    s.add_argument("--out", required=True, metavar="FIL", help="pm.pdf eller pm.html")
    s.add_argument("--unsuppressed", action="store_true",
                   help="kansliets egen vy: små tal visas (loggas)")
    s.set_defaults(func=cmd_rapport)

    s = sub.add_parser(
        "slutrapport", help="skapa slutrapporten för en avslutad insats som PDF eller HTML",
        description="Skapar slutrapporten för en insats som har avslutats (förbundets mall: "
        "insatsens uppgifter, målen och om de nåtts, deltagarna och ekonomin över hela "
        "insatstiden, och kansliets texter under mallens frågor). .pdf ger en färdig PDF; .html "
        "samma dokument att redigera (öppnas i Word). Små tal döljs som för styrelsen om inte "
        "--unsuppressed anges; en text som saknas markeras.",
    )
    s.add_argument("--db", help=db_help)
    s.add_argument("--insats", required=True, metavar="ID", help="insatsens diarienummer")
    s.add_argument("--out", required=True, metavar="FIL", help="slutrapport.pdf eller .html")
    s.add_argument("--unsuppressed", action="store_true",
                   help="kansliets egen vy: små tal visas (loggas, och står på första sidan)")
    s.set_defaults(func=cmd_slutrapport)

    s = sub.add_parser(
        "user", help="lägg till, lista eller ta bort användare",
        description="Användare och roller. styrelse: alla kommuner, små tal dolda. lokus: "
        "bara de kommuner som anges. kansli: allt, och kan se små tal. Lösenord sparas bara "
        "som hash.",
    )
    us = s.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
    a = us.add_parser("add", help="lägg till eller ändra en användare")
    a.add_argument("username", help="användarnamn (a–z, 0–9, . _ @ -)")
    a.add_argument("--roll", required=True, choices=["styrelse", "lokus", "kansli"])
    a.add_argument("--kommun", action="append", metavar="NAMN",
                   help="kommun för en LOKUS-användare (kan anges flera gånger)")
    a.add_argument("--namn", help="namn som visas i sidhuvudet")
    a.add_argument("--losenord-stdin", action="store_true",
                   help="läs lösenordet från standard in i stället för att fråga")
    us.add_parser("list", help="lista användarna")
    r = us.add_parser("remove", help="ta bort en användare")
    r.add_argument("username")
    s.set_defaults(func=cmd_user)

    s = sub.add_parser(
        "skydd", help="besluta skyddet av små tal för de inlästa uppgifterna",
        description="Skyddet av små tal beslutas när ett uttag läses in och sparas med "
        "uppgifterna. En databas från en äldre version, eller en ändrad gräns för små tal "
        "(suppression_threshold), saknar det: då beslutar det här kommandot det och sparar det. "
        "Webben gör samma sak i bakgrunden och visar under tiden att deltagaruppgifterna "
        "förbereds.",
    )
    s.add_argument("--db", help=db_help)
    s.add_argument("--tyst", action="store_true", help=argparse.SUPPRESS)
    s.set_defaults(func=cmd_skydd)

    return p


def main(argv: list[str] | None = None) -> int:
    try:
        config.get()
    except config.ConfigError as exc:
        print(f"Fel i konfigurationen: {exc}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
