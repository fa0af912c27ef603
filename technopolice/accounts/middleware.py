"""A login that needs a second factor is not finished until a code was given.

After django-otp's OTPMiddleware, for a signed-in person whose session passed no second factor:

- anyone with a confirmed device (they turned it on, or they are staff) is sent to the page
  that asks for a code;
- a moderator or administrator without one is sent to the page that sets it up;

and reaches nothing else meanwhile (the moderation queue, the admin, any page), except those
two pages and logging out. So a stolen password alone opens no staff account, and no view has
to remember to check: the rule holds for pages added later too.
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from .twofactor import has_second_factor, is_staff_member

# What an unverified session may still reach.
OPEN = {
    "accounts:second_factor_verify",
    "accounts:second_factor_setup",
    "accounts:logout",
    "admin:logout",
}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not _open(request.path_info):
            if has_second_factor(user):
                return _redirect("accounts:second_factor_verify", request)
            if is_staff_member(user):
                return _redirect("accounts:second_factor_setup", request)
        return self.get_response(request)


def _open(path: str) -> bool:
    try:
        return resolve(path).view_name in OPEN
    except Resolver404:
        return True  # a 404 reveals nothing


def _redirect(view_name: str, request) -> HttpResponseRedirect:
    target = reverse(view_name)
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(target)
