"""The map's part of the demo: the Monaco OSM extract and the Paris list, from samples/.

The demo loader (technopolice.demo) runs ``STEPS`` after the registry's, whose communes the
cameras are attached to."""

from io import StringIO

from django.core.management import call_command
from django.utils.translation import gettext as _

from .clusters import cells as cluster_cells
from .models import Camera
from .samples import sample_path

PARIS_LIST = {
    "lon": "lon",
    "lat": "lat",
    "identifier": "Numéro",
    "map": ["start_date=Date de mise en service"],
    "dataset": "paris-prefecture-2019",
    "name": "Vidéoprotection à Paris (arrêté du 24 janvier 2019)",
    "licence": "Acte public",
    "attribution": "Bulletin officiel de la Ville de Paris, 1er février 2019; géocodage ColinMaudry",
}


def load_samples(stdout) -> None:
    """Import both samples; safe to run again (the second run changes nothing)."""
    call_command("import_osm", str(sample_path("osm", "monaco-20190930.osm.pbf")), stdout=stdout, verbosity=0)
    call_command(
        "import_cameras_csv",
        str(sample_path("paris-cameras", "cameras-geocoded.csv")),
        stdout=stdout,
        verbosity=0,
        **PARIS_LIST,
    )


def demo_step() -> str:
    """The load_demo step: import the samples, then precompute the map's clusters at once
    rather than leaving the first visitors to the slower live grouping."""
    load_samples(StringIO())
    cluster_cells.rebuild()
    return _("%(count)d cameras on the map") % {"count": Camera.objects.visible().count()}


STEPS = [("cameras", demo_step)]
