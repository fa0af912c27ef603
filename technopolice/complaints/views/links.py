"""The links sent by email: confirm a sign-up, confirm a change, withdraw, "not me"."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .. import actions, changes, tokens


def invalid_link(request, kind: str = "confirm"):
    """A link that leads nowhere: a clear page (404) that says what to do for this kind of link."""
    return render(request, "complaints/invalid_link.html", {"kind": kind}, status=404)


def already_confirmed(request, signatory):
    """A confirmation link opened again: the signature stands; the page's link is the way on."""
    context = {"campaign": signatory.campaign, "token": tokens.withdraw_token(signatory)}
    return render(request, "complaints/already_confirmed.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    signatory = tokens.pending_by_token(token)
    if signatory is None:
        return _spent_or_invalid(request, token)
    if request.method != "POST":
        return render(request, "complaints/link.html", {"campaign": signatory.campaign, "action": "confirm"})
    if actions.confirm(token) is None:
        return _spent_or_invalid(request, token)
    context = {"campaign": signatory.campaign, "action": "confirm", "token": tokens.withdraw_token(signatory)}
    return render(request, "complaints/done.html", context)


def _spent_or_invalid(request, token: str):
    used = tokens.by_used_confirm_token(token)
    return already_confirmed(request, used) if used else invalid_link(request)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_change(request, token):
    change = tokens.change_by_token(token)
    if change is None:
        return invalid_link(request, "change")
    signatory = change.signatory
    context = {"campaign": signatory.campaign, "action": "change", "token": tokens.withdraw_token(signatory)}
    if not changes.can_change(signatory):
        return render(
            request, "complaints/done.html", {**context, "error": changes.closed_message()}, status=403
        )
    if request.method != "POST":
        return render(request, "complaints/link.html", {**context, "change": change})
    if changes.apply(token) is None:
        return invalid_link(request, "change")
    return render(request, "complaints/done.html", context)


def _deleting_link(request, token: str, action: str, verb):
    signatory = tokens.by_withdraw_token(token)
    if signatory is None:
        return invalid_link(request, action)
    campaign = signatory.campaign
    if request.method != "POST":
        return render(request, "complaints/link.html", {"campaign": campaign, "action": action})
    verb(signatory)
    return render(request, "complaints/done.html", {"campaign": campaign, "action": action})


@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, token):
    return _deleting_link(request, token, "withdraw", actions.withdraw)


@require_http_methods(["GET", "HEAD", "POST"])
def not_me(request, token):
    return _deleting_link(request, token, "not_me", actions.not_me)
