"""Follow and unfollow (forms that work without JavaScript), the follows page, and the
unsubscribe link of the digests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from technopolice.activity import display, querysets, subjects

from . import actions, tokens
from .models import DigestSubscription, Frequency

RECENT = 50  # activities the follows page shows


def _next(request) -> str:
    """Where the form was: a path of this site only, else the follows page."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("following:mine")
    return target


def _refused(request, message: str, status: int = 400):
    return render(request, "following/refused.html", {"message": message}, status=status)


@require_POST
def follow(request):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': _next(request)})}")
    if not request.user.email:
        return render(request, "following/email_needed.html", status=403)
    key = request.POST.get("key", "")
    try:
        actions.follow(request.user, key, request.LANGUAGE_CODE)
    except ValidationError as error:
        return _refused(request, error.messages[0])
    messages.success(request, _("You follow it now: what happens there goes into your digest."))
    return redirect(_next(request))


@require_POST
@login_required
def unfollow(request):
    actions.unfollow(request.user, request.POST.get("key", ""))
    messages.success(request, _("You no longer follow it."))
    return redirect(_next(request))


@require_GET
@login_required
def mine(request):
    follows = list(request.user.follows.all())
    keys = [f.key for f in follows]
    names = subjects.resolve(keys)
    for item in follows:
        item.subject = names.get(item.key)
    recent = list(querysets.about_any(keys).order_by("-id")[:RECENT]) if keys else []
    for activity in recent:
        activity.link = display.localized(activity.path, request.LANGUAGE_CODE)
        activity.label = display.kind_label(activity.kind)
    subscription = DigestSubscription.objects.filter(user=request.user).first()
    context = {
        "follows": follows,
        "recent": recent,
        "subscription": subscription,
        "frequencies": Frequency.choices,
        "current": subscription.frequency if subscription else Frequency.DAILY,
    }
    return render(request, "following/mine.html", context)


@require_POST
@login_required
def frequency(request):
    try:
        actions.set_frequency(request.user, request.POST.get("frequency", ""), request.LANGUAGE_CODE)
    except ValidationError as error:
        return _refused(request, error.messages[0])
    messages.success(request, _("Your digest settings are saved."))
    return redirect("following:mine")


# No CSRF token: mail clients post the one-click unsubscribe (RFC 8058) without one. The signed
# token is what authorises it, and all it can do is turn digests off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    user_id = tokens.read(token)
    if user_id is None:
        return _refused(
            request,
            _(
                "This unsubscribe link is not valid: it may have been cut or changed. "
                "You can turn digests off on your follows page."
            ),
        )
    if request.method == "GET":
        return render(request, "following/unsubscribe.html", {"token": token})
    actions.stop_digests(user_id)
    return render(request, "following/unsubscribed.html")
