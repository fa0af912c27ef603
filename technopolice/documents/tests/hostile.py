"""Hostile files built on the fly, small on disk: what an attacker (or a careless camera) hands in."""

import io
import struct
import zipfile
import zlib
from functools import cache

import pikepdf
from PIL import Image

from .builders import AUTHOR, photo

# The GPS latitude of the test photo as its EXIF stores it (three big-endian rationals).
GPS_LATITUDE = struct.pack(">6I", 45, 1, 26, 1, 1234, 100)
XMP = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{AUTHOR}</dc:creator></x:xmpmeta>'.encode()


def pdf_with_photos() -> bytes:
    """A page showing the test photo (EXIF with GPS, serial and author; XMP) twice: drawn by the page
    itself, and from inside a form XObject nested in another; each image and form has its XMP packet."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))

    def xobject(data: bytes, **entries) -> pikepdf.Stream:
        stream = pdf.make_stream(data, Type=pikepdf.Name.XObject, **entries)
        stream.Metadata = pdf.make_stream(XMP, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        return stream

    def image() -> pikepdf.Stream:
        jpeg = photo("JPEG")
        width, height = Image.open(io.BytesIO(jpeg)).size
        return xobject(
            jpeg,
            Subtype=pikepdf.Name.Image,
            Width=width,
            Height=height,
            ColorSpace=pikepdf.Name.DeviceRGB,
            BitsPerComponent=8,
            Filter=pikepdf.Name.DCTDecode,
        )

    def form(content: bytes, **xobjects) -> pikepdf.Stream:
        resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(**xobjects))
        return xobject(content, Subtype=pikepdf.Name.Form, BBox=[0, 0, 200, 200], Resources=resources)

    inner = form(b"q 40 0 0 20 0 0 cm /Im1 Do Q", Im1=image())
    outer = form(b"/Fm1 Do", Fm1=inner)
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image(), Fm0=outer))
    page.obj.Contents = pdf.make_stream(b"q 40 0 0 20 10 10 cm /Im0 Do Q q 1 0 0 1 60 60 cm /Fm0 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# -- Bombs: small files that inflate to gigabytes ----------------------------------------------

_MB = 1024 * 1024


@cache
def zeros_deflated(megabytes: int, byte: bytes = b"\0") -> bytes:
    """A zlib stream of ``megabytes`` MB of one repeated byte, built without compressing them all:
    after a full flush each megabyte compresses to the same bytes, which are repeated."""
    chunk = byte * _MB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: header and checksum added below
    first = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    body = first + again * (megabytes - 1) + deflate.flush()
    size, value = megabytes * _MB, byte[0]
    # Adler-32 of ``size`` copies of one byte, computed rather than read.
    low = (1 + value * size) % 65521
    high = (size + value * size * (size + 1) // 2) % 65521
    return b"\x78\xda" + body + struct.pack(">I", (high << 16) | low)


def png(width: int, height: int, idat: bytes, *extra: tuple[bytes, bytes], bit_depth: int = 1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    chunks = [chunk(b"IHDR", header), *(chunk(k, d) for k, d in extra), chunk(b"IDAT", idat)]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + chunk(b"IEND", b"")


@cache
def pixel_flood() -> bytes:
    """20,000 x 20,000 pixels of one colour (400 million): 50 MB of rows deflated to a few tens of KB."""
    return png(20_000, 20_000, zeros_deflated(48))


@cache
def png_text_bomb() -> bytes:
    """A 1 x 1 PNG whose compressed text (zTXt) and colour profile (iCCP) chunks inflate to 256 MB each."""
    bomb = zeros_deflated(256)
    return png(1, 1, zlib.compress(b"\0\0"), (b"zTXt", b"Comment\0\0" + bomb), (b"iCCP", b"icc\0\0" + bomb))


def raw_pdf(*objects: bytes, root: int = 1) -> bytes:
    """A PDF written byte by byte, for structures no library would write; objects are numbered from 1."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


_PAGE_TREE = (b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")


def _one_page(
    content: bytes, content_entries: bytes = b"", resources: bytes = b"<< >>", *more: bytes
) -> bytes:
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources %s /Contents 4 0 R >>" % resources
    )
    return raw_pdf(*_PAGE_TREE, page, _stream(content, content_entries), *more)


@cache
def pdf_flate_bomb() -> bytes:
    """A page whose content stream inflates to 4 GB of zeros (the file is a few MB)."""
    return _one_page(zeros_deflated(4096), b"/Filter /FlateDecode")


@cache
def pdf_recompressed_bomb() -> bytes:
    """A stream qpdf decodes to rewrite it (Flate then ASCIIHex, not Flate alone): 2 GB of hex digits
    inflating to 1 GB of zeros, which cleaning would decompress and compress again."""
    return _one_page(zeros_deflated(2048, b"0"), b"/Filter [/FlateDecode /ASCIIHexDecode]")


def pdf_self_drawing_form() -> bytes:
    """A form XObject that draws itself: a reader following it never comes back."""
    form = _stream(b"/Fm0 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources 6 0 R")
    return _one_page(b"/Fm0 Do", b"", b"6 0 R", form, b"<< /XObject << /Fm0 5 0 R >> >>")


def pdf_page_tree_loop() -> bytes:
    """The page tree lists itself among its own pages."""
    return raw_pdf(
        _PAGE_TREE[0], b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", b"<< /Type /Page /Parent 2 0 R >>"
    )


def pdf_deep_nesting(depth: int = 100_000) -> bytes:
    """Arrays nested ``depth`` deep, in an object of the catalogue and in the page's content stream."""
    nested = b"[" * depth + b"]" * depth
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Deep 5 0 R >>"
    return raw_pdf(*_PAGE_TREE, page, _stream(nested + b" pop"), nested)


# -- Disguises ----------------------------------------------------------------------------------

SVG = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(document.cookie)'><text>Budget</text></svg>"
HTML = b"<!DOCTYPE html><html><body><script>fetch('/moderation/')</script></body></html>"


def html_pdf_polyglot() -> bytes:
    """An HTML page whose first kilobyte also holds a PDF header: a browser sniffing it runs the script."""
    return (
        b"<html><script>alert(document.cookie)</script><!--\n"
        + raw_pdf(*_PAGE_TREE, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
        + b"-->"
    )


def jpeg_html_polyglot() -> bytes:
    """A valid JPEG carrying an HTML page in a comment segment."""
    jpeg = photo("JPEG")
    comment = b"\xff\xfe" + struct.pack(">H", len(HTML) + 2) + HTML
    return jpeg[:2] + comment + jpeg[2:]


def zip_bomb() -> bytes:
    """A small ZIP holding one 64 MB file of zeros (what a .docx or an .odt is made of)."""
    archive = io.BytesIO()
    with (
        zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z,
        z.open("report.txt", "w", force_zip64=True) as f,
    ):
        chunk = b"\0" * _MB
        for _ in range(64):
            f.write(chunk)
    return archive.getvalue()


def jp2_with_metadata() -> bytes:
    """A JPEG 2000 photo carrying an XMP box and a UUID box (where GeoJP2 keeps a position)."""
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(out, "JPEG2000")

    def box(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data) + 8) + kind + data

    geojp2 = bytes.fromhex("b14bf8bd083d4b43a5ae8cd7d5a6ce03") + GPS_LATITUDE
    jp2 = out.getvalue()
    codestream = jp2.index(b"jp2c") - 4
    return jp2[:codestream] + box(b"xml ", XMP) + box(b"uuid", geojp2) + jp2[codestream:]


def pdf_with_jp2() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    image = pdf.make_stream(
        jp2_with_metadata(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=40, Height=20
    )
    image.Filter = pikepdf.Name.JPXDecode
    pdf.pages[0].obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"q 40 0 0 20 10 10 cm /Im0 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_with_inline_photos() -> bytes:
    """The test photo written inside the page's content stream (an inline image), twice: as a bare
    JPEG and wrapped in hexadecimal; then inside a form XObject."""
    jpeg = photo("JPEG")
    width, height = Image.open(io.BytesIO(jpeg)).size
    head = b"BI /W %d /H %d /CS /RGB /BPC 8 " % (width, height)
    inline = (
        head + b"/F /DCT ID " + jpeg + b" EI " + head + b"/F [/AHx /DCT] ID " + jpeg.hex().encode() + b"> EI"
    )
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    form = pdf.make_stream(
        inline, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 200, 200]
    )
    pdf.pages[0].obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm0=form))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"q 40 0 0 20 10 10 cm " + inline + b" Q /Fm0 Do")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
