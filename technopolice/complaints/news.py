"""The campaign's news, emailed to the signatories who asked for it when they signed.

Only they keep an address the server can read (``Signatory.wants_news``); everyone else's is
forgotten once their emails are sent. Sending is one task that walks those signatories in key
order, chunk by chunk over one SMTP connection, and moves the news' cursor after each chunk:
a worker that dies resumes after the last chunk it finished (at most one chunk sent twice,
nobody skipped), and a failing mail server puts the rest off with the task queued again.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

from technopolice.lib import mail

from . import tokens
from .models import CampaignNews, Signatory

logger = logging.getLogger(__name__)

CHUNK = 50
# The signatory's own page, where they stop the news or withdraw.
MANAGE_URL = "complaints:signatory"
RETRY = datetime.timedelta(minutes=5)


def readers(news: CampaignNews):
    """Who receives ``news``: confirmed signatories of its campaign who asked for news and whose
    address the server still keeps."""
    return (
        Signatory.objects.filter(campaign_id=news.campaign_id, wants_news=True)
        .confirmed()
        .exclude(email_sealed="")
    )


def request_sending(news: CampaignNews) -> bool:
    """Queue the sending once; False if it was asked before (a second click sends nothing twice)."""
    with transaction.atomic():
        asked = CampaignNews.objects.filter(pk=news.pk, send_requested_at=None).update(
            send_requested_at=timezone.now()
        )
        if asked:
            send_campaign_news.enqueue(news.pk)
    return bool(asked)


@task
def send_campaign_news(news_pk: int) -> str:
    news = CampaignNews.objects.select_related("campaign").filter(pk=news_pk).first()
    if news is None or news.sent_at:
        return "nothing to send"
    while chunk := list(readers(news).filter(pk__gt=news.cursor).order_by("pk")[:CHUNK]):
        try:
            for signatory in chunk:
                mail.send(build_message(news, signatory))
        except (OSError, smtplib.SMTPException) as error:
            logger.warning("Campaign news %s put off: %s", news.pk, type(error).__name__)
            _advance(news, chunk[: chunk.index(signatory)])
            send_campaign_news.using(run_after=timezone.now() + RETRY).enqueue(news.pk)
            return f"{news.sent_count} sent, the rest put off"
        _advance(news, chunk)
    CampaignNews.objects.filter(pk=news.pk).update(sent_at=timezone.now())
    return f"{news.sent_count} sent"


def _advance(news: CampaignNews, done: list[Signatory]) -> None:
    if not done:
        return
    news.cursor = done[-1].pk
    news.sent_count += len(done)
    CampaignNews.objects.filter(pk=news.pk).update(cursor=news.cursor, sent_count=F("sent_count") + len(done))


def build_message(news: CampaignNews, signatory: Signatory):
    link = tokens.withdraw_token(signatory)
    site = settings.SITE_URL.rstrip("/")
    context = {
        "news": news,
        "campaign": news.campaign,
        "first_name": signatory.mail_name,
        "campaign_url": site + news.campaign.get_absolute_url(),
        "manage_url": site + reverse(MANAGE_URL, args=[link]),
    }
    with translation.override(signatory.language):
        return mail.build("complaints/emails/news", context, [signatory.email])
