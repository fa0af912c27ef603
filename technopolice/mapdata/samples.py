"""Where the map's real sample files are: the repository's samples/ folder, and nowhere else.

samples/README.md says what each file is, where it comes from and under which licence.
"""

from pathlib import Path

from django.conf import settings


def sample_path(*parts: str) -> Path:
    """The sample ``samples/<parts...>``; FileNotFoundError naming it when the checkout lacks it."""
    path = Path(settings.BASE_DIR, "samples", *parts)
    if not path.is_file():
        raise FileNotFoundError(
            f"The sample samples/{'/'.join(parts)} is missing from {settings.BASE_DIR}: "
            "samples/README.md lists the files and where they come from."
        )
    return path
