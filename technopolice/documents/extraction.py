"""Read the text of a stored document, page by page; scanned pages go through OCR when it is installed.

A PDF page without a text layer is recognised with Tesseract (French and English) from
the images drawn on it; without Tesseract (or with DOCUMENTS_OCR=False) it is left empty
and the document is marked "no text layer", so readers know why search misses it.
"""

import io
import shutil
from dataclasses import dataclass
from functools import cache

import pypdf
from django.conf import settings
from PIL import Image

from .models import ExtractionStatus, FileType, PageMethod

# Below this many letters a "text layer" is only a page number or a stamp: read the scan instead.
MIN_TEXT_CHARS = 20


@dataclass(frozen=True)
class PageText:
    number: int
    text: str
    method: str


@cache
def tesseract_installed() -> bool:
    """Tesseract and the language data we need (fra, eng) are on this machine."""
    if shutil.which("tesseract") is None:
        return False
    import pytesseract

    wanted = set(settings.DOCUMENTS_OCR_LANGUAGES.split("+"))
    return wanted <= set(pytesseract.get_languages(config=""))


def ocr_enabled() -> bool:
    return settings.DOCUMENTS_OCR and tesseract_installed()


def read_pages(data: bytes, file_type: str) -> list[PageText]:
    if file_type == FileType.PDF:
        return _pdf_pages(data)
    if file_type == FileType.TEXT:
        return [
            PageText(n, t.strip(), PageMethod.TEXT_LAYER) for n, t in enumerate(data.decode().split("\f"), 1)
        ]
    return [_scanned(1, [Image.open(io.BytesIO(data))])]


def status_of(pages: list[PageText]) -> str:
    if any(p.method == PageMethod.NONE for p in pages):
        return ExtractionStatus.NO_TEXT_LAYER
    return ExtractionStatus.DONE


def _pdf_pages(data: bytes) -> list[PageText]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [_pdf_page(number, page) for number, page in enumerate(reader.pages, 1)]


def _pdf_page(number: int, page: pypdf.PageObject) -> PageText:
    text = _guarded(lambda: (page.extract_text() or "").strip(), "")
    if len(text) >= MIN_TEXT_CHARS:
        return PageText(number, text, PageMethod.TEXT_LAYER)
    scanned = _scanned(number, _guarded(lambda: [image.image for image in page.images], []))
    if scanned.method == PageMethod.NONE and text:
        return PageText(number, text, PageMethod.TEXT_LAYER)
    return scanned


def _guarded(read, fallback):
    """One unreadable page (a broken content stream, a JBIG2 scan pypdf cannot decode) must not
    cost the document its other pages: that page is left without text instead."""
    try:
        return read()
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on damaged pages
        return fallback


def _scanned(number: int, images: list[Image.Image]) -> PageText:
    if not images or not ocr_enabled():
        return PageText(number, "", PageMethod.NONE)
    import pytesseract

    lang = settings.DOCUMENTS_OCR_LANGUAGES
    text = "\n".join(pytesseract.image_to_string(_ocr_ready(i), lang=lang) for i in images).strip()
    return PageText(number, text, PageMethod.OCR if text else PageMethod.NONE)


def _ocr_ready(image: Image.Image) -> Image.Image:
    return image if image.mode in ("RGB", "L") else image.convert("RGB")
