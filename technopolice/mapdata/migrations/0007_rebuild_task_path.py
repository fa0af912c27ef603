"""The map's rebuild task moved with the clustering code (mapdata/clusters/cells.py).

django-tasks-db stores a task by its dotted path: a rebuild queued before the deploy, not yet
run, would fail to import after it, and the map would stay on live grouping until the next
camera write. Those rows are pointed at the task's new path (and back, reversed).
"""

from django.db import migrations

OLD_PATH = "technopolice.mapdata.cluster_cells.rebuild_task"
NEW_PATH = "technopolice.mapdata.clusters.cells.rebuild_task"


def repoint(old: str, new: str):
    def operation(apps, schema_editor):
        DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
        DBTaskResult.objects.filter(status="READY", task_path=old).update(task_path=new)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("mapdata", "0006_cluster_index_token"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(repoint(OLD_PATH, NEW_PATH), repoint(NEW_PATH, OLD_PATH))]
