"""One's own account: its email address, password, second factor, and closing it.

Every change asks for the current password (or a code, for the second factor), so a session
left open on a shared computer cannot take the account over. The old address is told when
the address or the password changes.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from technopolice.lib import ratelimit

from . import twofactor
from .deletion import anonymise
from .emails import read_confirmation, send_confirmation, send_notice
from .forms import CodeForm, DeleteAccountForm, EmailChangeForm, PasswordCheckForm, PasswordResetForm
from .throttle import refused


@login_required
def account(request):
    user = request.user
    context = {
        "has_second_factor": twofactor.has_second_factor(user),
        "required": twofactor.is_staff_member(user),
        "codes_left": twofactor.recovery_codes_left(user),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    form = EmailChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        key = ratelimit.subject_key(f"user:{request.user.pk}")
        if not ratelimit.allow("account-email", key, settings.RATELIMIT_ACCOUNT_EMAILS_PER_HOUR):
            return refused(request, _("Too many confirmation emails were sent for this account."))
        send_confirmation(request.user, form.cleaned_data["email"])
        messages.success(
            request,
            _("A link was sent to %(email)s. Your address changes once you follow it.")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("accounts:account")
    return render(request, "accounts/email_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    """The link asks for a click (POST): a mail scanner following links confirms nothing."""
    user, email = read_confirmation(token)
    if user is None:
        return render(request, "accounts/email_confirm.html", {"invalid": True}, status=400)
    model = type(user)
    taken = model._default_manager.filter(email__iexact=email).exclude(pk=user.pk).exists()
    if request.method == "POST" and not taken:
        old = user.email
        user.email = email
        user.save(update_fields=["email"])
        send_notice(user, old, "email_changed")
        messages.success(request, _("Your email address is confirmed."))
        return redirect("accounts:account" if request.user == user else "pages:home")
    return render(request, "accounts/email_confirm.html", {"email": email, "taken": taken})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        send_notice(self.request.user, self.request.user.email, "password_changed")
        messages.success(self.request, _("Your password was changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not ratelimit.allow_visitor(
            self.request, "password-reset", settings.RATELIMIT_PASSWORD_RESETS_PER_HOUR
        ):
            return refused(self.request, _("Too many password reset requests from your connection."))
        address = ratelimit.subject_key(form.cleaned_data["email"].lower())
        if not ratelimit.allow("password-reset-address", address, settings.RATELIMIT_ACCOUNT_EMAILS_PER_HOUR):
            return redirect(self.success_url)  # the same answer: the address's owner gets no flood
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    form = DeleteAccountForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        name = anonymise(user)
        return render(request, "accounts/deleted.html", {"name": name})
    return render(request, "accounts/delete.html", {"form": form})


def _next(request, default="accounts:account"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return redirect(default).url


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Set up an authenticator app: scan the code, type the first code it shows."""
    user = request.user
    if twofactor.has_second_factor(user) and not user.is_verified():
        return redirect("accounts:second_factor_verify")
    device = twofactor.pending_totp(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_totp(request, device, form.cleaned_data["token"])
        if codes is not None:
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error(
            "token", _("This code is not the one your app shows now. Check the time of your phone.")
        )
    context = {
        "form": form,
        "qr": twofactor.qr_svg(device),
        "secret": twofactor.base32_secret(device),
        "required": twofactor.is_staff_member(user),
        "replacing": twofactor.has_second_factor(user),
        "next": _next(request),
    }
    return render(request, "accounts/second_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request):
    user = request.user
    if user.is_verified() or not twofactor.has_second_factor(user):
        return redirect(_next(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Read before this attempt: a locked device refuses even the right code.
        locked = twofactor.seconds_locked(user, form.cleaned_data["token"])
        device, refusal = twofactor.verify(request, form.cleaned_data["token"])
        if refusal is not None:
            return refusal
        if device is not None:
            return redirect(_next(request))
        form.add_error("token", _wrong_code_message(locked))
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": _next(request)})


def _wrong_code_message(seconds: int) -> str:
    if seconds:
        return ngettext(
            "Too many wrong codes in a row: wait %(seconds)d second, then type the code your app shows.",
            "Too many wrong codes in a row: wait %(seconds)d seconds, then type the code your app shows.",
            seconds,
        ) % {"seconds": seconds}
    return _("This code is not valid. Try the code your app shows now, or a recovery code.")


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working), for a session that passed the second factor."""
    if not request.user.is_verified():
        return redirect("accounts:second_factor_verify")
    codes = twofactor.new_recovery_codes(request.user)
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": redirect("accounts:account").url}
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_remove(request):
    """Turn the second factor off, with the password; moderators and administrators cannot."""
    if twofactor.is_staff_member(request.user):
        messages.error(request, _("Moderators and administrators must keep a second factor."))
        return redirect("accounts:account")
    form = PasswordCheckForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        twofactor.remove_second_factor(request.user)
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("accounts:account")
    return render(request, "accounts/second_factor_remove.html", {"form": form})
