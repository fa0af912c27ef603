"""Photos cleaned of everything but their pixels, before anything is stored.

A photo of a camera can give its author away: EXIF carries the GPS position, the device's
serial number and the owner's name; XMP, ICC profiles and comments can carry more. Rather
than deleting known tags (and missing an unknown one), we copy the pixels into a new image
and encode that: whatever metadata the upload had cannot survive. The orientation is
applied to the pixels first, so the photo still shows the right way up.
"""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Decoded size limit: a small file can decode to gigabytes (a "decompression bomb").
MAX_PIXELS = 60_000_000
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


class ImageRefused(ValueError):
    """The upload is not an image we accept; the message is meant for the visitor."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    mime: str
    extension: str
    width: int
    height: int


def strip_metadata(data: bytes) -> CleanImage:
    """Decode ``data`` (JPEG, PNG or WebP, judged by content) and re-encode its pixels only."""
    image = _open(data)
    pixels = _pixels_only(ImageOps.exif_transpose(image))
    mime, extension = FORMATS[image.format]
    out = io.BytesIO()
    if image.format == "JPEG":
        pixels.save(out, "JPEG", quality=90, optimize=True)
    elif image.format == "WEBP":
        pixels.save(out, "WEBP", quality=90)
    else:
        pixels.save(out, "PNG", optimize=True)
    return CleanImage(out.getvalue(), mime, extension, pixels.width, pixels.height)


def _open(data: bytes) -> Image.Image:
    if not data:
        raise ImageRefused(_("The file is empty."))
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise ImageRefused(_("Only JPEG, PNG and WebP images are accepted."))
        if image.width * image.height > MAX_PIXELS:
            raise ImageRefused(_("This image is too large."))
        image.load()
    except ImageRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        raise ImageRefused(_("This file is not a readable image.")) from None
    return image


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding the same pixels and nothing else (no info, no EXIF, no profile)."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = image.mode in ("PA", "RGBa") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    return Image.frombytes(image.mode, image.size, image.tobytes())
