"""Strict readers for settings that come from the environment.

Settings are read once, at start-up; a value that cannot be understood stops the
start with a message naming the variable, rather than silently becoming a default.
Every reader accepts a ``NAME_FILE`` variant so secrets can come from files
(Docker and systemd credentials) instead of the process environment.
"""

import os
from pathlib import Path


class EnvError(ValueError):
    """A variable is set to something we refuse to guess about."""


def env(name: str, default: str = "") -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    # Only "True"/"False" (any case) and 1/0: "yes" or "on" are typos waiting to happen.
    value = env(name, "").strip().lower()
    if value == "":
        return default
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise EnvError(f"{name} must be True or False, not {value!r}")


def envint(name: str, default: int) -> int:
    value = env(name, "").strip()
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise EnvError(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = env(name, "").strip()
    if value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
