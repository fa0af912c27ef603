"""Who made the imported data and under which licence: pages and exports show this."""

from django.utils.translation import gettext_lazy as _

from technopolice.lib.opendata import Attribution

COMMUNES = Attribution(
    name=_("INSEE, La Poste and IGN open data, compiled by rcarlier/datas.fun"), licence="Licence Ouverte 2.0"
)
GRAPH = Attribution(name="carto_technopolice by arnaudmolo", licence="AGPL-3.0")
# Stored on every organisation and link imported from the graph, so a page can show it.
GRAPH_DATASET = str(GRAPH)
