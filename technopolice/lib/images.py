"""Photos cleaned of everything but their pixels, before anything is stored.

A photo of a camera can give its author away: EXIF carries the GPS position, the device's
serial number and the owner's name; XMP, ICC profiles and comments can carry more. Rather
than deleting known tags (and missing an unknown one), we copy the pixels into a new image
and encode that: whatever metadata the upload had cannot survive. The orientation is
applied to the pixels first, so the photo still shows the right way up.

Decoding runs in the web worker, and a small file can decode to gigabytes (a "pixel flood":
a PNG of a few hundred kilobytes declaring 7,740 x 7,740 pixels). So the size an image
declares in its header is read first, without decoding anything, and an image over the
budget is refused before a single pixel is allocated; so is a post whose images together
are too many or too large (``check_post``).
"""

import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from technopolice.lib import jail

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
# Phones write JPEGs with a second picture appended (a depth or gain map): Pillow calls them MPO.
# They are JPEGs to the person who took them; the first picture is the photo.
JPEG_VARIANTS = {"MPO": "JPEG"}


def photo_format(image: Image.Image) -> str:
    """The format a person knows the image by: a phone's MPO is a JPEG."""
    return JPEG_VARIANTS.get(image.format, image.format)


_UNREADABLE = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError)
_BOMB = (Image.DecompressionBombError, Image.DecompressionBombWarning)

# Pillow's own guard, for every image this process opens (text extraction too): it warns above
# this many pixels and refuses above twice as many. Ours below refuses first, with a message.
Image.MAX_IMAGE_PIXELS = settings.IMAGES_MAX_PIXELS


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
    """Decode ``data`` (JPEG, PNG or WebP, judged by content) and re-encode its pixels only.

    In a child process limited in memory and time (lib.jail): an image built to exhaust the
    worker costs a refusal, with a message for its sender.
    """
    try:
        return jail.run(_strip_metadata, data, limits=jail.upload_limits())
    except jail.Refused as refused:
        raise ImageRefused(str(refused)) from None


def _strip_metadata(data: bytes) -> CleanImage:
    image = _open(data)
    source_format = photo_format(image)
    ImageOps.exif_transpose(image, in_place=True)
    image = _pixels_only(image)
    mime, extension = FORMATS[source_format]
    out = io.BytesIO()
    # Encoding is most of the time a large image costs the web worker: PNG and WebP take their
    # fast settings (a slightly larger file), which weigh several times less on a post's budget.
    if source_format == "JPEG":
        image.save(out, "JPEG", quality=90, optimize=True)
    elif source_format == "WEBP":
        image.save(out, "WEBP", quality=90, method=0)
    else:
        image.save(out, "PNG", compress_level=1)
    return CleanImage(out.getvalue(), mime, extension, image.width, image.height)


def header_size(data: bytes) -> tuple[int, int] | None:
    """Width and height as the header declares them, nothing decoded; None if ``data`` is no image.

    Raises ImageRefused for an image over the pixel budget.
    """
    try:
        image = _lazy_open(data, formats=list(FORMATS))  # no other format is probed
    except ImageRefused:
        raise
    except _UNREADABLE:
        return None
    with image:
        _check_pixels(image.size)
        return image.size


def check_post(files: Iterable[bytes]) -> None:
    """Refuse, from the headers alone, a post whose images are too many or too large together.

    Files that are not images are not counted; each image's own budget is checked too.
    """
    sizes = [size for size in map(header_size, files) if size]
    if len(sizes) > settings.IMAGES_MAX_PER_POST:
        raise ImageRefused(_("Send at most %(max)d images at once.") % {"max": settings.IMAGES_MAX_PER_POST})
    if sum(width * height for width, height in sizes) > settings.IMAGES_MAX_PIXELS_PER_POST:
        raise ImageRefused(
            _("These images are too large together: at most %(max)d megapixels in one sending.")
            % {"max": settings.IMAGES_MAX_PIXELS_PER_POST // 1_000_000}
        )


def _lazy_open(data: bytes, formats: Iterable[str] | None = None) -> Image.Image:
    """Image.open reads the header only; Pillow's bomb warning becomes an error, then a refusal."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=formats)
    except _BOMB:
        raise ImageRefused(_too_large()) from None


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > settings.IMAGES_MAX_PIXELS:
        raise ImageRefused(_too_large())


def _too_large() -> str:
    return _("This image is too large: send one of at most %(max)d megapixels.") % {
        "max": settings.IMAGES_MAX_PIXELS // 1_000_000
    }


def _open(data: bytes) -> Image.Image:
    if not data:
        raise ImageRefused(_("The file is empty."))
    try:
        image = _lazy_open(data)
        if photo_format(image) not in FORMATS:
            raise ImageRefused(_("Only JPEG, PNG and WebP images are accepted."))
        _check_pixels(image.size)  # before any pixel is decoded
        image.load()
    except ImageRefused:
        raise
    except _UNREADABLE:
        raise ImageRefused(_("This file is not a readable image.")) from None
    return image


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding the same pixels and nothing else (no info, no EXIF, no profile).

    The pixels are pasted into a blank image: one copy of them at a time, not two.
    """
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = image.mode in ("PA", "RGBa") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    blank = Image.new(image.mode, image.size)
    blank.paste(image)
    return blank
