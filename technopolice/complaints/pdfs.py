"""What the complaints' PDFs share: a page with a font that writes every signatory's name."""

from pathlib import Path

from fpdf import FPDF

# DejaVu covers every Latin, Greek and Cyrillic name; without it, fall back to a core font.
FONTS = Path("/usr/share/fonts/truetype/dejavu")


def new_pdf(orientation: str = "P", size: int = 10, margin: int = 15) -> FPDF:
    """A PDF with its first page, in DejaVu ("body") when installed, Helvetica otherwise."""
    pdf = FPDF(orientation=orientation)
    pdf.set_auto_page_break(True, margin=margin)
    if (FONTS / "DejaVuSans.ttf").exists():
        pdf.add_font("body", fname=str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("body", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.set_font("body", size=size)
    else:
        pdf.set_font("Helvetica", size=size)
    pdf.add_page()
    return pdf


def writable(pdf: FPDF, text: str) -> str:
    """``text`` as the font can write it: the core font is Latin-1 only, other characters are
    replaced rather than failing."""
    return text if pdf.font_family == "body" else text.encode("latin-1", "replace").decode("latin-1")
