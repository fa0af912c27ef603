"""Sign-up, login and logout. (A contributor's own proposals are moderation's page.)

Login attempts and sign-ups are rate-limited per visitor (a daily-rotating hash, never
an address) and login attempts also per account name, so guessing one person's
password from many machines is slowed down too.
"""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from technopolice.lib.ratelimit import allow, allow_visitor, subject_key

from .forms import SignupForm

LOGINS_PER_HOUR = getattr(settings, "RATELIMIT_LOGINS_PER_HOUR", 20)
SIGNUPS_PER_HOUR = getattr(settings, "RATELIMIT_SIGNUPS_PER_HOUR", 5)


def too_many(request):
    return render(request, "429.html", status=429)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")[:150].lower()
        if not allow_visitor(request, "login", LOGINS_PER_HOUR):
            return too_many(request)
        if not allow("login-account", subject_key(username), LOGINS_PER_HOUR):
            return too_many(request)
        return super().post(request, *args, **kwargs)


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
        if not allow_visitor(request, "signup", SIGNUPS_PER_HOUR):
            return too_many(request)
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form})
