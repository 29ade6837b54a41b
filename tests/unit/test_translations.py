"""Every string the UI shows has a Chinese translation (Chinese is the default language)."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("web/**.py", "python"), ("crm/**.py", "python"), ("web/templates/**.html", "jinja2"),
           ("crm/reports/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def used_strings() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_ui_string_has_a_chinese_translation():
    with (ROOT / "web/translations/zh/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    missing = sorted(used_strings() - translated)
    assert missing == [], f"add these to the zh catalogue (tools/i18n.py): {missing[:20]}"
