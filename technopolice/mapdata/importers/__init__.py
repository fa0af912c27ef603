"""Reading camera files (OpenStreetMap, Overpass, official CSV lists, commune contours).

Every reader turns a file into ``CameraRecord`` values and raises ``ImportFailed`` with a
translated message when the file cannot be read: nothing is written until a file has
been read to its end, so a bad file never leaves half an import behind (see ``sync``).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from tqdm import tqdm


class ImportFailed(Exception):
    """A file that cannot be imported, with a message meant for the person running the import."""


@dataclass
class CameraRecord:
    """One camera as read from a file, before it meets the database."""

    external_id: str
    latitude: float
    longitude: float
    tags: dict[str, str]
    values: dict = field(default_factory=dict)  # the Camera fields derived from the tags
    osm_type: str = ""
    osm_id: int | None = None
    osm_version: int | None = None


class Progress:
    """A progress bar of elements read, with the number of cameras kept beside it.

    Updates are batched: a tqdm call per OSM element would cost more than reading it.
    """

    EVERY = 5000

    def __init__(self, enabled: bool = True, unit: str = "elements"):
        self.bar = tqdm(unit=unit, unit_scale=True, disable=not enabled, mininterval=0.5)
        self.read = self.kept = self._pending = 0

    def tick(self, kept: bool = False) -> None:
        self.read += 1
        self.kept += kept
        self._pending += 1
        if self._pending >= self.EVERY:
            self.flush()

    def flush(self) -> None:
        self.bar.update(self._pending)
        self._pending = 0
        self.bar.set_postfix(cameras=self.kept, refresh=False)

    def close(self) -> None:
        self.flush()
        self.bar.close()


PBF_HEADER = b"\n\tOSMHeader"


def read_head(path: Path) -> bytes:
    """The first bytes of a file, refusing a missing, unreadable or empty one with a clear message."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError as error:
        raise ImportFailed(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from error
    if not head.strip():
        raise ImportFailed(_("%(path)s is empty.") % {"path": path})
    return head


def read_json(path: Path):
    """The whole JSON document of a file (a leading BOM tolerated, as Windows tools write
    one), refusing invalid JSON or text with a clear message instead of a traceback."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return json.load(handle)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFailed(
            _("%(path)s is not valid JSON (%(error)s).") % {"path": path, "error": error}
        ) from error


def detect_format(path: Path) -> str:
    """The file's format from its first bytes, never from its name: "pbf", "osm" (XML,
    possibly "osm.gz"/"osm.bz2" compressed) or "json"."""
    head = read_head(path)
    if head[4:15] == PBF_HEADER:
        return "pbf"
    if head.startswith(b"\x1f\x8b"):
        return "osm.gz"
    if head.startswith(b"BZh"):
        return "osm.bz2"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return "osm"
    if text[:1] in (b"{", b"["):
        return "json"
    raise ImportFailed(_("%(path)s is neither OSM PBF, OSM XML nor Overpass JSON.") % {"path": path})
