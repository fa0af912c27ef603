"""The links sent by email: confirm a sign-up, withdraw, "not me"."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .. import actions, tokens


def invalid_link(request):
    return render(request, "complaints/invalid_link.html", status=404)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    signatory = tokens.pending_by_token(token)
    if signatory is None:
        return invalid_link(request)
    if request.method != "POST":
        return render(request, "complaints/link.html", {"campaign": signatory.campaign, "action": "confirm"})
    if actions.confirm(token) is None:
        return invalid_link(request)
    return render(request, "complaints/done.html", {"campaign": signatory.campaign, "action": "confirm"})


def _deleting_link(request, token: str, action: str, verb):
    signatory = tokens.by_withdraw_token(token)
    if signatory is None:
        return invalid_link(request)
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
