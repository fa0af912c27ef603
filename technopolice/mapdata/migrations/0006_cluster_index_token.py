"""Which in-memory cluster index (mapdata.clusters.index) matches the cameras now.

Each rebuild of the cluster cells also writes an index file and records its token here, in
the same transaction. The triggers of migration 0002 set ``stale`` on any camera write; an
index is used only while ``stale`` is 0 and the token is its own, so a process never answers
from an index older than the cameras. A random token, not a counter: a rolled-back rebuild
(a test's) must not leave a number that the next rebuild would reuse for other data.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("mapdata", "0005_camera_strips")]
    operations = [
        migrations.RunSQL(
            "ALTER TABLE mapdata_clusterstate ADD COLUMN index_token varchar(32) NOT NULL DEFAULT ''",
            "ALTER TABLE mapdata_clusterstate DROP COLUMN index_token",
        )
    ]
