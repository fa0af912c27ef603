"""`technopolice otp_code <name>`: the code an account's authenticator shows now (not in production).

For the demo's staff accounts, whose second factor is enforced: a person trying the platform
can log in without installing an authenticator app. Production refuses: there, only the app
on the account owner's phone may produce codes.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from technopolice.lib.commands import TranslatedCommand

from ...twofactor import current_code


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Print the current TOTP code of an account (the demo's staff accounts); not in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(_("This command is refused in production."))
        user = User.objects.filter(username=username).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
        if device is None:
            raise CommandError(_("No account %(user)s with an authenticator.") % {"user": username})
        self.stdout.write(current_code(device))
