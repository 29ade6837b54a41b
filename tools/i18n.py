"""Keep the Chinese catalogue in step with the code.

    .venv/bin/python tools/i18n.py update             # extract strings, merge into zh .po
    .venv/bin/python tools/i18n.py fill FILE.json     # set zh translations {"English": "中文", …}
    .venv/bin/python tools/i18n.py missing            # list strings without a translation
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "web/translations/zh/LC_MESSAGES/messages.po"
POT = ROOT / "web/translations/messages.pot"
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]


def update() -> None:
    subprocess.run(PYBABEL + ["extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location",
                              "--sort-output", "-o", str(POT), "."], cwd=ROOT, check=True)
    subprocess.run(PYBABEL + ["update", "-i", str(POT), "-d", "web/translations", "-l", "zh", "--no-fuzzy-matching",
                              "--ignore-obsolete", "--ignore-pot-creation-date"], cwd=ROOT, check=True)


def fill(path: str) -> None:
    wanted = json.loads(Path(path).read_text(encoding="utf-8"))
    with PO.open("rb") as f:
        catalog = read_po(f)
    for msgid, msgstr in wanted.items():
        message = catalog.get(msgid)
        if message is None:
            catalog.add(msgid, msgstr)
        else:
            message.string = msgstr
            message.flags.discard("fuzzy")
    with PO.open("wb") as f:
        write_po(f, catalog, no_location=True, width=120)


def missing() -> list[str]:
    with PO.open("rb") as f:
        catalog = read_po(f)
    return [m.id for m in catalog if m.id and not m.string]


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "missing"
    if command == "update":
        update()
    elif command == "fill":
        fill(sys.argv[2])
    else:
        print("\n".join(str(m) for m in missing()))
