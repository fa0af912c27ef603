"""`technopolice load_demo`: everything a demo needs, from the samples in the repository."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from technopolice.registry.importers import command_errors, demo


class Command(BaseCommand):
    help = gettext_lazy(
        "Load the demo data from samples/: communes, the technopolice graph, a moderator (moderatrice) "
        "and an administrator (admin), then example dossiers marked [Exemple]. Passwords are random and "
        "printed once, when the accounts are created (set DEMO_PASSWORD to choose). Safe to re-run: "
        "nothing is created twice. Run migrate first."
    )

    def handle(self, **options) -> None:
        started = time.monotonic()
        for number, (name, step) in enumerate(demo.STEPS, start=1):
            began = time.monotonic()
            with command_errors():
                summary = step()
            self.stdout.write(
                f"[{number}/{len(demo.STEPS)}] {name}: {summary} ({time.monotonic() - began:.1f} s)"
            )
        self.stdout.write(_("Demo data loaded in %(seconds).1f s.") % {"seconds": time.monotonic() - started})
