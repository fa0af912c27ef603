"""Copy the browser libraries installed by `npm ci` into technopolice/static/vendor/.

The platform serves these files itself (WhiteNoise): no visitor's browser ever asks a
CDN for them. Only the files listed here are copied; node_modules stays out of the
static tree. Run by ./dev after `npm ci`.
"""

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "technopolice" / "static" / "vendor"

# package name -> folders or files inside the package to copy
FILES = {
    "altcha": ["dist/main", "dist/external", "dist/workers", "dist/i18n/fr-fr.js", "LICENSE.txt"],
    "leaflet": ["dist", "LICENSE"],
}


def copy_package(name: str, paths: list[str]) -> None:
    package = ROOT / "node_modules" / name
    version = json.loads((package / "package.json").read_text())["version"]
    target = VENDOR / name
    shutil.rmtree(target, ignore_errors=True)
    for relative in paths:
        source = package / relative
        destination = target / Path(relative).name
        if source.is_dir():
            shutil.copytree(source, destination)
        elif source.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    (target / "VERSION").write_text(version + "\n")


def main() -> int:
    if not (ROOT / "node_modules").is_dir():
        print("node_modules is missing: run `npm ci` first.", file=sys.stderr)
        return 1
    for name, paths in FILES.items():
        copy_package(name, paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
