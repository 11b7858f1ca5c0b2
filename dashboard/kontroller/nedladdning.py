"""The download of any table on any page: one callback for every "Ladda ner" button.

It rebuilds the table from the URL's filters with the viewer's own scope (from the server
side session, never from the browser) through the same builder the page used, so the file
holds exactly what the page shows. Every download is written to the audit log.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, dcc, no_update

from .. import audit, export, tables, urlstate, views
from ..begaran import database, viewer_scope
from ..components import bilder
from ..components.sida import filnamn_urval, urval_text

DOWNLOAD_ID = "ladda-ner-fil"
MEDIA = {"csv": "csv", "xlsx": "xlsx", "png": "png", "svg": "svg"}
NUMBER_FORMATS = {" (tkr)": '#,##0" tkr"', " (%)": '0" %"'}


from ..publicering import EjPublicerad  # noqa: E402


def download_component() -> dcc.Download:
    return dcc.Download(id=DOWNLOAD_ID)


def build_file(con, scope, name: str, fmt: str, search: str, insats: str) -> tuple[str, bytes]:
    """(file name, bytes) of one table as shown for this URL and scope."""
    if name not in tables.BUILDERS or fmt not in MEDIA:
        raise ValueError(f"okänd tabell eller format: {name!r} {fmt!r}")
    state = urlstate.parse(search)
    t = tables.BUILDERS[name](con, scope, state, insats or None)
    _, f = views.resolve(con, state.filters())
    period = f.till if f.fran == f.till else f"{f.fran}_{f.till}"
    if fmt in bilder.FORMATS:
        data = bilder.image(t, fmt)
    else:
        frame = tables.export_frame(t)
        formats = {c: next((f for suffix, f in NUMBER_FORMATS.items() if c.endswith(suffix)),
                           "#,##0") for c, k in zip(frame.columns, t.kolumner)
                   if k.slag in tables.NUMERIC}
        data = export.to_bytes(frame, fmt, sheet=t.rubrik[:31], swedish_csv=True,
                               number_formats=formats)
    urval = filnamn_urval(urval_text(scope, state))  # a LOKUS group's kommun, or the chosen
    return (f"insatskollen-{name}{'-' + insats.replace(':', '-') if insats else ''}-{period}"
            f"{urval}.{fmt}", data)


@callback(
    Output(DOWNLOAD_ID, "data"),
    Input({"type": "ladda-ner", "tabell": ALL, "format": ALL, "insats": ALL}, "n_clicks"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def download(_clicks, search):
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered or not ctx.triggered[0].get("value"):
        return no_update  # buttons appearing with a new page, not a click
    from .. import web_auth

    scope = viewer_scope()
    try:
        name, data = build_file(database(), scope, trigger["tabell"], trigger["format"],
                                search or "", trigger["insats"])
    except EjPublicerad:
        return no_update  # the page already says why these figures are not shown

    user = web_auth.current_user()
    audit.log("nedladdning", anvandare=user.username if user else None, fil=name,
              filter=search or "", osupprimerad=not scope.suppress)
    return dcc.send_bytes(data, name)
