"""Hostile files built on the fly, small on disk: what an attacker (or a careless camera) hands in."""

import io
import struct

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
