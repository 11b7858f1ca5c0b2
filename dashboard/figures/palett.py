"""Colours used everywhere: colour-blind-safe (Okabe–Ito), kön always the same colour."""

KON_FARG = {"kvinna": "#E69F00", "man": "#0072B2", "annan": "#009E73"}
KON_NAMN = {"kvinna": "Kvinnor", "man": "Män", "annan": "Annat kön"}
TOTALT_FARG = "#1f3b57"
DOLD_FARG = "#c8c8c8"  # a suppressed cell: grey, hatched, labelled with the marker
FONT = {"size": 14}
# A small white template (plotly's "plotly_white" is large: copying and sending it cost more
# than the figure itself on every page)
_AXIS = {"gridcolor": "#e5e8ec", "linecolor": "#c8ccd2", "zerolinecolor": "#c8ccd2",
         "automargin": True}
TEMPLATE = {"layout": {"paper_bgcolor": "white", "plot_bgcolor": "white",
                       "font": {"color": "#2a3f5f"}, "xaxis": _AXIS, "yaxis": _AXIS,
                       "hoverlabel": {"align": "left"}}}
