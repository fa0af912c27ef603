"""`technopolice import_graph PATH`: organisations and their links from the technopolice graph."""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from technopolice.lib.commands import TranslatedCommand
from technopolice.registry.importers import command_errors, graph, store


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Import organisations (vendors, public buyers, lobbies) and their links from the technopolice "
        "graph. PATH is the folder holding nodes.csv and edges.csv. Run import_communes first: town "
        'councils ("ville de X") are attached to their commune only when exactly one commune has that '
        "name; every row that cannot be resolved is printed with its line and the reason. Re-running "
        "updates existing records and creates nothing twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help=_("Folder holding nodes.csv and edges.csv."))

    def handle(self, path: str, **options) -> None:
        communes = store.commune_index()
        if not len(communes):
            self.stderr.write(
                _("No commune in the database: run import_communes first to resolve town councils.")
            )
        with command_errors():
            data = graph.read(Path(path), store.technology_aliases(), communes)
            with transaction.atomic():
                counts = store.save_graph(data)
        self.report(data)
        self.stdout.write(self.summary(data, counts))

    def report(self, data: graph.Graph) -> None:
        for problem in data.problems:
            self.stdout.write(str(problem))
        for document, lines in sorted(data.documents.items()):
            listed = ", ".join(str(n) for n in lines)
            self.stdout.write(
                _("edges.csv lines %(lines)s: the source %(name)r is a file name, not a link; kept as is.")
                % {"lines": listed, "name": document}
            )

    def summary(self, data: graph.Graph, counts: dict[str, store.Counts]) -> str:
        organisations, links, features = counts["organisations"], counts["links"], counts["technologies"]
        nodes = data.organisations()
        return _(
            "%(orgs)s organisations (%(orgs_new)s created), %(links)s links (%(links_new)s created), "
            "%(features)s organisation-technology pairs (%(features_new)s new), %(towns)s of %(councils)s "
            "town councils attached to their commune, %(problems)s rows reported above."
        ) % {
            "orgs": organisations.total,
            "orgs_new": organisations.created,
            "links": links.total,
            "links_new": links.created,
            "features": features.total,
            "features_new": features.created,
            "towns": sum(1 for n in nodes if n.commune),
            "councils": sum(1 for n in nodes if n.is_town),
            "problems": len(data.problems),
        }
