"""Login, logout and the gate in front of every route of the Flask server under Dash.

Unauthenticated requests get the login page and the static assets it uses, nothing else:
pages redirect to /login, Dash's own routes (layout, callbacks, component bundles) answer 401.
Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax, Secure behind HTTPS) holding only
the user name; the role and kommuner are looked up on the server on every request, so a
removed user is logged out at once. A session unused for ``idle_minutes`` ends.
"""

from __future__ import annotations

import hmac
import os
import secrets
from datetime import timedelta
from urllib.parse import urlparse

from flask import (
    Flask,
    abort,
    g,
    has_request_context,
    redirect,
    render_template_string,
    request,
    session,
)

from . import audit, auth, config, db, sessions

OPEN_PREFIXES = ("/assets/",)
OPEN_PATHS = ("/login", "/favicon.ico", "/_favicon.ico")

LOGIN_PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Logga in – Insatskollen</title>
<link rel="stylesheet" href="/assets/00-bootstrap.min.css">
<link rel="stylesheet" href="/assets/10-insatskollen.css"></head>
<body><main class="container py-5" style="max-width: 28rem">
<h1 class="h3 mb-4">Insatskollen</h1>
{% if error %}<div class="alert alert-danger" role="alert" id="login-fel">{{ error }}</div>{% endif %}
<form method="post" action="/login">
  <input type="hidden" name="csrf" value="{{ csrf }}">
  <input type="hidden" name="next" value="{{ next }}">
  <div class="mb-3"><label class="form-label" for="username">Användarnamn</label>
    <input class="form-control" id="username" name="username" autocomplete="username" required></div>
  <div class="mb-3"><label class="form-label" for="password">Lösenord</label>
    <input class="form-control" id="password" name="password" type="password"
           autocomplete="current-password" required></div>
  <button class="btn btn-primary" type="submit">Logga in</button>
</form>
{% if demo_users %}
<hr class="my-4"><h2 class="h6">Demo: logga in som</h2>
{% for u in demo_users %}
<form method="post" action="/login" class="d-inline">
  <input type="hidden" name="csrf" value="{{ csrf }}">
  <input type="hidden" name="demo" value="{{ u.username }}">
  <button class="btn btn-outline-secondary btn-sm me-2 mb-2" type="submit"
          id="demo-{{ u.username }}">{{ u.namn }}</button>
</form>{% endfor %}
<p class="small text-body-secondary">Demodata: alla personer är påhittade.</p>
{% endif %}
</main></body></html>"""


def _secret_key() -> bytes:
    path = config.get().secret_key_path
    if not path.exists():
        # Several workers may start at once: write a private temp file, then link it into
        # place; exactly one wins, and everyone reads the winner's key.
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip().encode()


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _check_csrf() -> None:
    sent = request.form.get("csrf", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, "Formuläret har gått ut; ladda om sidan och försök igen.")


def unsuppressed() -> bool:
    """Whether the kansli has switched to its own view in this session."""
    if not has_request_context() or current_user() is None:
        return False
    return bool(g.ik_session and g.ik_session.osuppressat)


def kansli() -> auth.User | None:
    """The logged-in user if it is the kansli (its switch, the Dataladdning page), else None."""
    user = current_user()
    return user if user is not None and user.role == "kansli" else None


def current_user() -> auth.User | None:
    """The logged-in user, looked up on the server; None if not logged in or expired.
    Looked up once per request (the gate, the navbar and the views all ask)."""
    if not has_request_context():
        return None
    if "ik_user" not in g:
        g.ik_session = sessions.get(session.get("sid"))  # the server's record decides
        g.ik_user = _lookup_user(g.ik_session)
    return g.ik_user


def _lookup_user(s: sessions.Session | None) -> auth.User | None:
    if s is None:
        if session.get("sid"):
            session.clear()  # ended, expired or never ours: forget the cookie too
        return None
    if s.user in auth.DEMO_USERS and demo_active():
        return auth.DEMO_USERS[s.user]
    return auth.get(s.user)


def demo_active() -> bool:
    """Demo mode (password-less demo users) only on a database of demo data, never on a real
    one, whatever the environment says (the app also refuses to start so: ``app.py``)."""
    if not config.get().demo:
        return False
    try:
        return db.is_demo(db.reader(config.get().db_path))
    except Exception:  # noqa: BLE001  no database yet: nothing to log in to either
        return False


def _safe_next(target: str | None) -> str:
    """Only a local path: never redirect to another site after login."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


YEAR = 365 * 24 * 3600


STATIC = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")


def immutable(path: str, args) -> bool:
    """A versioned resource: a Dash bundle whose name carries its version (the fingerprint),
    an asset with the modification stamp Dash adds (``?m=``), the favicon with Dash's
    version (``?v=``)."""
    if path.startswith("/_dash-component-suites/"):
        from dash.fingerprint import check_fingerprint

        return check_fingerprint(path)[1]
    return (path.startswith("/assets/") and "m" in args
            or path == "/_favicon.ico" and "v" in args)


def cache_control(path: str, args) -> str:
    """Versioned resources are kept a year (Dash's bundles privately: they are behind the
    login). The chunks Dash loads by a fixed name (plotly.min.js, async-graph.js) are kept
    but revalidated (an ETag: 304 and no body while unchanged). Everything else (pages, login,
    layout, callbacks, downloads) is never stored."""
    if immutable(path, args):
        scope = "private" if path.startswith("/_dash") else "public"
        return f"{scope}, max-age={YEAR}, immutable"
    if path.startswith(STATIC):
        return "private, no-cache"
    return "no-store"


class _StaticCache:
    """flask-compress's cache of compressed bodies, for static files only (a callback's
    response is never cached: its key is empty)."""

    def __init__(self):
        self.data: dict = {}

    def get(self, key: str):
        return self.data.get(key)

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(";"):
            self.data[key] = value


def compression(server: Flask) -> None:
    """gzip / brotli for text responses (bundles, layout, callbacks); a static file is
    compressed once per encoding and kept."""
    from flask_compress import Compress

    server.config.update(
        COMPRESS_MIMETYPES=["text/html", "text/css", "application/javascript",
                            "text/javascript", "application/json", "image/svg+xml"],
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_CACHE_BACKEND=_StaticCache,
        # static files only change with a new version of the app, which restarts it
        COMPRESS_CACHE_KEY=lambda req: req.full_path if req.path.startswith(STATIC) else "",
    )
    Compress(server)


def security_headers(server: Flask, script_hashes) -> None:
    """CSP that Dash allows (its inline scripts by hash, no other inline script), no framing,
    no sniffing, no referrer to other sites. ``script_hashes()`` is asked per response: Dash
    adds inline scripts (the pages' clientside callbacks) only at its first-request setup."""
    rest = "; ".join([
        "style-src 'self' 'unsafe-inline'",  # React sets inline styles
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])

    @server.after_request
    def add_headers(resp):
        scripts = "script-src 'self' " + " ".join(script_hashes())
        resp.headers["Content-Security-Policy"] = f"default-src 'self'; {scripts}; {rest}"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        resp.headers["Cache-Control"] = cache_control(request.path, request.args)
        return resp


def install(server: Flask) -> None:
    cfg = config.get()
    server.secret_key = _secret_key()
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=cfg.secure_cookies,
        SESSION_COOKIE_NAME="insatskollen",
        # the cookie only carries the session's id: the server ends sessions (``sessions``)
        PERMANENT_SESSION_LIFETIME=timedelta(hours=cfg.session_hours),
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    if cfg.proxy_count:  # the client's address as the trusted proxies report it, no other
        from werkzeug.middleware.proxy_fix import ProxyFix

        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=cfg.proxy_count,
                                   x_proto=cfg.proxy_count)

    def gate():
        path = request.path
        if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            return None
        user = current_user()
        if user is None:
            if path.startswith("/_"):  # Dash's layout, callbacks and bundles
                abort(401)
            return redirect(f"/login?next={path}")
        return None  # the idle clock is the server's (sessions.get)

    # First of all hooks: Dash's own first-request setup must not run for strangers.
    server.before_request_funcs.setdefault(None, []).insert(0, gate)

    def login_page(error: str | None = None, status: int = 200):
        demo_users = list(auth.DEMO_USERS.values()) if demo_active() else []
        html = render_template_string(LOGIN_PAGE, error=error, csrf=csrf_token(),
                                      next=_safe_next(request.values.get("next")),
                                      demo_users=demo_users)
        return html, status

    @server.get("/login")
    def login_form():
        return login_page()

    @server.post("/login")
    def login_post():
        _check_csrf()
        user = None
        demo_name = request.form.get("demo")
        account = (demo_name or request.form.get("username", ""))[:64]
        if sessions.blocked(account, request.remote_addr):
            return login_page("För många misslyckade inloggningar; vänta en kvart och försök "
                              "igen.", 429)
        if demo_name and demo_active():
            user = auth.DEMO_USERS.get(demo_name)
        elif not demo_name:
            user = auth.authenticate(request.form.get("username", ""),
                                     request.form.get("password", ""))
        if user is None:
            sessions.failed(account, request.remote_addr)
            audit.log("inloggning_misslyckad", anvandare=account, ip=request.remote_addr)
            return login_page("Fel användarnamn eller lösenord.", 401)
        audit.log("inloggning", anvandare=user.username, roll=user.role, ip=request.remote_addr)
        sessions.end(session.get("sid"))
        session.clear()  # a new session on login (no fixation)
        g.pop("ik_user", None)
        session["sid"] = sessions.start(user.username)
        # The form token is fixed for the whole session: pages rendered in parallel
        # requests must all carry the same one.
        session["csrf"] = secrets.token_urlsafe(32)
        session.permanent = True
        return redirect(_safe_next(request.form.get("next")))

    @server.post("/logout")
    def logout():
        _check_csrf()
        user = current_user()
        audit.log("utloggning", anvandare=user.username if user else None, ip=request.remote_addr)
        sessions.end(session.get("sid"))  # a copy of the cookie is worth nothing now
        session.clear()
        return redirect("/login")

    @server.post("/kansli/sma-tal")
    def toggle_small_numbers():
        """The kansli's own view: show small numbers (audited). Nobody else may."""
        _check_csrf()
        user = kansli()
        if user is None:
            abort(403)
        now = not unsuppressed()
        sessions.set_unsuppressed(session["sid"], now)
        audit.log("sma_tal_visas" if now else "sma_tal_doljs",
                  anvandare=user.username, ip=request.remote_addr)
        return redirect(_safe_next(request.form.get("next")))
