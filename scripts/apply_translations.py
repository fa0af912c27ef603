"""Fill French catalogues from a JSON dictionary {msgid: msgstr} (or {msgid: [singular, plural]}).

Translators work on one flat file per batch; this writes the entries into every French
catalogue that contains them and leaves other entries alone. A batch is a working file: once
applied, the catalogues are the source of truth and the batch is not kept (applied again
later, it would undo corrections made in the catalogues since). Usage:
    python scripts/apply_translations.py FILE.json [FILE.json ...]
    .venv/bin/python -m technopolice compilemessages     # then compile (./dev setup does it too)
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def plural_count(catalogue: polib.POFile) -> int:
    """French has two plural forms in grammar books, three in CLDR-era gettext ("many" for
    millions): read the catalogue's own header so that no form is left empty."""
    header = catalogue.metadata.get("Plural-Forms", "nplurals=2;")
    return int(header.split("nplurals=")[1].split(";")[0])


def apply(translations: dict, po_path: Path) -> int:
    catalogue = polib.pofile(str(po_path))
    forms = plural_count(catalogue)
    filled = 0
    for entry in catalogue:
        # An entry with a context (pgettext) is filled only by a key naming it: "context\x04msgid".
        value = translations.get(f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid)
        if value is None and entry.msgid_plural and entry.msgstr_plural.get(1):
            # Already translated with fewer forms than the header asks for: complete it.
            value = [entry.msgstr_plural[0], entry.msgstr_plural[1]]
        if value is None:
            continue
        if entry.msgid_plural and isinstance(value, list):
            entry.msgstr_plural = {0: value[0], **{i: value[1] for i in range(1, forms)}}
        elif not entry.msgid_plural and isinstance(value, str):
            entry.msgstr = value
        else:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    catalogue.save()
    # The .mo files are compiled by msgfmt alone (./dev setup, or technopolice compilemessages):
    # polib's compiler wrote different bytes, and every fresh set-up then changed committed files.
    return filled


def main(paths: list[str]) -> None:
    translations: dict = {}
    for path in paths:
        translations.update(json.loads(Path(path).read_text(encoding="utf-8")))
    for po_path in sorted(ROOT.glob("technopolice/**/locale/fr/LC_MESSAGES/django.po")):
        print(f"{po_path.relative_to(ROOT)}: {apply(translations, po_path)} entries filled")


if __name__ == "__main__":
    main(sys.argv[1:])
