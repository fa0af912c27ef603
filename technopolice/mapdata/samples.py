"""Where the real sample files are: the repository's samples/ folder, else the shared data.

The shared fallback is temporary, until samples/ is filled (the imports helper copies the
files with their licence notes); the lead removes it then.
"""

from pathlib import Path

from django.conf import settings

SHARED_DATA = Path("/work/shared/data")


def sample_path(*parts: str) -> Path:
    local = Path(settings.BASE_DIR, "samples", *parts)
    return local if local.exists() else SHARED_DATA.joinpath(*parts)
