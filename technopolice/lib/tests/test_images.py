import functools
import io
import struct
import time
import tracemalloc
import zlib
from unittest import mock

import piexif
from django.test import SimpleTestCase, override_settings
from django.utils import translation
from PIL import Image, ImageFile

from technopolice.lib.images import ImageRefused, check_post, header_size, strip_metadata

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


@functools.cache
def pixel_flood(width: int = 7740, height: int = 7740) -> bytes:
    """A valid RGB PNG of black pixels: a couple of hundred kilobytes that decode to gigabytes.

    Written chunk by chunk, so making it costs the test no more memory than the file.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor, row = zlib.compressobj(9), b"\0" * (1 + width * 3)
    idat = b"".join([compressor.compress(row) for _ in range(height)] + [compressor.flush()])
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def small_png(width: int = 2000, height: int = 1000) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "blue").save(out, "PNG")
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


class PixelFloodTests(SimpleTestCase):
    """A small file declaring a huge image is refused from its header: nothing is decoded."""

    def refused(self, call, *args) -> tuple[str, float, int]:
        """The refusal's message (in French), the seconds and the peak bytes it took."""
        tracemalloc.start()
        started = time.perf_counter()
        try:
            # Decoding is what costs gigabytes: it must not even start.
            with (
                mock.patch.object(ImageFile.ImageFile, "load", side_effect=AssertionError("decoded")),
                translation.override("fr"),
                self.assertRaises(ImageRefused) as refused,
            ):
                call(*args)
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return str(refused.exception), seconds, peak

    def test_the_flood_is_a_small_file_of_sixty_megapixels(self):
        data = pixel_flood()
        self.assertLess(len(data), 300_000)
        self.assertEqual(struct.unpack(">II", data[16:24]), (7740, 7740))  # IHDR's width and height

    def test_a_7740_pixel_square_png_is_refused_at_once_in_the_visitors_language(self):
        message, seconds, peak = self.refused(strip_metadata, pixel_flood())
        self.assertEqual(message, "Cette image est trop grande : envoyez-en une de 40 mégapixels au plus.")
        self.assertLess(seconds, 1)
        self.assertLess(peak, 5 * 1024 * 1024)

    def test_an_image_past_pillows_own_limit_gets_the_same_refusal(self):
        # Twice Image.MAX_IMAGE_PIXELS: Pillow raises DecompressionBombError while reading the header.
        flood = pixel_flood(12_000, 12_000)
        for call in (strip_metadata, header_size):
            with self.subTest(call=call.__name__):
                message, _seconds, _peak = self.refused(call, flood)
                self.assertIn("40 mégapixels", message)

    def test_ten_floods_in_one_post_are_refused_at_once(self):
        message, seconds, peak = self.refused(check_post, [pixel_flood()] * 10)
        self.assertIn("trop grande", message)
        self.assertLess(seconds, 1)
        self.assertLess(peak, 5 * 1024 * 1024)

    @override_settings(IMAGES_MAX_PIXELS_PER_POST=5_000_000)
    def test_a_post_whose_images_are_too_large_together_is_refused(self):
        check_post([small_png()] * 2)  # 4 megapixels
        message, _seconds, _peak = self.refused(check_post, [small_png()] * 3)
        self.assertEqual(message, "Ces images sont trop grandes ensemble : 5 mégapixels au plus en un envoi.")

    @override_settings(IMAGES_MAX_PER_POST=2)
    def test_a_post_of_too_many_images_is_refused_and_other_files_do_not_count(self):
        check_post([small_png(10, 10)] * 2 + [b"%PDF-1.4", b"du texte", b""])
        message, _seconds, _peak = self.refused(check_post, [small_png(10, 10)] * 3)
        self.assertEqual(message, "Envoyez au plus 2 images à la fois.")

    def test_an_image_within_the_budget_is_still_cleaned(self):
        self.assertEqual(header_size(small_png()), (2000, 1000))
        self.assertIsNone(header_size(b"%PDF-1.4"))
        clean = strip_metadata(small_png())
        self.assertEqual((clean.width, clean.height, clean.mime), (2000, 1000, "image/png"))


class PhoneJpegTests(SimpleTestCase):
    """Phones append a second picture (a depth or gain map) to their JPEGs: Pillow reads an MPO."""

    def phone_photo(self) -> bytes:
        exif = piexif.load(photo_with_metadata())
        out = io.BytesIO()
        photo, extra = Image.new("RGB", (64, 48), "red"), Image.new("RGB", (32, 24), "blue")
        photo.save(out, "MPO", save_all=True, append_images=[extra], exif=piexif.dump(exif))
        self.assertEqual(Image.open(io.BytesIO(out.getvalue())).format, "MPO")
        return out.getvalue()

    def test_it_is_accepted_as_a_jpeg_keeping_the_photo_and_no_metadata(self):
        clean = strip_metadata(self.phone_photo())
        self.assertEqual((clean.mime, clean.extension), ("image/jpeg", "jpg"))
        image = Image.open(io.BytesIO(clean.content))
        self.assertEqual((image.format, image.size), ("JPEG", (48, 64)))  # the first picture, turned upright
        for secret in (SERIAL.encode(), AUTHOR.encode(), b"Exif\0\0"):
            self.assertNotIn(secret, clean.content)
