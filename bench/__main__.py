"""``python -m bench [DEL ...]``: the benchmark's parts, each printing its figures (Swedish
headings, as the README and docs/benchmark.md quote them). Without a part: all of them but
``granska``, in the order below."""

from __future__ import annotations

import argparse
import sys

PARTS = ("skydd", "skala", "redo", "last", "granska")


def parse(argv: list[str] | None = None) -> tuple[list[str], argparse.Namespace]:
    """The parts to run (all but ``granska`` when none is named) and the options."""
    p = argparse.ArgumentParser(prog="python -m bench", description=(
        "Mäter Insatskollen på påhittade data. skydd: skyddet av små tal (tid, minne, "
        "informationsförlust, två inläsningar); skala: inläsning, frågor och sidor vid 10 och "
        "300 gånger demons storlek; redo: hur snart sidorna svarar efter start och inläsning, "
        "och exporten på kommandoraden; last: 10, 25 och 50 simulerade ledamöter mot gunicorn; "
        "granska: hur många små tal markörernas gränser ringar in (LP, minuter)."))
    # (no ``choices``: argparse checks the empty default list against them and refuses it)
    p.add_argument("delar", nargs="*", metavar="DEL",
                   help=f"en eller flera av {', '.join(PARTS)} (standard: alla utom granska)")
    p.add_argument("--scales", type=int, nargs="+", default=[10, 300],
                   help="skalor för skala (standard 10 300)")
    p.add_argument("--runs", type=int, default=20, help="körningar per fråga i skala")
    p.add_argument("--workdir", help="arbetsmapp (standard: en temporär mapp)")
    args = p.parse_args(argv)
    okanda = [d for d in args.delar if d not in PARTS]
    if okanda:
        p.error(f"okänd del: {', '.join(okanda)} (välj bland {', '.join(PARTS)})")
    return args.delar or [d for d in PARTS if d != "granska"], args


def main(argv: list[str] | None = None) -> int:
    parts, args = parse(argv)
    for part in parts:
        if part == "skydd":
            from . import skydd
            rc = skydd.main(workdir=args.workdir)
        elif part == "skala":
            from . import skala
            rc = skala.main(scales=args.scales, runs=args.runs, workdir=args.workdir)
        elif part == "redo":
            from . import last
            rc = last.main_redo()
        elif part == "last":
            from . import last
            rc = last.main()
        else:
            from . import skydd
            rc = skydd.main_granska(workdir=args.workdir)
        sys.stdout.flush()
        if rc:
            return rc
    return 0


if __name__ == "__main__":
    sys.exit(main())
