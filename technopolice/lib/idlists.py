"""Lists of ids written into SQL statements as integers, not sent as parameters.

Sent as parameters, a list of a few hundred ids makes a statement that psycopg parses again
on every call (it keeps parsed statements up to 4 KB), and SQLite caps how many parameters
one statement may have. Every id goes through ``int()``, which refuses anything but a whole
number, so nothing else can reach the statement.
"""

from collections.abc import Iterable


def integer_list(ids: Iterable[int]) -> str:
    """``(1, 2, 3)``, for an ``IN``: at least one id, or the statement is not valid SQL."""
    return "(" + ", ".join(str(int(pk)) for pk in ids) + ")"
