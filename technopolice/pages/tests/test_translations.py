"""French is the platform's default language, so every string must exist in French.

The test extracts the strings the code uses today (Django's makemessages, on a copy of
the tree so the working files stay untouched) and fails on any French entry that is
missing, empty or fuzzy, and on compiled catalogues that lag behind their sources.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "technopolice"
IGNORED = shutil.ignore_patterns("__pycache__", "vendor", "*.pyc", "*.sqlite3*")


def french_catalogues(root: Path) -> list[Path]:
    return sorted(root.rglob("locale/fr/LC_MESSAGES/*.po"))


def problems(po_path: Path) -> list[str]:
    catalogue = polib.pofile(str(po_path))
    found = [f"fuzzy: {e.msgid!r}" for e in catalogue.fuzzy_entries()]
    for entry in catalogue.untranslated_entries():
        found.append(f"untranslated: {entry.msgid!r}")
    # polib counts a plural entry as translated when any form is: gettext then falls back to
    # English for the empty ones (French catalogues declare three forms).
    forms = int(catalogue.metadata.get("Plural-Forms", "nplurals=2;").split("nplurals=")[1].split(";")[0])
    for entry in catalogue.translated_entries():
        if entry.msgid_plural and [entry.msgstr_plural.get(i) for i in range(forms)].count("") + sum(
            entry.msgstr_plural.get(i) is None for i in range(forms)
        ):
            found.append(f"plural form missing: {entry.msgid!r}")
    return found


class TranslationTests(SimpleTestCase):
    def test_there_are_french_catalogues(self):
        self.assertTrue(french_catalogues(PACKAGE), "no French catalogue under technopolice/")

    def test_every_string_of_the_code_is_translated_into_french(self):
        if not shutil.which("xgettext"):
            self.fail("GNU gettext is needed to check translations: install the Debian package 'gettext'.")
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "technopolice"
            shutil.copytree(PACKAGE, copy, ignore=IGNORED)
            command = [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "-l",
                "fr",
                "--no-obsolete",
                "-i",
                "tests/*",
            ]
            env = {
                "DJANGO_SETTINGS_MODULE": "technopolice.settings",
                "PYTHONPATH": tmp,
                "PATH": "/usr/bin:/bin",
            }
            result = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True, check=False)
            self.assertEqual(result.returncode, 0, result.stderr)
            report = {str(p.relative_to(tmp)): problems(p) for p in french_catalogues(copy)}
        missing = {path: found for path, found in report.items() if found}
        self.assertEqual(missing, {}, "French strings missing (run `make messages`, then translate)")

    def test_compiled_catalogues_match_their_sources(self):
        for po_path in french_catalogues(PACKAGE):
            with self.subTest(catalogue=str(po_path.relative_to(ROOT))):
                mo_path = po_path.with_suffix(".mo")
                self.assertTrue(mo_path.exists(), "compile it with `make messages`")
                compiled = {e.msgid: e.msgstr for e in polib.mofile(str(mo_path))}
                source = {e.msgid: e.msgstr for e in polib.pofile(str(po_path)).translated_entries()}
                self.assertEqual(compiled, source)
