"""`technopolice load_demo`: everything a demo needs, from the samples in the repository."""

import time

from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from technopolice.lib.commands import TranslatedCommand

from ...steps import demo_steps


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Load the demo data from samples/: a moderator (moderatrice) and an administrator (admin), "
        "communes, the technopolice graph, example dossiers marked [Exemple] and the sample cameras. "
        "Passwords are random and printed once, when the accounts are created (set DEMO_PASSWORD to "
        "choose). Safe to re-run: nothing is created twice. Run migrate first."
    )

    def handle(self, **options) -> None:
        started = time.monotonic()
        steps = demo_steps()
        for number, (name, step) in enumerate(steps, start=1):
            began = time.monotonic()
            summary = self._run(name, step)
            self.stdout.write(f"[{number}/{len(steps)}] {name}: {summary} ({time.monotonic() - began:.1f} s)")
        self.stdout.write(_("Demo data loaded in %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    @staticmethod
    def _run(name: str, step) -> str:
        """A step that fails stops the demo with its name and reason, never a traceback."""
        try:
            return step()
        except (DatabaseError, ValidationError) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
            failed = _("The demo step %(step)s failed: %(error)s") % {"step": name, "error": message}
            raise CommandError(failed) from None
