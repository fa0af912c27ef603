"""Test and benchmark support: the cast of users, the browser harness, scratch databases.

Used by the apps' tests and by bench/; left out of the wheel (pyproject.toml), since only the
product ships.
"""
