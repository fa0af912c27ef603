"""Build a multipart email (text + HTML) from three templates and send it through MAILERS.

Each message lives in ``<app>/emails/<name>_subject.txt``, ``<name>.txt`` and ``<name>.html``
so wording is reviewed and translated like any page. The subject and the text part are plain
text: they are rendered without HTML escaping, or "ministère de l'Intérieur" would reach the
reader as "l&#x27;Intérieur". Only the HTML part escapes what it shows.
"""

import smtplib
import threading

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.template import Context
from django.template.loader import get_template, render_to_string


def render_text(template_name: str, context: dict) -> str:
    """A template rendered as plain text: values as they are, no HTML entities."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def build(template: str, context: dict, to: list[str]) -> EmailMultiAlternatives:
    subject = render_text(f"{template}_subject.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),  # a subject is one line, whatever the template's layout
        render_text(f"{template}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        to,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


# One SMTP connection kept open per thread, for a task worker sending many emails: opening a
# connection for each (TCP, greeting, EHLO, STARTTLS, login, QUIT) was a sizeable share of the
# CPU each email cost, even on loopback without TLS (more with TLS and login).
# Other backends (files, memory) gain nothing from it and are used as before.
_held = threading.local()
_SMTP = "django.core.mail.backends.smtp.EmailBackend"


def send(message: EmailMultiAlternatives) -> None:
    """Send ``message`` through the default mailer, on this thread's open SMTP connection.
    A kept connection the server has dropped meanwhile is replaced once; any other failure
    closes it and propagates, so the caller's retry starts from a fresh connection."""
    mailer, reused = _mailer()
    if mailer is None:
        message.send()
        return
    try:
        mailer.send_messages([message])
    except (OSError, smtplib.SMTPException) as error:
        _forget()
        if not reused or not isinstance(error, (OSError, smtplib.SMTPServerDisconnected)):
            raise
        send(message)


def _mailer() -> tuple[SMTPBackend | None, bool]:
    """This thread's open SMTP backend (None for other backends) and whether it was already open.
    Keyed on the settings, so a changed MAILERS (tests, reconfiguration) gets its own connection."""
    config = settings.MAILERS.get("default", {})
    if config.get("BACKEND", _SMTP) != _SMTP:
        return None, False
    key = repr(config)
    if getattr(_held, "key", None) == key and _held.mailer.connection is not None:
        return _held.mailer, True
    _forget()
    mailer = mailers.default
    mailer.open()
    _held.key, _held.mailer = key, mailer
    return mailer, False


def _forget() -> None:
    mailer = getattr(_held, "mailer", None)
    _held.key = _held.mailer = None
    if mailer is not None:
        try:
            mailer.close()
        except (OSError, smtplib.SMTPException):
            pass  # already broken: dropping it is all that was wanted
