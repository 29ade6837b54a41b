"""Languages: Chinese first, English with one click, through Flask-Babel catalogues.

Catalogues live as .po files in web/translations and are compiled to .mo at start-up when the
.po is newer, so a fresh checkout needs no build step.
"""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request, session
from flask_babel import Babel

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LOCALES = ("zh", "en")
DEFAULT_LOCALE = "zh"
TIMEZONE = "Asia/Shanghai"


def compile_catalogues(root: Path = TRANSLATIONS) -> list[Path]:
    """Write .mo beside each .po that is newer; returns what was compiled."""
    done = []
    for po in root.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        done.append(mo)
    return done


def current_locale() -> str:
    chosen = session.get("locale") if request else None
    if chosen in LOCALES:
        return chosen
    user_locale = getattr(g.get("actor"), "locale", None)
    return user_locale if user_locale in LOCALES else DEFAULT_LOCALE


def init_app(app: Flask) -> None:
    compile_catalogues()
    Babel(app, default_locale=DEFAULT_LOCALE, default_timezone=TIMEZONE,
          default_translation_directories=str(TRANSLATIONS), locale_selector=current_locale)
