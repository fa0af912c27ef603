"""An index of the cameras by vertical strip, for the street-level map.

The (x, y) index answers a viewport badly: its x range covers a strip of the map from
pole to pole, every camera of which is read before y is checked. Cut the map into strips
of 2**16 zoom-22 pixels (about 1.7 km in France) and a viewport is a handful of strips,
each read only between its y bounds. ``clusters.grouping.in_viewport`` asks for the strips with
the very same expression, so both databases match it to this index; id and removed_at
are keys so that grouping the cameras reads the index alone.
"""

from django.db import migrations

INDEX = """CREATE INDEX mapdata_camera_strips ON mapdata_camera
    ((x >> 16), y, x, id, removed_at) WHERE removed_at IS NULL"""


class Migration(migrations.Migration):
    dependencies = [("mapdata", "0004_cluster_cell_covering_index")]
    operations = [migrations.RunSQL(INDEX, "DROP INDEX mapdata_camera_strips")]
