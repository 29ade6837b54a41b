"""Where the weekly report meets scoring and the translations: the composition point that the API,
the pages and `chainlead report` share (crm/reports takes both as hooks, never imports them).
"""
from __future__ import annotations

from functools import lru_cache

from babel.support import NullTranslations, Translations

from crm.reports.outlook import Scoring
from crm.reports.words import Words
from web.i18n import DEFAULT_LOCALE, LOCALES, TRANSLATIONS, compile_catalogues


def scoring() -> Scoring:
    """The scoring package's gap analysis and lead ranking, for the report's chain outlook."""
    from scoring.hooks import provide

    return provide()


@lru_cache(maxsize=len(LOCALES))
def _catalogue(locale: str) -> NullTranslations:
    compile_catalogues()
    return Translations.load(str(TRANSLATIONS), [locale])


def words(locale: str | None) -> Words:
    """The report's wording in `locale` (zh or en; anything else falls back to Chinese)."""
    chosen = locale if locale in LOCALES else DEFAULT_LOCALE
    return Words(_catalogue(chosen).gettext, chosen)
