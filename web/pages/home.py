"""The home page: what each role needs first."""
from __future__ import annotations

from flask import render_template

from web.pages import blp
from web.pages.common import actor


@blp.get("/")
def home():
    return render_template("home.html", me=actor())
