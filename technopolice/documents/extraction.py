"""Read the text of a stored document, page by page; scanned pages go through OCR when it is installed.

A PDF page without a text layer is recognised with Tesseract (French and English) from
the images drawn on it; without Tesseract (or with DOCUMENTS_OCR=False) it is left empty
and the document is marked "no text layer", so readers know why search misses it.

OCR is the one slow step (seconds a page), so one document may only spend so much of it
(settings.DOCUMENTS_OCR_MAX_PAGES, _MAX_PIXELS a page, _MAX_SECONDS): a small PDF of hundreds
of scanned pages must not hold the worker for hours. Pages past a limit are kept, marked
"not read: limit reached", and the document "partly read", so readers know what search misses.
"""

import io
import shutil
import time
from dataclasses import dataclass
from functools import cache

import pypdf
from django.conf import settings
from PIL import Image

from technopolice.lib import jail

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


@dataclass
class OcrBudget:
    """What OCR may still spend on one document."""

    pages: int
    deadline: float  # time.monotonic()

    @classmethod
    def from_settings(cls) -> "OcrBudget":
        return cls(settings.DOCUMENTS_OCR_MAX_PAGES, time.monotonic() + settings.DOCUMENTS_OCR_MAX_SECONDS)

    def seconds_left(self) -> float:
        return self.deadline - time.monotonic()

    def allows_a_page(self) -> bool:
        return self.pages > 0 and self.seconds_left() > 0


def read_pages(data: bytes, file_type: str) -> list[PageText]:
    """Every page's text, read in a child process (lib.jail): a stored file that would exhaust the
    worker's memory or time (a stream inflating to gigabytes, a form drawing itself) raises
    jail.Refused, and the document is marked failed; the worker goes on with the next task."""
    return jail.run(_read_pages, data, file_type, limits=_limits())


def _limits() -> jail.Limits:
    return jail.Limits(
        memory_mb=settings.DOCUMENTS_EXTRACTION_MEMORY_MB,
        cpu_seconds=settings.DOCUMENTS_EXTRACTION_CPU_SECONDS,
        wall_seconds=settings.DOCUMENTS_EXTRACTION_SECONDS,
        # OCR writes each page's image to a temporary file for tesseract: a page can outweigh an upload.
        file_mb=4 * settings.JAIL_FILE_MB,
    )


def _read_pages(data: bytes, file_type: str) -> list[PageText]:
    budget = OcrBudget.from_settings()
    if file_type == FileType.PDF:
        return _pdf_pages(data, budget)
    if file_type == FileType.TEXT:
        return [
            PageText(n, t.strip(), PageMethod.TEXT_LAYER) for n, t in enumerate(data.decode().split("\f"), 1)
        ]
    # Image.open reads only the header: a pixel flood is refused before it is decoded.
    return [_scanned(1, [Image.open(io.BytesIO(data))], budget)]


def status_of(pages: list[PageText]) -> str:
    if any(p.method == PageMethod.SKIPPED for p in pages):
        return ExtractionStatus.PARTIAL
    if any(p.method == PageMethod.NONE for p in pages):
        return ExtractionStatus.NO_TEXT_LAYER
    return ExtractionStatus.DONE


def _pdf_pages(data: bytes, budget: OcrBudget) -> list[PageText]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [_pdf_page(number, page, budget) for number, page in enumerate(reader.pages, 1)]


def _pdf_page(number: int, page: pypdf.PageObject, budget: OcrBudget) -> PageText:
    text = _guarded(lambda: (page.extract_text() or "").strip(), "")
    if len(text) >= MIN_TEXT_CHARS:
        return PageText(number, text, PageMethod.TEXT_LAYER)
    scanned = _scanned_pdf_page(number, page, budget)
    if scanned.method == PageMethod.NONE and text:
        return PageText(number, text, PageMethod.TEXT_LAYER)
    if scanned.method == PageMethod.SKIPPED:
        return PageText(number, text, PageMethod.SKIPPED)
    return scanned


def _scanned_pdf_page(number: int, page: pypdf.PageObject, budget: OcrBudget) -> PageText:
    # Counting a page's images and reading their declared sizes decodes nothing: a page past a
    # limit costs no decoding at all.
    if not ocr_enabled() or not _guarded(lambda: len(page.images), 0):
        return PageText(number, "", PageMethod.NONE)
    if (
        not budget.allows_a_page()
        or _guarded(lambda: _declared_pixels(page), 0) > settings.DOCUMENTS_OCR_MAX_PIXELS
    ):
        return PageText(number, "", PageMethod.SKIPPED)
    return _scanned(number, _guarded(lambda: [image.image for image in page.images], []), budget)


def _declared_pixels(owner, depth: int = 0, seen: set | None = None) -> int:
    """Width x height of the images a page (or a form drawn on it) declares, forms included;
    a form reached twice (a reference loop) or nested too deep counts once."""
    seen = set() if seen is None else seen
    resources = owner.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None or depth > 8:
        return 0
    total = 0
    for reference in xobjects.get_object().values():
        key = getattr(reference, "idnum", None) or id(reference)
        if key in seen:
            continue
        seen.add(key)
        xobject = reference.get_object()
        if xobject.get("/Subtype") == "/Image":
            total += int(xobject.get("/Width", 0)) * int(xobject.get("/Height", 0))
        elif xobject.get("/Subtype") == "/Form":
            total += _declared_pixels(xobject, depth + 1, seen)
    return total


def _guarded(read, fallback):
    """One unreadable page (a broken content stream, a JBIG2 scan pypdf cannot decode) must not
    cost the document its other pages: that page is left without text instead. Running out of
    memory is not a damaged page: it stops the reading (lib.jail refuses the document)."""
    try:
        return read()
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on damaged pages
        return fallback


def _scanned(number: int, images: list[Image.Image], budget: OcrBudget) -> PageText:
    if not images or not ocr_enabled():
        return PageText(number, "", PageMethod.NONE)
    # Checked again on the images themselves: inline images declare no size in the resources.
    if (
        not budget.allows_a_page()
        or sum(i.width * i.height for i in images) > settings.DOCUMENTS_OCR_MAX_PIXELS
    ):
        return PageText(number, "", PageMethod.SKIPPED)
    import pytesseract

    budget.pages -= 1
    lang = settings.DOCUMENTS_OCR_LANGUAGES
    try:
        # Tesseract is killed when the document's time is up (pytesseract raises RuntimeError).
        text = "\n".join(
            pytesseract.image_to_string(_ocr_ready(i), lang=lang, timeout=max(budget.seconds_left(), 0.1))
            for i in images
        ).strip()
    except RuntimeError:
        if budget.seconds_left() > 0:  # a TesseractError, not the time limit: the task fails as before
            raise
        return PageText(number, "", PageMethod.SKIPPED)
    return PageText(number, text, PageMethod.OCR if text else PageMethod.NONE)


def _ocr_ready(image: Image.Image) -> Image.Image:
    return image if image.mode in ("RGB", "L") else image.convert("RGB")
