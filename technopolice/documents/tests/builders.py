"""Test files built on the fly: photos carrying EXIF secrets, PDFs with metadata, scans, broken files."""

import io
import shutil
import tempfile
import zipfile

import pikepdf
from django.test import override_settings
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from technopolice.lib.tests.test_images import AUTHOR, SERIAL, photo_with_metadata

# The photo carrying GPS position, serial and author is the one lib.images is tested with.
photo = photo_with_metadata


def pdf(
    *pages: str, author: str = AUTHOR, attachment: bool = False, xmp: bool = False, scanned: str = ""
) -> bytes:
    """A PDF with text pages, optional "scanned" (image-only) page, author/producer, XMP and an attachment."""
    doc = FPDF()
    doc.set_author(author)
    doc.set_producer("Scanner Xerox WorkCentre 7845 " + SERIAL)
    doc.set_font("helvetica", size=12)
    for text in pages:
        doc.add_page()
        doc.multi_cell(0, 8, text)
    if scanned:
        doc.add_page()
        doc.image(_scan(scanned), x=10, y=10, w=190)
    if xmp:
        doc.set_xmp_metadata(
            f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{AUTHOR}</dc:creator></rdf:Description>'
        )
    if attachment:
        doc.embed_file(bytes=b"secret address book of " + AUTHOR.encode(), basename="contacts.txt")
    return bytes(doc.output())


def scanned_pdf(pages: int, size: tuple[int, int] = (800, 200)) -> bytes:
    """A PDF of image-only pages, each a scan of its own number: the cheap file that costs OCR most."""
    doc = FPDF()
    for number in range(1, pages + 1):
        doc.add_page()
        doc.image(_scan(f"Camera {number}", size), x=10, y=10, w=190)
    return bytes(doc.output())


def _scan(text: str, size: tuple[int, int] = (1600, 400)) -> Image.Image:
    """An image of printed text, as a scanner would make it: no text layer, only pixels."""
    image = Image.new("L", size, 255)
    font = ImageFont.load_default(size=size[1] * 56 // 400)
    ImageDraw.Draw(image).text((size[0] // 40, size[1] * 3 // 8), text, fill=0, font=font)
    return image


def encrypted_pdf() -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf("Confidentiel"))) as source:
        source.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    return out.getvalue()


def zip_archive() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.js", "alert(1)")
    return archive.getvalue()


def zip_polyglot() -> bytes:
    """A valid PDF with a ZIP archive glued after it: two readers, two different files."""
    return pdf("Délibération") + zip_archive()


class MediaMixin:
    """Each test stores files in its own temporary media directory."""

    def setUp(self):
        super().setUp()
        self.media = tempfile.mkdtemp(prefix="tp-media-")
        self.addCleanup(shutil.rmtree, self.media, True)
        settings_override = override_settings(MEDIA_ROOT=self.media)
        settings_override.enable()
        self.addCleanup(settings_override.disable)
