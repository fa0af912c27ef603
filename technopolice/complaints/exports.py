"""The filing export: one zip handed to the authority, opened with the organiser's private key.

Identities are sealed to the campaign's public key (lib.sealing): only the private key, which
the organiser keeps offline and hands to this export alone, opens them. The zip holds:

- ``signatories.csv`` and ``signatories.pdf``: every confirmed signatory with every field the
  campaign asks for, the mandate version they accepted and its SHA-256;
- ``mandates/v<N>.md``: the exact text of each mandate version used (its SHA-256 is that of the
  file, so anyone can check it against the hash each signatory accepted);
- ``README.txt``: the campaign, the authority, the date, the counts per version and grievance;
- ``SHA256SUMS``: the checksum of every other file (``sha256sum -c SHA256SUMS``).

An export writes its audit entry in the same transaction as it reads: no file without a trace,
and no trace of an export that failed.
"""

import csv
import hashlib
import io
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from nacl.public import PrivateKey

from technopolice.lib import sealing

from .models import Campaign, ExportLog, Grievance, LocationRequired, MandateVersion, Signatory
from .pdfs import new_pdf, writable

CHUNK = 2000  # signatories read per query: memory stays flat for any campaign size


class ExportRefused(Exception):
    """The export cannot be made with what was given; the message says why, for the organiser."""


def check_key(campaign: Campaign, private_key: PrivateKey) -> None:
    """Refuse a private key that is not the campaign's before anything is read or logged."""
    if not campaign.public_key:
        raise ExportRefused(_("This campaign has no public key: no identity was sealed to any key."))
    if sealing.public_key_of(private_key) != campaign.public_key:
        raise ExportRefused(
            _(
                "This private key is not the one of this campaign: its public key is %(given)s, "
                "the campaign's is %(expected)s. No file was made."
            )
            % {"given": sealing.public_key_of(private_key), "expected": campaign.public_key}
        )


def _location_header(campaign: Campaign) -> str:
    if campaign.location_required == LocationRequired.ADDRESS:
        return _("Postal address")
    return _("Commune")


def headers(campaign: Campaign) -> dict:
    """The columns, in order; the address (or commune) only when the campaign asks for it."""
    columns = {"last_name": _("Last name"), "first_name": _("First name"), "email": _("Email")}
    if campaign.location_required != LocationRequired.NONE:
        columns["address"] = _location_header(campaign)
    columns.update(
        {
            "department": _("Department"),
            "confirmed": _("Confirmed on"),
            "mandate": _("Mandate version"),
            "mandate_hash": _("Mandate SHA-256"),
            "grievances": _("Grievances"),
        }
    )
    return columns


def _signatories(campaign: Campaign, grievance: Grievance | None):
    signatories = campaign.signatories.confirmed()
    if grievance is not None:
        signatories = signatories.filter(grievances=grievance)
    return signatories


def _opened(signatory: Signatory, key: PrivateKey) -> dict:
    try:
        return {
            name: sealing.unseal(key, getattr(signatory, f"{name}_sealed"))
            for name in ("last_name", "first_name", "email_filing", "address")
        }
    except sealing.SealingError:
        raise ExportRefused(
            _(
                "Signatory #%(pk)s cannot be opened with this key although the key is the "
                "campaign's: the stored data was altered. No file was made."
            )
            % {"pk": signatory.pk}
        ) from None


def rows(campaign: Campaign, key: PrivateKey, grievance=None, progress: Callable[[], None] | None = None):
    """Each confirmed signatory, opened with the organiser's key, in the order they confirmed."""
    signatories = (
        _signatories(campaign, grievance)
        .select_related("mandate", "department")
        .prefetch_related("grievances")
        .order_by("confirmed_at", "pk")
    )
    with_location = campaign.location_required != LocationRequired.NONE
    for s in signatories.iterator(chunk_size=CHUNK):
        opened = _opened(s, key)
        row = {
            "last_name": opened["last_name"],
            "first_name": opened["first_name"],
            "email": opened["email_filing"],
            "department": s.department.code if s.department else "",
            "confirmed": timezone.localtime(s.confirmed_at).strftime("%Y-%m-%d %H:%M"),
            "mandate": str(s.mandate.number),
            "mandate_hash": s.mandate_hash,
            "grievances": "; ".join(g.title for g in s.grievances.all()),
            "_grievance_titles": [g.title for g in s.grievances.all()],  # for the counts, not a column
        }
        if with_location:
            row["address"] = one_line(opened["address"])
        if progress:
            progress()
        yield row


def one_line(address: str) -> str:
    """The street and "postal code commune" lines of an address, joined for a table cell."""
    return ", ".join(line.strip() for line in address.splitlines() if line.strip())


def _inert(value: str) -> str:
    """A name like "=HYPERLINK(...)" must stay text when the file is opened in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(campaign: Campaign, data: list[dict]) -> bytes:
    out = io.StringIO()
    columns = headers(campaign)
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writerow(columns)
    writer.writerows({k: _inert(row[k]) for k in columns} for row in data)
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet software read accents


# Widths in mm of a landscape A4 page's 277 mm, with and without the address column.
PDF_WIDTHS = {
    True: {
        "last_name": 28,
        "first_name": 28,
        "email": 45,
        "address": 55,
        "department": 22,
        "confirmed": 30,
        "mandate": 16,
        "grievances": 53,
    },
    False: {
        "last_name": 36,
        "first_name": 36,
        "email": 55,
        "department": 22,
        "confirmed": 30,
        "mandate": 18,
        "grievances": 80,
    },
}


LINE = 4  # mm, for the 8-point table


def _wrapped(pdf: FPDF, text: str, width: float, measure) -> list[str]:
    """``text`` cut into lines that fit ``width``, at spaces (a word too long is cut anywhere).
    fpdf2's own tables measure and lay out every cell several times: 35 ms a row, minutes for a
    campaign; this measures with ``measure`` (widths summed per character) and writes plain text."""
    room = width - 2 * pdf.c_margin
    lines = []
    for paragraph in writable(pdf, text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if measure(candidate) <= room:
                line = candidate
                continue
            if line:
                lines.append(line)
            while measure(word) > room and len(word) > 1:
                cut = max(1, int(len(word) * room / measure(word)))
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _measure(pdf: FPDF):
    """The width of a string in the current font, from each character's width, remembered."""
    widths: dict[str, float] = {}

    def measure(text: str) -> float:
        total = 0.0
        for char in text:
            if char not in widths:
                widths[char] = pdf.get_string_width(char)
            total += widths[char]
        return total

    return measure


def _table_row(pdf: FPDF, widths, cells: list[str], measure) -> bool:
    """Draw one bordered row; False, drawing nothing, if it does not fit on this page (a new
    page is then added for the caller to draw the heading and the row again)."""
    wrapped = [_wrapped(pdf, text, width, measure) for text, width in zip(cells, widths, strict=True)]
    height = max(len(lines) for lines in wrapped) * LINE
    top = pdf.get_y()
    if top + height > pdf.h - pdf.b_margin and top > pdf.t_margin + LINE:
        pdf.add_page()
        return True
    x = pdf.l_margin
    for lines, width in zip(wrapped, widths, strict=True):
        pdf.rect(x, top, width, height)
        for number, line in enumerate(lines):
            if line:
                pdf.text(x + pdf.c_margin, top + number * LINE + LINE * 0.75, line)
        x += width
    pdf.set_xy(pdf.l_margin, top + height)
    return False


def to_pdf(campaign: Campaign, data: list[dict], summary: "Summary") -> bytes:
    """The list of mandates for people: the same fields as the CSV (the version's hash is in the
    summary above the table), then the text of each mandate version used."""
    pdf = new_pdf(orientation="L", size=8, margin=12)
    pdf.multi_cell(0, 5, writable(pdf, "\n".join(summary.lines())))
    pdf.ln(3)
    widths = PDF_WIDTHS[campaign.location_required != LocationRequired.NONE]
    columns = headers(campaign)
    heading, measure = [str(columns[c]) for c in widths], _measure(pdf)
    _table_row(pdf, widths.values(), heading, measure)
    for row in data:
        cells = [row[c] for c in widths]
        if _table_row(pdf, widths.values(), cells, measure):
            _table_row(pdf, widths.values(), heading, measure)  # a new page: its heading, then the row
            _table_row(pdf, widths.values(), cells, measure)
    for mandate in summary.mandates:
        pdf.add_page()
        title = _("Mandate version %(number)s, SHA-256 %(hash)s") % {
            "number": mandate.number,
            "hash": mandate.content_hash,
        }
        pdf.multi_cell(0, 5, writable(pdf, title))
        pdf.ln(2)
        pdf.multi_cell(0, 5, writable(pdf, mandate.text))
    return bytes(pdf.output())


@dataclass
class Summary:
    """What the README states: the campaign, the export and its counts."""

    campaign: Campaign
    grievance: Grievance | None
    exported_at: object
    mandates: list[MandateVersion] = field(default_factory=list)
    per_mandate: Counter = field(default_factory=Counter)
    per_grievance: Counter = field(default_factory=Counter)
    total: int = 0

    @classmethod
    def of(cls, campaign: Campaign, grievance, data: list[dict]) -> "Summary":
        summary = cls(campaign, grievance, timezone.localtime())
        summary.total = len(data)
        summary.per_mandate = Counter(int(row["mandate"]) for row in data)
        for row in data:
            summary.per_grievance.update(row["_grievance_titles"])
        summary.mandates = list(campaign.mandates.filter(number__in=summary.per_mandate).order_by("number"))
        return summary

    def lines(self) -> list[str]:
        c = self.campaign
        lines = [
            c.title,
            _("Filing organisation: %(organisation)s") % {"organisation": c.filing_organisation},
            _("Authority: %(authority)s") % {"authority": c.authority},
            _("Exported on %(date)s") % {"date": self.exported_at.strftime("%Y-%m-%d %H:%M %Z")},
        ]
        if self.grievance is not None:
            lines.append(_("Only the signatories of: %(title)s") % {"title": self.grievance.title})
        lines.append(_("Confirmed signatories: %(total)s") % {"total": self.total})
        for mandate in self.mandates:
            lines.append(
                _("Mandate version %(number)s (%(date)s, SHA-256 %(hash)s), signatories: %(count)s")
                % {
                    "number": mandate.number,
                    "date": timezone.localtime(mandate.created_at).strftime("%Y-%m-%d"),
                    "hash": mandate.content_hash,
                    "count": self.per_mandate[mandate.number],
                }
            )
        for title, count in sorted(self.per_grievance.items()):
            lines.append(
                _("Grievance “%(title)s”, signatories: %(count)s") % {"title": title, "count": count}
            )
        return lines

    def readme(self, names: list[str]) -> str:
        files = [
            _("Files:"),
            *(f"- {name}" for name in names),
            "",
            _(
                "mandates/v<N>.md is the exact text of mandate version N: its SHA-256 is the hash "
                "each signatory of that version accepted. Check every file with: sha256sum -c SHA256SUMS"
            ),
        ]
        return "\n".join([*self.lines(), "", *files, ""])


def build_zip(campaign: Campaign, data: list[dict], summary: Summary) -> bytes:
    files = {
        "signatories.csv": to_csv(campaign, data),
        "signatories.pdf": to_pdf(campaign, data, summary),
    }
    for mandate in summary.mandates:
        files[f"mandates/v{mandate.number}.md"] = mandate.text.encode()
    files["README.txt"] = summary.readme([*files, "README.txt", "SHA256SUMS"]).encode()
    files["SHA256SUMS"] = "".join(
        f"{hashlib.sha256(content).hexdigest()}  {name}\n" for name, content in files.items()
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@dataclass
class Export:
    content: bytes
    rows: int

    def filename(self, campaign: Campaign) -> str:
        return f"{campaign.slug}-{timezone.localtime():%Y%m%d-%H%M}.zip"


def export(
    campaign: Campaign,
    user,
    private_key: PrivateKey,
    grievance: Grievance | None = None,
    progress: Callable[[], None] | None = None,
) -> Export:
    """Open, build, log, in one transaction: ExportRefused (and no log entry) if any row does not
    open with the key."""
    check_key(campaign, private_key)
    with transaction.atomic():
        data = list(rows(campaign, private_key, grievance, progress))
        content = build_zip(campaign, data, Summary.of(campaign, grievance, data))
        ExportLog.objects.create(
            campaign=campaign,
            user=user,
            grievance=grievance.title if grievance else "",
            file_format="zip",
            rows=len(data),
        )
    return Export(content, len(data))


def count_rows(campaign: Campaign, grievance: Grievance | None = None) -> int:
    """How many signatories an export will hold (for a progress bar)."""
    return _signatories(campaign, grievance).count()
