"""Decide what an upload really is, refuse what is dangerous, and strip what identifies people.

Everything here works on bytes in memory: the original upload is never written to
disk, only what ``clean()`` returns is stored. The type comes from the content (magic
bytes, then a full parse), never from the file name or the browser's claim.
"""

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

import pikepdf
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from technopolice.lib import jail
from technopolice.lib.images import ImageRefused, header_size, photo_format, strip_metadata

from .models import FileType

# Markup a browser would run or render if it ever sniffed the file as HTML.
_MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|\?xml)", re.IGNORECASE)


class Refused(ValueError):
    """The upload cannot be accepted; the message says why, in words the sender understands."""


@dataclass(frozen=True)
class Cleaned:
    file_type: FileType
    data: bytes
    page_count: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def clean(data: bytes) -> Cleaned:
    """The cleaned, metadata-free form of an upload; raises Refused for anything we will not store.

    Past the size check, the file is read in a child process (lib.jail) limited in memory and
    time: a file built to exhaust them is refused, the worker that received it carries on.
    """
    _check_size(data)
    try:
        return jail.run(_clean, data, limits=jail.upload_limits())
    except jail.Refused as refused:
        raise Refused(str(refused)) from None


def _clean(data: bytes) -> Cleaned:
    file_type = detect(data)
    cleaner = {FileType.PDF: clean_pdf, FileType.TEXT: clean_text}.get(file_type, clean_image)
    return cleaner(data, file_type)


def _check_size(data: bytes) -> None:
    if not data.strip():
        raise Refused(_("The file is empty."))
    limit = settings.DOCUMENTS_MAX_BYTES
    if len(data) > limit:
        raise Refused(_("The file is larger than %(mb).0f MB.") % {"mb": limit / 1024 / 1024})


def detect(data: bytes) -> FileType:
    """The file type from its first bytes; polyglots (a ZIP hidden inside) are refused whatever they claim."""
    # A ZIP is read from its end (the central directory), so it can hide behind any other format.
    # Checking for a real central directory, not just the 4-byte signature, avoids refusing the
    # compressed streams and pixels where those bytes appear by chance.
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise Refused(_("The file hides an archive inside it (a disguised or polyglot file)."))
    head = data[:16]
    if b"%PDF-" in data[:1024]:  # the PDF specification lets readers find the header this far in
        return FileType.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return FileType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType.PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType.WEBP
    if _is_plain_text(data):
        return FileType.TEXT
    raise Refused(
        _("This kind of file is not accepted: send a PDF, a JPEG, PNG or WebP image, or plain text.")
    )


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if _MARKUP.search(data):
        raise Refused(_("The file contains web page markup (HTML, SVG or XML): it is refused."))
    return all(c.isprintable() or c in "\n\r\t\f" for c in text)


def clean_text(data: bytes, file_type: FileType) -> Cleaned:
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    return Cleaned(FileType.TEXT, text.encode("utf-8"), text.count("\f") + 1)


# -- Images ----------------------------------------------------------------------------------


def clean_image(data: bytes, file_type: FileType) -> Cleaned:
    """Re-encode the pixels alone (lib.images): EXIF (GPS, serial, author), XMP, ICC, comments stay behind."""
    try:
        header_size(data)  # a pixel flood is refused from its header, before anything is decoded
        with Image.open(io.BytesIO(data)) as probe:
            if getattr(probe, "n_frames", 1) > 1 and photo_format(probe) != "JPEG":
                raise Refused(_("Animated images are not accepted."))
        image = strip_metadata(data)
    except ImageRefused as refused:
        raise Refused(str(refused)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise Refused(_("This file is not a readable image.")) from None
    found = _IMAGE_TYPES[image.mime]
    if found != file_type:  # the first bytes said one format, the decoder found another
        raise Refused(_("The file's content does not match its type."))
    return Cleaned(file_type, image.content, 1)


_IMAGE_TYPES = {"image/jpeg": FileType.JPEG, "image/png": FileType.PNG, "image/webp": FileType.WEBP}


# -- PDF -------------------------------------------------------------------------------------

# Catalogue entries that run code, open something on their own or carry identifying data.
_ROOT_KEYS = (
    "/Metadata",
    "/OpenAction",
    "/AA",
    "/AF",
    "/AcroForm",
    "/PieceInfo",
    "/SpiderInfo",
    "/Threads",
    "/URI",
)
_PAGE_KEYS = ("/AA", "/AF", "/Metadata", "/PieceInfo", "/Thumb")
_NAME_TREES = ("/EmbeddedFiles", "/JavaScript")


def clean_pdf(data: bytes, file_type: FileType = FileType.PDF) -> Cleaned:
    """Rewrite the PDF without document information, XMP, attachments, JavaScript or automatic actions."""
    pdf = _open_pdf(data)
    with pdf:
        _check_pages(pdf)
        _strip_catalogue(pdf)
        for page in pdf.pages:
            _strip_page(page)
        _strip_objects(pdf)
        out = io.BytesIO()
        # A deterministic /ID: the same cleaned content gives the same bytes, so duplicates are found.
        # qpdf keeps the first half of the original /ID, the source file's permanent identifier (which
        # can tie the upload to the file on its author's machine; two copies made a second apart had
        # different ones, and were not found to be duplicates): it is dropped, so both halves are
        # computed from the cleaned content.
        if "/ID" in pdf.trailer:
            del pdf.trailer["/ID"]
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return Cleaned(FileType.PDF, out.getvalue(), len(pdf.pages))


def _open_pdf(data: bytes) -> pikepdf.Pdf:
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Refused(_("The PDF is protected by a password: send it without protection.")) from None
    except (pikepdf.PdfError, ValueError, RuntimeError):
        raise Refused(_("The PDF is damaged and cannot be read.")) from None
    if pdf.is_encrypted:
        pdf.close()
        raise Refused(_("The PDF is encrypted: send it without protection."))
    return pdf


def _check_pages(pdf: pikepdf.Pdf) -> None:
    try:
        count = len(pdf.pages)
    except pikepdf.PdfError:
        raise Refused(_("The PDF is damaged and cannot be read.")) from None
    if count == 0:
        raise Refused(_("The PDF has no pages."))
    if count > settings.DOCUMENTS_MAX_PAGES:
        raise Refused(_("The PDF has more than %(max)d pages.") % {"max": settings.DOCUMENTS_MAX_PAGES})


def _strip_catalogue(pdf: pikepdf.Pdf) -> None:
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    root = pdf.Root
    for key in _ROOT_KEYS:
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key in _NAME_TREES:
            if key in names:
                del names[key]


def _strip_page(page: pikepdf.Page) -> None:
    for key in _PAGE_KEYS:
        if key in page.obj:
            del page.obj[key]
    annots = page.obj.get("/Annots")
    if isinstance(annots, pikepdf.Array):
        # Attachments and script-bearing annotations go; links and notes stay.
        kept = [a for a in annots if isinstance(a, pikepdf.Dictionary) and _harmless(a)]
        page.obj["/Annots"] = pikepdf.Array(kept)


def _harmless(annotation: pikepdf.Dictionary) -> bool:
    if annotation.get("/Subtype") in ("/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia"):
        return False
    action = annotation.get("/A")
    if isinstance(action, pikepdf.Dictionary) and action.get("/S") in (
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
    ):
        return False
    return "/AA" not in annotation


# Keys of any dictionary or stream that carry who made it, with what, rather than content: an XMP
# packet (/Metadata) can sit on a page, an image, a form, a font or an annotation.
_OBJECT_KEYS = ("/Metadata", "/PieceInfo")


def _strip_objects(pdf: pikepdf.Pdf) -> None:
    """Remove XMP everywhere and the EXIF, XMP and IPTC that JPEG images carry inside their own bytes.

    Streams are always indirect objects, so one pass over the file's objects reaches every image at
    every depth (on a page, in a form drawn by a form, in an annotation's appearance, a pattern or
    a soft mask) without following references: a form that draws itself cannot loop it.
    """
    try:
        drawn = {}  # content streams, which may hold JPEGs inline (BI ... ID ... EI)
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
                if isinstance(stream, pikepdf.Stream):
                    drawn[stream.objgen] = stream
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            for key in _OBJECT_KEYS:
                if key in obj:
                    del obj[key]
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                _strip_image(pdf, obj)
            elif isinstance(obj, pikepdf.Stream) and (
                obj.get("/Subtype") == "/Form" or "/PatternType" in obj
            ):
                drawn[obj.objgen] = obj
        for stream in drawn.values():
            _strip_inline_images(pdf, stream)
    except Refused:
        raise
    except (pikepdf.PdfError, ValueError):
        raise Refused(_("The PDF contains an image that cannot be read.")) from None


# A content stream is inflated this far, at most, to look for inline JPEGs: one inflating further
# is no page anyone drew but a decompression bomb, and is refused.
_CONTENT_SCAN_BYTES = 128 * 1024 * 1024
_PIECE = 1024 * 1024
_FLATE = ("/FlateDecode", "/Fl")


def _may_hold_inline_jpeg(pdf: pikepdf.Pdf, stream: pikepdf.Stream) -> bool:
    filters = stream.get("/Filter")
    chain = [str(f) for f in (filters if isinstance(filters, pikepdf.Array) else [filters]) if f is not None]
    if not any(f in _FLATE for f in chain):
        return b"DCT" in (stream.read_bytes() if chain else stream.read_raw_bytes())
    if "/DecodeParms" in stream:
        return True  # predictors and the like: let the parser decode it, within the jail's limits
    first = next(i for i, f in enumerate(chain) if f in _FLATE)
    data = _decoded(pdf, stream.read_raw_bytes(), chain[:first])  # ASCII encodings only shrink
    data = _decoded(pdf, _inflated(data), chain[first + 1 :])
    return b"DCT" in data


def _decoded(pdf: pikepdf.Pdf, data: bytes, chain: list[str]) -> bytes:
    if not chain:
        return data
    return pikepdf.Stream(pdf, data, Filter=pikepdf.Array([pikepdf.Name(f) for f in chain])).read_bytes()


def _inflated(data: bytes) -> bytes:
    inflate, pieces, seen = zlib.decompressobj(), [], 0
    try:
        while True:
            piece = inflate.decompress(data, _PIECE)
            data, seen = inflate.unconsumed_tail, seen + len(piece)
            pieces.append(piece)
            if seen > _CONTENT_SCAN_BYTES:
                raise Refused(_("The PDF has a page whose content is too large to be read."))
            if not data and len(piece) < _PIECE:
                break
    except zlib.error:
        pass  # a broken stream: what it held up to the break is what readers could show
    return b"".join(pieces)


def _strip_inline_images(pdf: pikepdf.Pdf, stream: pikepdf.Stream) -> None:
    """JPEGs written inside a content stream (BI ... ID ... EI) carry their EXIF and XMP like the others."""
    if not _may_hold_inline_jpeg(pdf, stream):
        return
    pieces, changed = [], False
    for instruction in pikepdf.parse_content_stream(stream):
        image = instruction.iimage if isinstance(instruction, pikepdf.ContentStreamInlineImage) else None
        chain = [str(f) for f in image.filters] if image is not None else []
        if not chain or chain[-1] != "/DCTDecode":
            pieces.append(pikepdf.unparse_content_stream([instruction]))
            continue
        jpeg = _unwrapped_jpeg(pdf, image.read_raw_bytes(), chain, image.obj.get("/DecodeParms"))
        entries = [pikepdf.Name.Filter, pikepdf.Name.DCTDecode]
        for key, value in image.obj.items():
            if key not in ("/Filter", "/DecodeParms"):
                entries += [pikepdf.Name(key), value]
        keys = pikepdf.Array(entries).unparse()[1:-1]  # the dictionary's entries without brackets
        pieces.append(b"BI " + keys + b" ID " + strip_jpeg(jpeg) + b" EI")
        changed = True
    if changed:
        stream.write(b"\n".join(pieces))


def _strip_image(pdf: pikepdf.Pdf, image: pikepdf.Stream) -> None:
    filters = image.get("/Filter")
    chain = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    if chain == ["/JPXDecode"]:
        stripped = strip_jp2(image.read_raw_bytes())
        image.write(stripped, filter=pikepdf.Name.JPXDecode)
        return
    if not chain or chain[-1] != "/DCTDecode":
        return  # raw or losslessly compressed pixels carry no metadata of their own
    parms = image.get("/DecodeParms")
    raw = image.read_raw_bytes()
    jpeg = _unwrapped_jpeg(pdf, raw, chain, parms)
    stripped = strip_jpeg(jpeg)
    if stripped != raw:
        last = parms[-1] if isinstance(parms, pikepdf.Array) else parms
        image.write(stripped, filter=pikepdf.Name.DCTDecode, decode_parms=last or None)


def _unwrapped_jpeg(pdf: pikepdf.Pdf, raw: bytes, chain: list, parms) -> bytes:
    """Undo the generic filters (Flate, ASCII85...) put around a JPEG, keep the JPEG coded as it is."""
    if len(chain) == 1:
        return raw
    parms = list(parms) if isinstance(parms, pikepdf.Array) else [parms] * len(chain)
    around = pikepdf.Stream(pdf, raw, Filter=pikepdf.Array([pikepdf.Name(f) for f in chain[:-1]]))
    if any(p is not None for p in parms[:-1]):
        around.DecodeParms = pikepdf.Array(parms[:-1])
    return around.read_bytes()


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG without its application segments and comments, its coded pixels untouched (no re-encoding).

    APP1 (EXIF with GPS, serial, owner, maker notes and thumbnail; XMP), APP13 (IPTC), APP2 (ICC
    profile: in a PDF the image dictionary's colour space governs, the embedded profile is not
    used) and every other APPn go, as do COM segments and anything after the end of the image.
    Kept: the JFIF header without its thumbnail, and Adobe's APP14, whose colour-transform flag
    decoders need to read CMYK and YCCK images.
    """
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    out, pos, size = [b"\xff\xd8"], 2, len(data)
    while pos < size:
        if data[pos] != 0xFF:
            raise ValueError("a JPEG segment does not start with a marker")
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos == size:
            break
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # end of image
            out.append(b"\xff\xd9")
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out.append(bytes((0xFF, marker)))
            continue
        length = int.from_bytes(data[pos : pos + 2])
        if length < 2 or pos + length > size:
            raise ValueError("a JPEG segment runs past the end of the file")
        segment, body = data[pos - 2 : pos + length], data[pos + 2 : pos + length]
        pos += length
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            if marker == 0xE0 and body.startswith(b"JFIF\x00") and len(body) >= 14:
                out.append(b"\xff\xe0\x00\x10" + body[:12] + b"\x00\x00")
            elif marker == 0xEE and body.startswith(b"Adobe"):
                out.append(segment)
            continue
        out.append(segment)
        if (
            marker == 0xDA
        ):  # start of scan: coded data up to the next marker that is not a restart or a stuffed byte
            end = pos
            while (end := data.find(b"\xff", end)) != -1 and end + 1 < size:
                if data[end + 1] not in _IN_SCAN:
                    break
                end += 1
            end = size if end == -1 or end + 1 >= size else end
            out.append(data[pos:end])
            pos = end
    return b"".join(out)


# The boxes of a JPEG 2000 file that make the image; the others (XML with XMP, UUID boxes with
# GeoJP2 positions or EXIF, URL and IPR boxes) describe it and go.
_JP2_KEPT = frozenset((b"jP  ", b"ftyp", b"rreq", b"jp2h", b"jp2c", b"jpch", b"jplh"))


def strip_jp2(data: bytes) -> bytes:
    """A JPEG 2000 file (JP2 boxes) without its metadata boxes; a bare codestream is left as it is."""
    if not data.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n"):
        return data
    out, pos = [], 0
    while pos < len(data):
        length, kind = int.from_bytes(data[pos : pos + 4]), data[pos + 4 : pos + 8]
        header = 8
        if length == 1:  # a 64-bit length follows the type
            length, header = int.from_bytes(data[pos + 8 : pos + 16]), 16
        elif length == 0:  # the last box runs to the end of the file
            length = len(data) - pos
        if length < header or pos + length > len(data):
            raise ValueError("a JPEG 2000 box runs past the end of the file")
        if kind in _JP2_KEPT:
            out.append(data[pos : pos + length])
        pos += length
    return b"".join(out)


# After 0xFF inside coded data: a stuffed zero, a restart marker, or another fill byte.
_IN_SCAN = frozenset((0x00, 0xFF, *range(0xD0, 0xD8)))
