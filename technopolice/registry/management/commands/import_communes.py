"""`technopolice import_communes PATH`: the commune gazetteer, with Paris, Marseille and Lyon rebuilt."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from technopolice.lib.commands import TranslatedCommand
from technopolice.registry.importers import command_errors, communes, store


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Import the French regions, departments and communes. PATH is the folder holding communes.csv, "
        "departements.csv and regions.csv (or communes.csv itself, next to the other two). The files are "
        "checked completely before anything is written, and the import runs in one transaction: a bad "
        "file changes nothing. Re-running updates existing records and creates nothing twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help=_("Folder of the gazetteer CSV files, or its communes.csv."))

    def handle(self, path: str, **options) -> None:
        with command_errors():
            data = communes.read(communes.folder_of(path))
            with transaction.atomic():
                counts = store.save_gazetteer(data, quiet=options["verbosity"] == 0)
        self.stdout.write(self.summary(data, counts))

    def summary(self, data: communes.Gazetteer, counts: dict[str, store.Counts]) -> str:
        towns = counts["communes"]
        return _(
            "%(communes)s communes and arrondissements (%(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged; "
            "%(rebuilt)s rebuilt from their arrondissements: %(codes)s), %(delegated)s delegated-commune "
            "rows skipped, %(departments)s departments, %(regions)s regions."
        ) % {
            "communes": towns.total,
            "unchanged": towns.unchanged,
            "created": towns.created,
            "updated": towns.updated,
            "rebuilt": len(data.rebuilt),
            "codes": ", ".join(data.rebuilt) or "-",
            "delegated": data.delegated_rows,
            "departments": len(data.departments),
            "regions": len(data.regions),
        }
