from django.core.management import load_command_class
from django.test import SimpleTestCase
from django.utils import translation

COMMANDS = {
    "import_communes": "departements.csv",
    "import_graph": "nodes.csv",
}


class CommandHelpTests(SimpleTestCase):
    def test_every_command_prints_its_translated_help(self):
        for name, expected in COMMANDS.items():
            for language in ("en", "fr"):
                with self.subTest(command=name, language=language), translation.override(language):
                    parser = load_command_class("technopolice.registry", name).create_parser(
                        "technopolice", name
                    )
                    self.assertIn(expected, parser.format_help())
