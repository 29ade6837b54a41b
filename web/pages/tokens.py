"""Personal API tokens, for everyone: create one (its text is shown once), see them, revoke one.

A new token's text is drawn straight into the answer to the POST, marked no-store, rather than
carried through a redirect: the session cookie that would carry it is signed, not encrypted.
"""
from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.people import users
from web.pages import blp
from web.pages.common import FormErrors, actor, attempt, now, store
from web.pages.forms import FormData


def _page(*, errors: FormErrors | None = None, name: str | None = None, plain: str | None = None, status: int = 200):
    response = make_response(render_template("account/tokens.html", tokens=users.list_tokens(store(), actor().id),
                                             errors=errors or {}, name=name, plain=plain), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.get("/account/tokens")
def tokens():
    return _page()


@blp.post("/account/tokens")
def create_token():
    form = FormData(request.form)
    name = form.text("name") or ""
    made, errors = attempt(lambda: users.create_token(store(), actor().id, name, actor=actor(), now=now()), form.errors)
    if made is None:
        return _page(errors=errors, name=name, status=422)
    return _page(plain=made[0], status=201)


@blp.post("/account/tokens/<token_id>/revoke")
def revoke_token(token_id: str):
    users.revoke_token(store(), token_id, actor=actor(), now=now())
    flash(_("Token revoked: it no longer opens the API."), "success")
    return redirect(url_for("pages.tokens"))
