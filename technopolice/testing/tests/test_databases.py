import os
import uuid

import psycopg
from django.test import SimpleTestCase

from technopolice.testing.databases import drop_database, recreate_database


def server_url() -> str:
    """The PostgreSQL server the suite runs on, or the machine's default one."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres"


class ScratchDatabaseTests(SimpleTestCase):
    def setUp(self):
        base = server_url().rsplit("/", 1)[0]
        self.url = f"{base}/tp_scratch_{uuid.uuid4().hex[:8]}"

    def tearDown(self):
        drop_database(self.url)

    def test_it_creates_an_empty_database_and_drops_it(self):
        recreate_database(self.url)
        with psycopg.connect(self.url) as db:
            db.execute("CREATE TABLE leftover (id int)")
        recreate_database(self.url)  # again: the leftover table must be gone
        with psycopg.connect(self.url) as db:
            tables = db.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'leftover'").fetchone()
        self.assertEqual(tables, (0,))
        drop_database(self.url)
        with self.assertRaises(psycopg.OperationalError):
            psycopg.connect(self.url, connect_timeout=3).close()
