"""A signatory's own page, reached from the link in every email sent to them.

The link's token is the withdrawal link's (tokens.withdraw_token): whoever holds it may already
withdraw the signature, and sees nothing more here than what they signed. The name and address
are sealed to the organiser's key: the page cannot show them, and says so. Correcting asks for a
confirmation by email (changes.py), so a forwarded link does not let anyone change a signature.
GET shows; every action is a POST.
"""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import changes, mandate_copy, tokens
from ..models import Signatory, SignatoryChange
from ..signatory_forms import ChangeForm, CopyForm
from .links import invalid_link


def _signatory(token: str) -> Signatory | None:
    return tokens.by_withdraw_token(token)


def _context(signatory: Signatory, token: str, **extra) -> dict:
    pending = SignatoryChange.objects.filter(signatory=signatory).first()
    return {
        "signatory": signatory,
        "campaign": signatory.campaign,
        "mandate": signatory.mandate,
        # 64 characters in one word would widen a phone's page: break points every 16
        "hash_parts": [signatory.mandate_hash[i : i + 16] for i in range(0, len(signatory.mandate_hash), 16)],
        "current_mandate": signatory.campaign.current_mandate(),
        "grievances": list(signatory.grievances.all()),
        "pending_change": pending,
        "can_change": changes.can_change(signatory),
        "closed_message": changes.closed_message(),
        "token": token,
        **extra,
    }


@require_http_methods(["GET", "HEAD"])
def page(request, token):
    signatory = _signatory(token)
    if signatory is None:
        return invalid_link(request, "page")
    context = _context(
        signatory, token, copy_form=CopyForm(), news_stopped=request.GET.get("news") == "stopped"
    )
    return render(request, "complaints/signatory.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def change(request, token):
    """The correction form; posted and valid, the change waits for the link emailed to confirm it."""
    signatory = _signatory(token)
    if signatory is None:
        return invalid_link(request, "page")
    if not changes.can_change(signatory):
        context = _context(signatory, token, error=changes.closed_message())
        return render(request, "complaints/signatory_change.html", context, status=403)
    form = ChangeForm(signatory, request.POST if request.method == "POST" else None)
    status, error = 200, ""
    if form.is_valid():
        if changes.ask(signatory, form.correction()):
            return render(request, "complaints/change_asked.html", _context(signatory, token))
        status, error = 429, _("Too many emails were sent to this address this hour: try again later.")
    context = _context(signatory, token, form=form, error=error, mandate_now=form.mandate)
    return render(request, "complaints/signatory_change.html", context, status=status)


@require_POST
def copy(request, token):
    """The PDF copy of the mandate the person gave, with the name they typed if any."""
    signatory = _signatory(token)
    if signatory is None:
        return invalid_link(request, "page")
    form = CopyForm(request.POST)
    if not form.is_valid():
        context = _context(signatory, token, copy_form=form)
        return render(request, "complaints/signatory.html", context, status=400)
    content = mandate_copy.to_pdf(signatory, form.cleaned_data["name"].strip())
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{signatory.campaign.slug}-mandate-v{signatory.mandate.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def stop_news(request, token):
    signatory = _signatory(token)
    if signatory is None:
        return invalid_link(request, "page")
    changes.stop_news(signatory)
    return redirect(reverse("complaints:signatory", args=[token]) + "?news=stopped")
