import io

import piexif
from django.test import SimpleTestCase
from PIL import Image

from technopolice.lib.images import ImageRefused, strip_metadata

SERIAL = "SN-4242-TECHNOPOLICE"
AUTHOR = "Jeanne Militante"


def photo_with_metadata(fmt: str = "JPEG") -> bytes:
    """A photo carrying a GPS position, a device serial, an author, XMP and an orientation tag."""
    exif = piexif.dump(
        {
            "0th": {piexif.ImageIFD.Artist: AUTHOR.encode(), piexif.ImageIFD.Orientation: 6},
            "Exif": {piexif.ExifIFD.BodySerialNumber: SERIAL.encode()},
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((45, 1), (26, 1), (1234, 100)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((4, 1), (23, 1), (5678, 100)),
            },
        }
    )
    out = io.BytesIO()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{AUTHOR}</dc:creator></x:xmpmeta>'.encode()
    Image.new("RGB", (40, 20), "red").save(out, fmt, exif=exif, xmp=xmp, comment=AUTHOR.encode())
    return out.getvalue()


class StripMetadataTests(SimpleTestCase):
    def assert_clean(self, content: bytes):
        for secret in (SERIAL.encode(), AUTHOR.encode(), b"GPS", b"Exif", b"xmpmeta"):
            self.assertNotIn(secret, content)
        self.assertEqual(Image.open(io.BytesIO(content)).getexif(), {})

    def test_the_fixture_really_carries_the_metadata(self):
        data = photo_with_metadata()
        self.assertIn(SERIAL.encode(), data)
        self.assertIn(AUTHOR.encode(), data)
        self.assertIn(piexif.GPSIFD.GPSLatitude, piexif.load(data)["GPS"])

    def test_it_removes_gps_serial_and_author_from_jpeg(self):
        self.assert_clean(strip_metadata(photo_with_metadata("JPEG")).content)

    def test_it_removes_them_from_png_and_webp(self):
        for fmt in ("PNG", "WEBP"):
            with self.subTest(fmt=fmt):
                self.assert_clean(strip_metadata(photo_with_metadata(fmt)).content)

    def test_it_applies_the_orientation_to_the_pixels(self):
        clean = strip_metadata(photo_with_metadata())
        self.assertEqual((clean.width, clean.height), (20, 40))

    def test_it_refuses_html_dressed_as_an_image(self):
        with self.assertRaises(ImageRefused):
            strip_metadata(b"<html><script>alert(1)</script></html>")

    def test_it_refuses_an_empty_file_and_other_formats(self):
        out = io.BytesIO()
        Image.new("RGB", (4, 4)).save(out, "GIF")
        for data in (b"", out.getvalue()):
            with self.subTest(size=len(data)), self.assertRaises(ImageRefused):
                strip_metadata(data)
