"""What management commands share: translated help, and running another command as one step."""

from collections.abc import Callable
from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class TranslatedCommand(BaseCommand):
    """A command whose help is translated: argparse formats only plain strings, not lazy ones."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)


def command_step(name: str, *args: str, **options) -> Callable[[], str]:
    """A step that runs a command quietly and returns its summary (last) line.

    The demo loader strings such steps together: each command keeps its own checks and
    messages, and the loader prints one line a step.
    """

    def step() -> str:
        out = StringIO()
        call_command(name, *args, stdout=out, stderr=StringIO(), verbosity=0, **options)
        lines = out.getvalue().strip().splitlines()
        if len(lines) < 2:
            return lines[-1] if lines else ""
        hint = _("the command prints %(count)s more lines when run alone") % {"count": len(lines) - 1}
        return f"{lines[-1]} ({hint})"

    return step
