"""Scratch PostgreSQL databases for processes that cannot share the test database.

A browser test's server and a benchmark run in their own processes with their own data;
on PostgreSQL they each get a database of their own, created empty and dropped after.
"""

import os
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


def client_options(params: dict) -> list[str]:
    """The connection options of PostgreSQL's own tools (pg_dump, pg_restore) for a Django
    database's settings, with the machine's server as default."""
    host, port, user = (
        params["HOST"] or "127.0.0.1",
        str(params["PORT"] or 5432),
        params["USER"] or "postgres",
    )
    return ["-h", host, "-p", port, "-U", user]


def client_env(params: dict) -> dict[str, str]:
    """The environment those tools run in: the password never appears on their command line."""
    return {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
