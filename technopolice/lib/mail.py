"""Build a multipart email (text + HTML) from three templates and send it through MAILERS.

Each message lives in ``<app>/emails/<name>_subject.txt``, ``<name>.txt`` and ``<name>.html``
so wording is reviewed and translated like any page.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def build(template: str, context: dict, to: list[str]) -> EmailMultiAlternatives:
    subject = render_to_string(f"{template}_subject.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),  # a subject is one line, whatever the template's layout
        render_to_string(f"{template}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        to,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
