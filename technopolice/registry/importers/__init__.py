"""Importers for the data the platform starts with: parsing and matching as pure functions.

Each importer reads its files completely and checks them before the first write, so a bad
file raises ``ImportFailed`` (with the file and line) and leaves the database untouched;
the ``store`` module then writes in bulk inside one transaction.
"""

from .csvfiles import ImportFailed, command_errors

__all__ = ["ImportFailed", "command_errors"]
