"""Vendor the map's browser assets into web/static/vendor/, so the gap map works with no internet.

    .venv/bin/python tools/vendor_assets.py          # fetch with `npm pack`, write files and VENDORED.json
    .venv/bin/python tools/vendor_assets.py --check  # verify the committed files against VENDORED.json

folium draws maps with Leaflet and by default links it (and jQuery, Bootstrap, Font Awesome) from
CDNs. ChainLead serves only Leaflet, from the app, at the version folium itself names, and draws
circle markers and its own popups so nothing else is needed. The files come from the npm
registry through npm's own client; VENDORED.json records the version, npm's integrity hash of
the package and the SHA-256 of every file, so a changed file is noticed.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "web/static/vendor"
RECORD = VENDOR / "VENDORED.json"
# package file -> path under web/static/vendor/<package>/
LEAFLET_FILES = {
    "package/dist/leaflet.js": "leaflet.js",
    "package/dist/leaflet.css": "leaflet.css",
    "package/dist/images/layers.png": "images/layers.png",
    "package/dist/images/layers-2x.png": "images/layers-2x.png",
    "package/dist/images/marker-icon.png": "images/marker-icon.png",
    "package/dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
    "package/dist/images/marker-shadow.png": "images/marker-shadow.png",
    "package/LICENSE": "LICENSE",
}


def folium_leaflet_version() -> str:
    """The Leaflet version folium's own default links point at (the one its templates are written for)."""
    from folium.folium import _default_js

    url = dict(_default_js)["leaflet"]
    found = re.search(r"leaflet@([\d.]+)/", url)
    if not found:
        raise SystemExit(f"cannot read the Leaflet version from folium's default {url!r}")
    return found.group(1)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def npm_pack(spec: str) -> tuple[bytes, dict]:
    """The package tarball as the registry serves it, and npm's report (integrity, shasum)."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", tmp], check=True,
                              capture_output=True, text=True)
        report = json.loads(done.stdout)[0]
        return (Path(tmp) / report["filename"]).read_bytes(), report


def vendor() -> dict:
    version = folium_leaflet_version()
    tarball, report = npm_pack(f"leaflet@{version}")
    target = VENDOR / "leaflet"
    files: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member, relative in LEAFLET_FILES.items():
            extracted = archive.extractfile(member)
            if extracted is None:
                raise SystemExit(f"{member} is missing from leaflet@{version}")
            data = extracted.read()
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files[f"leaflet/{relative}"] = sha256(data)
    record = {"note": "Written by tools/vendor_assets.py; do not edit by hand.",
              "packages": {"leaflet": {"version": version, "registry": "npm", "licence": "BSD-2-Clause",
                                       "integrity": report.get("integrity"), "shasum": report.get("shasum"),
                                       "needed_by": f"folium (its default Leaflet is {version})"}},
              "files": dict(sorted(files.items()))}
    RECORD.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return record


def check() -> list[str]:
    """Files that are missing or differ from the record (empty when all is well)."""
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    problems = []
    for relative, digest in record["files"].items():
        path = VENDOR / relative
        if not path.exists():
            problems.append(f"missing: {relative}")
        elif sha256(path.read_bytes()) != digest:
            problems.append(f"changed: {relative}")
    if record["packages"]["leaflet"]["version"] != folium_leaflet_version():
        problems.append("folium now wants another Leaflet: run tools/vendor_assets.py")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the committed files, fetch nothing")
    args = parser.parse_args()
    if args.check:
        problems = check()
        print("\n".join(problems) or "vendored assets match VENDORED.json")
        sys.exit(1 if problems else 0)
    record = vendor()
    print(json.dumps(record["packages"], indent=1))


if __name__ == "__main__":
    main()
