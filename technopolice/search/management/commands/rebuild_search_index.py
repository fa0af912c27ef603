"""technopolice rebuild_search_index: index every dossier, source, organisation and document again."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from technopolice.search.indexing import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the records. Needed only after changes that bypass the "
        "model signals (bulk imports with update() or raw SQL) or after a change of stemmer."
    )

    def handle(self, *args, **options) -> None:
        count = rebuild(progress=options["verbosity"] > 0)
        self.stdout.write(_("%(count)d search entries written.") % {"count": count})
