"""Sign-up, login and logout. (A contributor's own proposals are moderation's page.)

Sign-ups are rate-limited per visitor (a daily-rotating hash, never an address); only a form
that would create an account counts, so a person correcting a typo uses up nothing. Failed
logins are limited per visitor and per account without locking the owner out (throttle.py);
the admin's login page goes through the same throttle (``admin_login``).
"""

from django.conf import settings
from django.contrib.admin import AdminSite, site
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from technopolice.lib.ratelimit import allow_visitor

from .forms import SignupForm
from .throttle import throttled

SIGNUPS_PER_HOUR = settings.RATELIMIT_SIGNUPS_PER_HOUR


def too_many(request):
    return render(request, "429.html", status=429)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    @classmethod
    def as_view(cls, **initkwargs):
        return throttled(super().as_view(**initkwargs))


@throttled
def admin_login(request, extra_context=None):
    """The admin's own login page and template, throttled like the site's: it guards the staff
    accounts that export signatories. Installed as ``admin.site.login`` by the URL map."""
    return AdminSite.login(site, request, extra_context)


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.data.get("website"):
            return render(request, "accounts/signup_refused.html", status=400)
        if form.is_valid():
            if not allow_visitor(request, "signup", SIGNUPS_PER_HOUR):
                return too_many(request)
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form})
