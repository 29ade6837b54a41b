"""What every response and the app's configuration must satisfy: headers, cookies, proxies, sizes.

The Content-Security-Policy allows only the app's own scripts and styles, so an injected
<script> never runs. A view that must serve inline code (folium's map HTML) calls
`allow_inline()`: that response alone carries a fresh nonce for its <script>/<style> tags
(`nonce_tags` adds it to each) and may name extra image hosts for map tiles. Behind an HTTPS
reverse proxy (CHAINLEAD_BEHIND_HTTPS_PROXY=true) the proxy's X-Forwarded-* headers are trusted,
cookies are Secure and browsers are told to keep to HTTPS.
"""
from __future__ import annotations

import functools

import re
import secrets
from pathlib import Path
from typing import Any, Iterable

from flask import Flask, Response, abort, g, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

DEMO_SECRET = "chainlead-demo-secret-not-for-production"
MIN_SECRET = 16
DEFAULTS: dict[str, Any] = {
    "BEHIND_HTTPS_PROXY": False,
    "PROXY_HOPS": 1,                         # reverse proxies in front of the app that set X-Forwarded-*
    "JSON_MAX_DEPTH": 64,  # no ChainLead body nests past 4; Python's parser recurses and fails near 1,000
    "MAX_CONTENT_LENGTH": 52 * 1024 * 1024,  # an import file of up to 50 MB and its form; more gets 413
    "CSP_IMG_HOSTS": [],                     # extra image sources, e.g. the intranet tile server
}
POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    # Templates colour badges with style="--badge: …"; an attribute can neither load nor run code.
    "style-src-attr": ("'unsafe-inline'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'self'",),
}
_TAG = re.compile(r"<(script|style)\b(?![^>]*\bnonce=)", re.IGNORECASE)


class UnsafeConfig(RuntimeError):
    """The configuration would run the app insecurely; the message says what to set."""


def flag(app: Flask, name: str) -> bool:
    """A boolean setting, loudly: true/false (or 1/0) only, anything else stops the app."""
    value = app.config.get(name)
    if value in (True, False, 1, 0):
        return bool(value)
    raise UnsafeConfig(f"CHAINLEAD_{name} must be true or false, got {value!r}")


def check_secret_key(app: Flask) -> None:
    """Outside demo and test runs the session key must be set, not the demo key, and long."""
    key = app.config.get("SECRET_KEY")
    if not key and app.config.get("SECRET_KEY_FILE"):
        key = Path(app.config["SECRET_KEY_FILE"]).read_text(encoding="utf-8").strip()
    key = str(key) if key not in (None, "") else None  # the environment may hand over a number
    app.config["SECRET_KEY"] = key
    if flag(app, "DEMO") or flag(app, "TESTING"):
        app.config["SECRET_KEY"] = key or DEMO_SECRET
        return
    if not key:
        raise UnsafeConfig("Set CHAINLEAD_SECRET_KEY (or CHAINLEAD_SECRET_KEY_FILE) to a long random string to run "
                           "ChainLead outside demo mode, e.g. python -c 'import secrets; print(secrets.token_hex(32))'.")
    if key == DEMO_SECRET or len(key) < MIN_SECRET:
        raise UnsafeConfig(f"CHAINLEAD_SECRET_KEY must be your own random string of at least {MIN_SECRET} "
                           "characters (not the demo key).")


def csp_nonce() -> str:
    """This response's nonce (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def allow_inline(*, img_hosts: Iterable[str] = ()) -> str:
    """Let this response run inline <script>/<style> tags that carry its nonce; returns the nonce.

    For the map iframe (folium writes inline code): `html = nonce_tags(m.get_root().render(),
    allow_inline(img_hosts=[tile_host]))`. Every other response keeps the strict policy.
    """
    g.csp_inline = True
    g.csp_img_hosts = tuple(img_hosts)
    return csp_nonce()


def nonce_tags(html: str, nonce: str) -> str:
    """Add nonce="…" to every <script> and <style> tag of html that has none."""
    return _TAG.sub(lambda m: f'<{m.group(1)} nonce="{nonce}"', html)


def policy(*, nonce: str | None = None, img_hosts: Iterable[str] = ()) -> str:
    if nonce is None:
        return _strict(tuple(img_hosts))
    return _policy(nonce, img_hosts)


@functools.lru_cache(maxsize=64)
def _strict(img_hosts: tuple[str, ...]) -> str:
    """Most responses carry no nonce: their policy is one of a few strings, built once."""
    return _policy(None, img_hosts)


def _policy(nonce: str | None, img_hosts: Iterable[str]) -> str:
    parts = {name: list(sources) for name, sources in POLICY.items()}
    parts["img-src"] += list(img_hosts)
    if nonce:
        parts["script-src"].append(f"'nonce-{nonce}'")
        parts["style-src"].append(f"'nonce-{nonce}'")
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in parts.items())


_ALWAYS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "SAMEORIGIN"),
           ("Referrer-Policy", "same-origin"), ("Cross-Origin-Opener-Policy", "same-origin"))


def _headers(app: Flask, response: Response) -> Response:
    """The security headers a response does not set itself, added in one pass (a setdefault each
    scanned the headers and raised a KeyError inside werkzeug per header)."""
    present = {name.lower() for name in response.headers.keys()}
    added = [(name, value) for name, value in _ALWAYS if name.lower() not in present]
    if "content-security-policy" not in present:
        hosts = [*app.config["CSP_IMG_HOSTS"], *g.get("csp_img_hosts", ())]
        nonce = csp_nonce() if g.get("csp_inline", False) else None
        added.append(("Content-Security-Policy", policy(nonce=nonce, img_hosts=hosts)))
    if "cache-control" not in present and (g.get("actor") is not None or request.path.startswith("/api/")):
        added.append(("Cache-Control", "no-store"))  # what one user read stays out of shared caches
    if app.config["BEHIND_HTTPS_PROXY"] and "strict-transport-security" not in present:
        added.append(("Strict-Transport-Security", "max-age=31536000"))
    response.headers.extend(added)
    return response


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building the signer for a request that brings no
    session cookie (every API call by token)."""

    def open_session(self, app: Any, request: Any) -> Any:
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def json_depth(body: bytes) -> int:
    """How deeply a JSON text nests arrays and objects (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _refuse_deep_json(app: Flask) -> None:
    """A JSON body nested deeper than JSON_MAX_DEPTH is a 400, before the parser recurses into it."""
    if not request.is_json:
        return
    limit = int(app.config["JSON_MAX_DEPTH"])
    body = request.get_data(cache=True)
    if body.count(b"[") + body.count(b"{") > limit and json_depth(body) > limit:
        abort(400, description=f"The JSON body is nested more than {limit} levels deep.")


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        if app.config.get(key) is None:  # Flask itself declares MAX_CONTENT_LENGTH = None
            app.config[key] = value
    app.config["BEHIND_HTTPS_PROXY"] = flag(app, "BEHIND_HTTPS_PROXY")
    if app.config["BEHIND_HTTPS_PROXY"]:
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)  # type: ignore[method-assign]
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.session_interface = CookieSessions()
    app.after_request(lambda response: _headers(app, response))
    app.before_request(lambda: _refuse_deep_json(app))
