"""The file handed to the authority: CSV, or a PDF list of mandates, always with an audit entry."""

import csv
import io
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from .models import Campaign, ExportLog

# DejaVu covers every Latin, Greek and Cyrillic name; without it, fall back to a core font.
FONTS = Path("/usr/share/fonts/truetype/dejavu")


def rows(campaign: Campaign, grievance=None):
    signatories = campaign.signatories.confirmed().select_related("mandate", "department")
    if grievance is not None:
        signatories = signatories.filter(grievances=grievance)
    for s in signatories.prefetch_related("grievances").order_by("confirmed_at", "pk"):
        yield {
            "last_name": s.last_name,
            "first_name": s.first_name,
            "email": s.email,
            "address": s.address,
            "department": s.department.code if s.department else "",
            "signed": timezone.localtime(s.confirmed_at).strftime("%Y-%m-%d %H:%M"),
            "mandate": f"{s.mandate.number} ({s.mandate_hash[:12]})",
            "grievances": "; ".join(g.title for g in s.grievances.all()),
        }


def headers() -> dict:
    return {
        "last_name": _("Last name"),
        "first_name": _("First name"),
        "email": _("Email"),
        "address": _("Address"),
        "department": _("Department"),
        "signed": _("Confirmed on"),
        "mandate": _("Mandate version"),
        "grievances": _("Grievances"),
    }


def _inert(value: str) -> str:
    """A name like "=HYPERLINK(...)" must stay text when the file is opened in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(data: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(headers()))
    writer.writerow(headers())
    writer.writerows({k: _inert(v) for k, v in row.items()} for row in data)
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet software read accents


def _pdf() -> FPDF:
    pdf = FPDF(orientation="L")
    pdf.set_auto_page_break(True, margin=12)
    if (FONTS / "DejaVuSans.ttf").exists():
        pdf.add_font("body", fname=str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("body", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.set_font("body", size=9)
    else:  # core font: Latin-1 only; other characters are replaced rather than failing
        pdf.set_font("Helvetica", size=9)
    pdf.add_page()
    return pdf


def _cell(pdf: FPDF, text: str) -> str:
    return text if pdf.font_family == "body" else text.encode("latin-1", "replace").decode("latin-1")


def to_pdf(campaign: Campaign, data: list[dict]) -> bytes:
    pdf = _pdf()
    pdf.multi_cell(
        0, 6, _cell(pdf, f"{campaign.title} — {campaign.filing_organisation} → {campaign.authority}")
    )
    columns = ["last_name", "first_name", "signed", "mandate", "grievances"]
    with pdf.table(col_widths=(40, 40, 35, 35, 120)) as table:
        table.row([_cell(pdf, str(headers()[c])) for c in columns])
        for row in data:
            table.row([_cell(pdf, row[c]) for c in columns])
    return bytes(pdf.output())


def export(campaign: Campaign, user, grievance, file_format: str) -> tuple[bytes, int]:
    """Build the file and write the audit entry in the same transaction: no file without a trace."""
    with transaction.atomic():
        data = list(rows(campaign, grievance))
        content = to_csv(data) if file_format == "csv" else to_pdf(campaign, data)
        ExportLog.objects.create(
            campaign=campaign,
            user=user,
            grievance=grievance.title if grievance else "",
            file_format=file_format,
            rows=len(data),
        )
    return content, len(data)
