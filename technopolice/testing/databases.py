"""Scratch PostgreSQL databases for processes that cannot share the test database.

A browser test's server and a benchmark run in their own processes with their own data;
on PostgreSQL they each get a database of their own, created empty and dropped after.
"""

from urllib.parse import urlsplit

import psycopg
from psycopg import sql


def _server_url(url: str) -> str:
    """The same server and user, connected to the maintenance database "postgres"."""
    return urlsplit(url)._replace(path="/postgres").geturl()


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def recreate_database(url: str) -> None:
    """Drop the database `url` names (whoever is connected to it) and create it empty."""
    drop_database(url)
    with psycopg.connect(_server_url(url), autocommit=True, connect_timeout=5) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database_name(url))))


def ensure_database(url: str) -> None:
    """Create the database `url` names unless it exists (a benchmark keeps its data between runs)."""
    with psycopg.connect(_server_url(url), autocommit=True, connect_timeout=5) as server:
        name = database_name(url)
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    with psycopg.connect(_server_url(url), autocommit=True, connect_timeout=5) as server:
        name = sql.Identifier(database_name(url))
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
