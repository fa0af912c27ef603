import io
import zlib

import piexif
import pikepdf
from django.test import SimpleTestCase, override_settings
from django.utils import translation
from PIL import Image

from technopolice.documents import cleaning
from technopolice.documents.models import FileType

from . import builders, hostile


class PhotoCleaningTests(SimpleTestCase):
    def assert_no_secret(self, data: bytes) -> None:
        for secret in (builders.SERIAL.encode(), builders.AUTHOR.encode(), b"xmpmeta"):
            self.assertNotIn(secret, data)
        image = Image.open(io.BytesIO(data))
        self.assertNotIn("exif", image.info)
        self.assertNotIn("icc_profile", image.info)
        self.assertEqual(dict(image.getexif()), {})

    def test_it_removes_gps_serial_and_author_from_a_jpeg(self):
        original = builders.photo("JPEG")
        self.assertIn(builders.SERIAL.encode(), original)  # the test photo does carry the secrets
        self.assertIn(piexif.GPSIFD.GPSLatitude, piexif.load(original)["GPS"])
        cleaned = cleaning.clean(original)
        self.assertEqual(cleaned.file_type, FileType.JPEG)
        self.assert_no_secret(cleaned.data)
        self.assertEqual(piexif.load(cleaned.data)["GPS"], {})

    def test_a_phones_jpeg_with_a_second_picture_is_a_photo_not_an_animation(self):
        original = builders.photo("JPEG")
        out = io.BytesIO()
        first, depth_map = Image.open(io.BytesIO(original)), Image.new("RGB", (8, 8), "blue")
        first.save(out, "MPO", save_all=True, append_images=[depth_map], exif=first.info["exif"])
        cleaned = cleaning.clean(out.getvalue())
        self.assertEqual(cleaned.file_type, FileType.JPEG)
        self.assert_no_secret(cleaned.data)

    def test_it_removes_metadata_from_png_and_webp(self):
        for fmt, file_type in (("PNG", FileType.PNG), ("WEBP", FileType.WEBP)):
            with self.subTest(fmt=fmt):
                cleaned = cleaning.clean(builders.photo(fmt))
                self.assertEqual(cleaned.file_type, file_type)
                self.assert_no_secret(cleaned.data)


class PdfCleaningTests(SimpleTestCase):
    def test_it_removes_author_producer_xmp_and_attachments(self):
        original = builders.pdf("Délibération du conseil municipal", attachment=True, xmp=True)
        with pikepdf.open(io.BytesIO(original)) as before:
            self.assertIn("/EmbeddedFiles", before.Root.Names)
            self.assertIn("/Metadata", before.Root)
        cleaned = cleaning.clean(original)
        for secret in (b"contacts", builders.AUTHOR.encode(), b"Xerox", builders.SERIAL.encode()):
            self.assertNotIn(secret, cleaned.data)
        with pikepdf.open(io.BytesIO(cleaned.data)) as after:
            self.assertEqual(dict(after.docinfo), {})
            self.assertNotIn("/Metadata", after.Root)
            self.assertNotIn("/AF", after.Root)
            self.assertEqual(len(after.attachments), 0)
            self.assertEqual(len(after.pages), 1)

    def test_it_removes_javascript_and_open_actions(self):
        with pikepdf.open(io.BytesIO(builders.pdf("Marché public"))) as source:
            js = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('pwned')"))
            source.Root.OpenAction = source.make_indirect(js)
            source.Root.Names = pikepdf.Dictionary(
                JavaScript=pikepdf.Dictionary(Names=["x", source.make_indirect(js)])
            )
            out = io.BytesIO()
            source.save(out)
        cleaned = cleaning.clean(out.getvalue())
        self.assertNotIn(b"pwned", cleaned.data)
        self.assertNotIn(b"/JavaScript", cleaned.data)

    def test_the_same_content_cleans_to_the_same_bytes(self):
        data = builders.pdf("Contrat")
        self.assertEqual(cleaning.clean(data).sha256, cleaning.clean(data).sha256)

    def test_the_source_file_identifier_is_not_kept(self):
        # Two copies of one document, each with its own permanent /ID (the source file's, which can
        # tie an upload to its author's file): cleaned, neither /ID is left and the bytes are the same.
        copies = []
        for identifier in (b"first-machine-0001", b"other-machine-0002"):
            with pikepdf.open(io.BytesIO(builders.pdf("Délibération caméras"))) as source:
                source.trailer.ID = pikepdf.Array([pikepdf.String(identifier), pikepdf.String(identifier)])
                out = io.BytesIO()
                source.save(out, static_id=True)
            self.assertIn(identifier.hex().encode(), out.getvalue().lower())
            copies.append(cleaning.clean(out.getvalue()))
        for identifier, copy in zip((b"first-machine-0001", b"other-machine-0002"), copies, strict=True):
            self.assertNotIn(identifier.hex().encode(), copy.data.lower())
            self.assertNotIn(identifier, copy.data)
        self.assertEqual(copies[0].sha256, copies[1].sha256)


class PdfImageMetadataTests(SimpleTestCase):
    """Item 2 of issue 15: a JPEG embedded in a PDF kept its whole EXIF (GPS, serial, author) and XMP."""

    secrets = (builders.SERIAL.encode(), builders.AUTHOR.encode(), b"Exif\x00\x00", b"<x:xmpmeta")

    def all_bytes(self, data: bytes) -> bytes:
        """The file and every stream in it with its generic compression undone (JPEG bytes stay JPEG)."""
        with pikepdf.open(io.BytesIO(data)) as pdf:
            streams = [
                o.read_raw_bytes() if o.get("/Filter") in ("/DCTDecode", "/JPXDecode") else o.read_bytes()
                for o in pdf.objects
                if isinstance(o, pikepdf.Stream)
            ]
        return data + b"".join(streams)

    def test_exif_and_xmp_of_images_at_every_depth_are_removed(self):
        original = hostile.pdf_with_photos()
        for secret in (*self.secrets, hostile.GPS_LATITUDE):
            self.assertEqual(original.count(secret) >= 2, True, secret)  # both images carry them
        cleaned = cleaning.clean(original).data
        for secret in (*self.secrets, hostile.GPS_LATITUDE):
            self.assertNotIn(secret, self.all_bytes(cleaned))

    def test_the_images_still_decode_to_the_same_pixels(self):
        pixels = Image.open(io.BytesIO(builders.photo("JPEG"))).convert("RGB").tobytes()
        with pikepdf.open(io.BytesIO(cleaning.clean(hostile.pdf_with_photos()).data)) as pdf:
            images = [
                o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
            ]
            self.assertEqual(len(images), 2)
            for image in images:
                decoded = pikepdf.PdfImage(image).as_pil_image()
                self.assertEqual(decoded.convert("RGB").tobytes(), pixels)

    def test_a_jpeg_inside_a_flate_filter_is_stripped_too(self):
        with pikepdf.open(io.BytesIO(hostile.pdf_with_photos())) as source:
            image = source.pages[0].Resources.XObject.Im0
            image.write(
                zlib.compress(image.read_raw_bytes()),
                filter=[pikepdf.Name.FlateDecode, pikepdf.Name.DCTDecode],
            )
            out = io.BytesIO()
            source.save(out)
        cleaned = cleaning.clean(out.getvalue()).data
        for secret in (*self.secrets, hostile.GPS_LATITUDE):
            self.assertNotIn(secret, self.all_bytes(cleaned))

    def test_inline_jpegs_in_content_streams_are_stripped_too(self):
        original = hostile.pdf_with_inline_photos()
        self.assertIn(hostile.GPS_LATITUDE, self.all_bytes(original))
        cleaned = cleaning.clean(original).data
        content = self.all_bytes(cleaned)
        for secret in (*self.secrets, hostile.GPS_LATITUDE, hostile.GPS_LATITUDE.hex().encode()):
            self.assertNotIn(secret, content)
        pixels = Image.open(io.BytesIO(builders.photo("JPEG"))).convert("RGB").tobytes()
        with pikepdf.open(io.BytesIO(cleaned)) as pdf:
            images = [
                i.iimage
                for i in pikepdf.parse_content_stream(pdf.pages[0])
                if isinstance(i, pikepdf.ContentStreamInlineImage)
            ]
            self.assertEqual(len(images), 2)
            for image in images:
                self.assertEqual(image.as_pil_image().convert("RGB").tobytes(), pixels)

    def test_xmp_and_uuid_boxes_of_a_jpeg_2000_image_are_removed(self):
        original = hostile.pdf_with_jp2()
        self.assertIn(hostile.GPS_LATITUDE, original)
        cleaned = cleaning.clean(original).data
        for secret in (builders.AUTHOR.encode(), b"<x:xmpmeta", hostile.GPS_LATITUDE):
            self.assertNotIn(secret, self.all_bytes(cleaned))
        with pikepdf.open(io.BytesIO(cleaned)) as pdf:
            decoded = pikepdf.PdfImage(pdf.pages[0].Resources.XObject.Im0).as_pil_image()
            self.assertEqual(decoded.convert("RGB").getpixel((5, 5)), (255, 0, 0))

    def test_the_segment_parser_keeps_scans_and_drops_what_follows_the_image(self):
        jpeg = builders.photo("JPEG")
        stripped = cleaning.strip_jpeg(jpeg + b"trailing secret")
        self.assertTrue(stripped.endswith(b"\xff\xd9"))
        self.assertNotIn(b"Exif", stripped)
        self.assertNotIn(builders.AUTHOR.encode(), stripped)  # the JPEG comment
        self.assertEqual(Image.open(io.BytesIO(stripped)).tobytes(), Image.open(io.BytesIO(jpeg)).tobytes())
        progressive = io.BytesIO()
        Image.open(io.BytesIO(jpeg)).save(progressive, "JPEG", progressive=True, exif=piexif.dump({}))
        stripped = cleaning.strip_jpeg(progressive.getvalue())
        self.assertNotIn(b"Exif", stripped)
        self.assertEqual(Image.open(io.BytesIO(stripped)).tobytes(), Image.open(progressive).tobytes())
        with self.assertRaises(ValueError):
            cleaning.strip_jpeg(b"<html>")


class RefusalTests(SimpleTestCase):
    def assert_refused(self, data: bytes, words: str) -> None:
        with translation.override("en"), self.assertRaises(cleaning.Refused) as raised:
            cleaning.clean(data)
        self.assertIn(words, str(raised.exception))

    def test_it_refuses_an_empty_file(self):
        self.assert_refused(b"", "empty")
        self.assert_refused(b"   \n", "empty")

    def test_it_refuses_an_encrypted_pdf(self):
        self.assert_refused(builders.encrypted_pdf(), "password")

    def test_it_refuses_a_corrupt_pdf_and_a_corrupt_image(self):
        self.assert_refused(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "damaged")
        self.assert_refused(builders.photo()[:200], "image")

    def test_it_refuses_a_pdf_that_is_also_a_zip(self):
        self.assert_refused(builders.zip_polyglot(), "archive")

    def test_it_refuses_html_named_like_an_image(self):
        # The name does not matter (we never look at it): the content is HTML.
        self.assert_refused(b"<!DOCTYPE html><html><script>alert(1)</script></html>", "markup")
        self.assert_refused(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "markup")

    def test_it_refuses_unknown_binary_content(self):
        self.assert_refused(b"\x00\x01\x02MZ\x90\x00binary", "not accepted")

    @override_settings(DOCUMENTS_MAX_BYTES=1000)
    def test_it_refuses_a_file_over_the_size_limit(self):
        self.assert_refused(builders.pdf("x" * 50), "larger than")

    @override_settings(DOCUMENTS_MAX_PAGES=2)
    def test_it_refuses_a_pdf_over_the_page_limit(self):
        self.assert_refused(builders.pdf("un", "deux", "trois"), "more than 2 pages")

    def test_it_accepts_plain_text_as_utf8(self):
        cleaned = cleaning.clean("Compte rendu\r\nde la réunion\fpage deux".encode())
        self.assertEqual(cleaned.file_type, FileType.TEXT)
        self.assertEqual(cleaned.page_count, 2)
        self.assertEqual(cleaned.data.decode(), "Compte rendu\nde la réunion\fpage deux")


class ZipSignatureTests(SimpleTestCase):
    def test_zip_signature_bytes_by_chance_are_not_a_polyglot(self):
        # Compressed streams contain any 4 bytes sooner or later; only a real archive is refused.
        data = builders.pdf("Budget") + b"\n% PK\x03\x04 PK\x05\x06 by chance\n"
        self.assertEqual(cleaning.clean(data).file_type, FileType.PDF)

    def test_an_image_with_a_zip_appended_is_refused(self):
        with translation.override("en"), self.assertRaisesMessage(cleaning.Refused, "archive"):
            cleaning.clean(builders.photo() + builders.zip_archive())
