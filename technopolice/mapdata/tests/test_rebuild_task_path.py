"""A rebuild queued before the clustering code moved still runs after the deploy."""

from importlib import import_module

from django.apps import apps
from django.test import TestCase
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

migration = import_module("technopolice.mapdata.migrations.0007_rebuild_task_path")


def queued(path: str, status: str = "READY") -> DBTaskResult:
    return DBTaskResult.objects.create(task_path=path, status=status, args_kwargs={"args": [], "kwargs": {}})


class RebuildTaskPathTests(TestCase):
    def test_a_waiting_rebuild_is_pointed_at_the_tasks_new_home(self):
        waiting, done = queued(migration.OLD_PATH), queued(migration.OLD_PATH, status="SUCCESSFUL")
        migration.repoint(migration.OLD_PATH, migration.NEW_PATH)(apps, None)
        waiting.refresh_from_db()
        done.refresh_from_db()
        self.assertEqual(waiting.task_path, migration.NEW_PATH)
        self.assertEqual(done.task_path, migration.OLD_PATH, "history is left as it happened")
        self.assertTrue(callable(import_string(waiting.task_path).call))

    def test_reversed_it_goes_back(self):
        waiting = queued(migration.NEW_PATH)
        migration.repoint(migration.NEW_PATH, migration.OLD_PATH)(apps, None)
        waiting.refresh_from_db()
        self.assertEqual(waiting.task_path, migration.OLD_PATH)
