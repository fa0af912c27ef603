"""A signatory's copy of the mandate they gave, as a PDF they keep.

It holds what the server can read: the campaign, who files it and with whom, the mandate version
accepted (number, date, SHA-256 and the whole text, as on its public page), the grievances joined
and the dates. Not the name or address: those are sealed to the organiser's key. The person may
type a name for their own copy; it is written into the file and kept nowhere.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import pdfs
from .models import Signatory


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def lines(signatory: Signatory, name: str = "") -> list[tuple[str, str]]:
    """(label, value) pairs, in the order printed; the mandate text comes after them."""
    campaign, mandate = signatory.campaign, signatory.mandate
    rows = [
        (_("Collective complaint"), campaign.title),
        (_("Filing organisation"), campaign.filing_organisation),
        (_("Filed with"), campaign.authority),
    ]
    if name:
        rows.append((_("Signed by"), name))
    rows += [
        (
            _("Mandate version"),
            _("%(number)s of %(date)s") % {"number": mandate.number, "date": _when(mandate.created_at)},
        ),
        (_("SHA-256 of the mandate"), signatory.mandate_hash),
        (_("Grievances joined"), "; ".join(g.title for g in signatory.grievances.all())),
        (_("Signed on"), _when(signatory.signed_at)),
        (
            _("Confirmed on"),
            _when(signatory.confirmed_at) if signatory.confirmed_at else _("not confirmed yet"),
        ),
        (_("Copy made on"), _when(timezone.now())),
    ]
    return rows


def to_pdf(signatory: Signatory, name: str = "") -> bytes:
    pdf = pdfs.new_pdf()
    width = pdf.epw
    pdf.set_font(size=14)
    pdf.multi_cell(width, 8, pdfs.writable(pdf, _("My mandate")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(size=10)
    pdf.ln(2)
    for label, value in lines(signatory, name):
        pdf.multi_cell(width, 6, pdfs.writable(pdf, f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(size=12)
    pdf.multi_cell(width, 7, pdfs.writable(pdf, _("The text of the mandate")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(size=10)
    pdf.multi_cell(width, 5, pdfs.writable(pdf, signatory.mandate.text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    note = _(
        "Your name and address are sealed to the filing organisation's key: the platform cannot "
        "read them, and did not write them here."
    )
    if name:
        note = _(
            "Your name and address are sealed to the filing organisation's key: the platform cannot "
            "read them. The name above is the one you typed for this copy; it was not kept."
        )
    pdf.multi_cell(width, 5, pdfs.writable(pdf, note), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
