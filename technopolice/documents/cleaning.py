"""Decide what an upload really is, refuse what is dangerous, and strip what identifies people.

Everything here works on bytes in memory: the original upload is never written to
disk, only what ``clean()`` returns is stored. The type comes from the content (magic
bytes, then a full parse), never from the file name or the browser's claim.
"""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

import pikepdf
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from technopolice.lib.images import ImageRefused, strip_metadata

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
    """The cleaned, metadata-free form of an upload; raises Refused for anything we will not store."""
    _check_size(data)
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
        with Image.open(io.BytesIO(data)) as probe:
            if getattr(probe, "n_frames", 1) > 1:
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
    _strip_resources(page.obj.get("/Resources"))


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


def _strip_resources(resources) -> None:
    """Images and forms may carry their own XMP packet (the camera's, the scanner's)."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return
    for _name, xobject in xobjects.items():
        if isinstance(xobject, pikepdf.Stream):
            for key in ("/Metadata", "/PieceInfo"):
                if key in xobject:
                    del xobject[key]
