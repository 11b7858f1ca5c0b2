"""Colours used everywhere: colour-blind-safe (Okabe–Ito), kön always the same colour."""

KON_FARG = {"kvinna": "#E69F00", "man": "#0072B2", "annan": "#009E73"}
KON_NAMN = {"kvinna": "Kvinnor", "man": "Män", "annan": "Annat kön"}
TOTALT_FARG = "#1f3b57"
DOLD_FARG = "#c8c8c8"  # a suppressed cell: grey, hatched, labelled with the marker
FONT = {"size": 14}
