"""What the registry's commands share."""

from django.core.management.base import BaseCommand


class TranslatedCommand(BaseCommand):
    """A command whose help is translated: argparse formats only plain strings, not lazy ones."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
