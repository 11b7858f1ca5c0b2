"""Colours used everywhere: colour-blind-safe (Okabe–Ito), kön always the same colour."""

KON_FARG = {"kvinna": "#E69F00", "man": "#0072B2", "annan": "#009E73"}
KON_NAMN = {"kvinna": "Kvinnor", "man": "Män", "annan": "Annat kön"}
TOTALT_FARG = "#1f3b57"
DOLD_FARG = "#c8c8c8"  # a suppressed cell: grey, hatched, labelled with the marker
DELAD_FARG = "#6b7785"  # kvinnor and män together where the split by kön is hidden: neutral
FONT = {"size": 14}
# A small white template (plotly's "plotly_white" is large: copying and sending it cost more
# than the figure itself on every page)
_AXIS = {"gridcolor": "#e5e8ec", "linecolor": "#c8ccd2", "zerolinecolor": "#c8ccd2",
         "automargin": True}
TEMPLATE = {"layout": {"paper_bgcolor": "white", "plot_bgcolor": "white",
                       "font": {"color": "#2a3f5f"}, "xaxis": _AXIS, "yaxis": _AXIS,
                       "hoverlabel": {"align": "left"}}}


def _register() -> None:
    """TEMPLATE as plotly's default: a new figure starts from it instead of plotly's own large
    one (which every figure copied and then replaced: most of a chart's building time)."""
    import plotly.graph_objects as go
    import plotly.io as pio

    pio.templates["insatskollen"] = go.layout.Template(TEMPLATE)
    pio.templates.default = "insatskollen"


_register()
