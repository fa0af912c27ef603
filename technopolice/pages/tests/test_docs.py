"""The documentation keeps up with the code: every environment variable read is documented.

The variables are found by reading the source (the calls to lib/env.py's readers and to
os.environ), not from a list someone must remember to update.
"""

import ast
import re
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "technopolice"
READERS = {"env", "envbool", "envint", "envlist", "getenv"}


def _name_read(node: ast.Call) -> str | None:
    """The variable name when `node` reads the environment with a literal name, else None."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    is_environ_get = name == "get" and "environ" in ast.unparse(func)
    if (name in READERS or is_environ_get) and node.args and isinstance(node.args[0], ast.Constant):
        return node.args[0].value
    return None


def variables_read() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or path.name == "env.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (name := _name_read(node)):
                names.add(name)
    return names


def variables_documented() -> set[str]:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, re.MULTILINE))


class SettingsDocumentationTests(SimpleTestCase):
    def test_it_finds_the_variables_settings_reads(self):
        # Guards the scanner itself: if it found nothing, the two tests below would pass vacuously.
        self.assertLessEqual({"SECRET_KEY", "DATABASE_URL", "PRODUCTION", "EMAIL_PORT"}, variables_read())

    def test_it_documents_every_variable_read(self):
        missing = variables_read() - variables_documented()
        self.assertFalse(missing, f"Add these to docs/settings.md: {sorted(missing)}")

    def test_it_documents_no_variable_that_nothing_reads(self):
        stale = variables_documented() - variables_read()
        self.assertFalse(stale, f"docs/settings.md lists variables nothing reads: {sorted(stale)}")


class ReadmeTests(SimpleTestCase):
    def test_it_opens_with_the_two_commands_for_a_fresh_machine(self):
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        first_block = readme.split("```")[1]
        self.assertIn("./dev demo", first_block)
        self.assertIn("./dev test", first_block)

    def test_it_ships_the_full_licence(self):
        licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
        self.assertTrue(licence.startswith("GNU AFFERO GENERAL PUBLIC LICENSE"))
        self.assertIn("13. Remote Network Interaction; Use with the GNU General Public License.", licence)
