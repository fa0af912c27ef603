"""A signatory's own page: what they signed, correcting it (confirmed by email), a copy of their
mandate, stopping the news; and the same flow through the real worker and a real SMTP server."""

import datetime
import io
import re

import pypdf
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from technopolice.complaints import tasks
from technopolice.complaints.models import (
    BlockedAddress,
    LocationRequired,
    MandateVersion,
    Signatory,
    SignatoryChange,
)
from technopolice.lib import sealing
from technopolice.registry.tests.factories import DepartmentFactory
from technopolice.testing import smtp

from .base import ComplaintsTestCase, links
from .factories import PRIVATE_KEY, CampaignFactory, opened, sign_data
from .test_mail import time_passes, work

EMAIL = "zoe.quenouille@example.net"
TITLE = 'Contre l\'État : « VSA » & <b>"TAJ"</b>'


def path_of(text: str, marker: str) -> str:
    """The path of the first link in ``text`` holding ``marker`` ("/ma-signature/", "/modification/")."""
    match = re.search(rf"https?://[^/\s]+(\S*{marker}[^/\s]+/)", text)
    assert match, f"no {marker} link in: {text}"
    return match.group(1)


def change_data(campaign, **overrides) -> dict:
    """The change form as a person fills it: every grievance ticked, nothing else typed."""
    data = {
        "email": EMAIL,
        "grievances": [g.pk for g in campaign.grievances.all()],
        "first_name": "",
        "last_name": "",
        "mandate_hash": campaign.current_mandate().content_hash,
        "consent_mandate": "on",
    }
    data.update(overrides)
    return data


class SignatoryPageTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory(mandate="Je donne mandat à l'association.")
        self.first, self.second = self.campaign.grievances.all()

    def sign(self, **overrides):
        return self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign, **overrides))

    def signed_and_confirmed(self, **overrides) -> str:
        """The page's path, after signing and confirming through the emailed link."""
        self.sign(**overrides)
        self.client.post(links(mail.outbox[-1])["confirm"])
        return path_of(mail.outbox[-1].body, "/ma-signature/")

    def change_data(self, **overrides) -> dict:
        return change_data(self.campaign, **overrides)

    def test_every_email_names_the_version_signed_and_carries_the_page(self):
        self.sign()
        body = mail.outbox[0].body
        mandate = self.campaign.current_mandate()
        self.assertIn("The mandate you signed is version 1 of", body)
        self.assertIn(f"/en/plaintes/{self.campaign.slug}/mandat/1/", body)
        page = path_of(body, "/ma-signature/")
        self.assertEqual(self.client.get(f"/en/plaintes/{self.campaign.slug}/mandat/1/").status_code, 200)
        html = mail.outbox[0].alternatives[0][0]
        self.assertIn(page, html)
        self.assertIn(mandate.created_at.strftime("%Y"), body)

    def test_the_links_are_in_the_language_the_person_signed_in(self):
        self.client.post(f"/plaintes/{self.campaign.slug}/", sign_data(self.campaign))  # French: no prefix
        body = mail.outbox[0].body
        page = path_of(body, "/ma-signature/")
        self.assertTrue(page.startswith("/plaintes/ma-signature/"), page)
        self.assertIn(f"/plaintes/{self.campaign.slug}/mandat/1/", body)
        self.assertNotIn("/en/", body)
        r = self.client.get(page)
        self.assertEqual((r.status_code, r.headers["Content-Language"]), (200, "fr"))

    def test_the_page_shows_what_was_signed_and_what_the_server_cannot_read(self):
        page = self.signed_and_confirmed()
        r = self.client.get(page)
        self.assertContains(r, self.campaign.title)
        self.assertContains(r, "Confirmed on")
        self.assertContains(r, "version 1 of")
        self.assertContains(r, f'href="/en/plaintes/{self.campaign.slug}/mandat/1/"')
        shown = r.content.decode().replace("<wbr>", "")  # break points, for a phone's width
        self.assertIn(self.campaign.current_mandate().content_hash, shown)
        self.assertContains(r, self.first.title)
        self.assertNotContains(r, self.second.title)
        self.assertContains(r, "this page cannot show them")
        self.assertNotContains(r, "Quenouille")  # sealed: the server could not show it if it tried
        self.assertContains(r, 'name="robots" content="noindex"')

    def test_an_unconfirmed_signature_says_it_awaits_confirmation(self):
        self.sign()
        r = self.client.get(path_of(mail.outbox[0].body, "/ma-signature/"))
        self.assertContains(r, "Awaiting confirmation")

    def test_a_change_is_confirmed_by_email_then_applied(self):
        page = self.signed_and_confirmed()
        form = self.client.get(f"{page}modifier/")
        self.assertContains(form, 'name="first_name"')
        self.assertNotContains(form, "Zoé")  # nothing to prefill: the server cannot read it
        self.assertContains(form, f'value="{self.first.pk}" id="id_grievances_0" checked')
        mail.outbox.clear()
        r = self.client.post(f"{page}modifier/", self.change_data(last_name="Quenouille-Martin"))
        self.assertContains(r, "Check your inbox")
        signatory = Signatory.objects.get()
        self.assertEqual(opened(signatory)["last_name"], "Quenouille")  # not before the email's link
        self.assertEqual(list(signatory.grievances.all()), [self.first])
        (message,) = mail.outbox
        self.assertEqual(message.to, [EMAIL])
        self.assertIn("Confirm the change to your signature", message.subject)
        self.assertIn(self.second.title, message.body)
        self.assertIn("Your name, as you typed it", message.body)
        self.assertNotIn("Quenouille-Martin", message.body)  # sealed as soon as typed
        change = path_of(message.body, "/modification/")
        self.assertContains(self.client.get(change), "Confirm my change")
        self.assertTrue(SignatoryChange.objects.exists())  # a mail scanner's GET applies nothing
        r = self.client.post(change)
        self.assertContains(r, "Your change is made")
        signatory = Signatory.objects.get()
        self.assertEqual(opened(signatory)["last_name"], "Quenouille-Martin")
        self.assertEqual(opened(signatory)["first_name"], "Zoé")  # left empty: kept
        self.assertEqual(set(signatory.grievances.all()), {self.first, self.second})
        self.assertFalse(SignatoryChange.objects.exists())
        self.assertEqual((signatory.email_sealed, signatory.mail_name_sealed), ("", ""))  # forgotten again
        self.assertContains(self.client.post(change), "does not work", status_code=404)

    def test_a_change_needs_the_address_signed_with(self):
        page = self.signed_and_confirmed()
        mail.outbox.clear()
        r = self.client.post(f"{page}modifier/", self.change_data(email="someone.else@example.net"))
        self.assertContains(r, "This is not the address this signature was made with")
        self.assertFalse(SignatoryChange.objects.exists())
        self.assertEqual(mail.outbox, [])
        # the same mailbox spelled otherwise is the same address
        r = self.client.post(f"{page}modifier/", self.change_data(email=" ZOE.Quenouille@Example.net"))
        self.assertContains(r, "Check your inbox")

    def test_wrong_addresses_are_limited(self):
        page = self.signed_and_confirmed()
        for n in range(10):
            self.client.post(f"{page}modifier/", self.change_data(email=f"guess{n}@example.net"))
        r = self.client.post(f"{page}modifier/", self.change_data())
        self.assertContains(r, "Too many wrong addresses")
        self.assertFalse(SignatoryChange.objects.exists())

    def test_a_change_that_changes_nothing_is_refused(self):
        page = self.signed_and_confirmed()
        r = self.client.post(f"{page}modifier/", self.change_data(grievances=[self.first.pk]))
        self.assertContains(r, "This changes nothing")

    def test_a_change_accepts_the_current_mandate_version(self):
        page = self.signed_and_confirmed()
        newer = MandateVersion.objects.create(campaign=self.campaign, number=2, text="Nouveau mandat.")
        self.assertContains(self.client.get(page), "The mandate has a newer version (2)")
        old_hash = self.campaign.mandates.get(number=1).content_hash
        r = self.client.post(f"{page}modifier/", self.change_data(mandate_hash=old_hash))
        self.assertContains(r, "The mandate text has just changed")
        form = self.client.get(f"{page}modifier/")
        self.assertContains(form, "Nouveau mandat.")
        mail.outbox.clear()
        # only the mandate changes: that alone is a change
        self.client.post(f"{page}modifier/", self.change_data(grievances=[self.first.pk]))
        self.assertIn("version 2", mail.outbox[0].body)
        self.client.post(path_of(mail.outbox[0].body, "/modification/"))
        signatory = Signatory.objects.get()
        self.assertEqual((signatory.mandate, signatory.mandate_hash), (newer, newer.content_hash))
        self.assertContains(self.client.get(page), "version 2 of")

    def test_a_new_address_is_sealed_and_moves_the_department(self):
        DepartmentFactory(code="42", name="Loire")
        paris = DepartmentFactory(code="75", name="Paris")
        self.campaign.location_required = LocationRequired.COMMUNE
        self.campaign.save()
        page = self.signed_and_confirmed(postal_code="42000", commune="Saint-Étienne")
        r = self.client.post(f"{page}modifier/", self.change_data(postal_code="75011"))
        self.assertContains(r, "A new address needs every one of its fields")
        mail.outbox.clear()
        self.client.post(f"{page}modifier/", self.change_data(postal_code="75011", commune="Paris"))
        self.assertIn("Your address, as you typed it", mail.outbox[0].body)
        self.client.post(path_of(mail.outbox[0].body, "/modification/"))
        signatory = Signatory.objects.get()
        self.assertEqual(opened(signatory)["address"], "75011 Paris")
        self.assertEqual(signatory.department, paris)

    def test_a_later_change_replaces_the_earlier_one_and_its_link(self):
        page = self.signed_and_confirmed()
        mail.outbox.clear()
        self.client.post(f"{page}modifier/", self.change_data(first_name="Zoë"))
        self.client.post(f"{page}modifier/", self.change_data(first_name="Zoè"))
        first, second = (path_of(m.body, "/modification/") for m in mail.outbox)
        self.assertEqual(self.client.post(first).status_code, 404)
        self.client.post(second)
        self.assertEqual(opened(Signatory.objects.get())["first_name"], "Zoè")

    def test_confirming_a_change_confirms_an_unconfirmed_signature(self):
        self.sign()
        confirm = links(mail.outbox[0])["confirm"]
        page = path_of(mail.outbox[0].body, "/ma-signature/")
        self.client.post(f"{page}modifier/", self.change_data())
        self.client.post(path_of(mail.outbox[-1].body, "/modification/"))
        self.assertIsNotNone(Signatory.objects.get().confirmed_at)
        self.assertContains(self.client.get(confirm), "already confirmed")

    def test_changes_are_limited_like_resends(self):
        page = self.signed_and_confirmed()
        for n in range(settings.COMPLAINTS_RESENDS_PER_HOUR):
            self.client.post(f"{page}modifier/", self.change_data(first_name=f"Zoé{n}"))
        r = self.client.post(f"{page}modifier/", self.change_data(first_name="Encore"))
        self.assertContains(r, "Too many emails", status_code=429)
        kept = SignatoryChange.objects.get().first_name_sealed  # the last one sent, not the refused one
        self.assertEqual(sealing.unseal(sealing.read_private_key(PRIVATE_KEY), kept), "Zoé2")

    def test_a_closed_campaign_s_signatures_no_longer_change_but_can_be_withdrawn(self):
        page = self.signed_and_confirmed()
        self.client.post(f"{page}modifier/", self.change_data(last_name="Martin"))
        change = path_of(mail.outbox[-1].body, "/modification/")
        self.campaign.closes_at = timezone.now() - datetime.timedelta(minutes=1)
        self.campaign.save()
        r = self.client.get(page)
        self.assertContains(r, "can no longer be changed")
        self.assertNotContains(r, f"{page}modifier/")
        self.assertContains(
            self.client.post(f"{page}modifier/", self.change_data()), "can no longer", status_code=403
        )
        self.assertContains(self.client.post(change), "can no longer be changed", status_code=403)
        self.assertEqual(opened(Signatory.objects.get())["last_name"], "Quenouille")
        self.assertContains(r, f'href="{page.replace("/ma-signature/", "/retirer/")}"')

    def test_the_copy_of_the_mandate_is_a_pdf_with_the_version_text(self):
        page = self.signed_and_confirmed()
        self.assertEqual(self.client.get(f"{page}copie/").status_code, 405)
        r = self.client.post(f"{page}copie/", {"name": "Zoé Quenouille"})
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertIn(f"{self.campaign.slug}-mandate-v1.pdf", r["Content-Disposition"])
        text = " ".join(sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(r.content)).pages)
        text = " ".join(text.split())
        for expected in [
            "Je donne mandat à l'association.",
            self.campaign.title,
            "La Quadrature du Net",
            self.campaign.current_mandate().content_hash,
            self.first.title,
            "Zoé Quenouille",
        ]:
            self.assertIn(expected, text)
        self.assertIn("The name above is the one you typed for this copy; it was not kept.", text)
        self.assertNotIn("Zoé Quenouille", str(Signatory.objects.values().get()))
        anonymous = self.client.post(f"{page}copie/", {"name": ""})
        text = " ".join(
            sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(anonymous.content)).pages
        )
        self.assertIn("did not write them here", " ".join(text.split()))
        self.assertNotIn("Signed by", text)
        r = self.client.post(f"{page}copie/", {"name": "x" * 300})
        self.assertContains(r, "at most 200 characters", status_code=400)

    def test_stopping_the_news_forgets_the_email(self):
        page = self.signed_and_confirmed(wants_news="on")
        self.assertNotEqual(Signatory.objects.get().email_sealed, "")
        self.assertContains(self.client.get(page), "Stop the news and forget my email")
        self.assertEqual(self.client.get(f"{page}nouvelles/").status_code, 405)
        r = self.client.post(f"{page}nouvelles/", follow=True)
        self.assertContains(r, "You will no longer receive the campaign")
        signatory = Signatory.objects.get()
        kept = (signatory.wants_news, signatory.email_sealed, signatory.mail_name_sealed)
        self.assertEqual(kept, (False, "", ""))

    def test_unknown_or_forged_tokens_are_a_clear_404(self):
        page = self.signed_and_confirmed()
        for token in ["abc", "0" * 64, "y" * 500]:
            for path in [
                f"/en/plaintes/ma-signature/{token}/",
                f"/en/plaintes/ma-signature/{token}/modifier/",
                f"/en/plaintes/modification/{token}/",
            ]:
                self.assertContains(self.client.get(path), "does not work", status_code=404)
            for action in ["modifier", "copie", "nouvelles"]:
                r = self.client.post(f"/en/plaintes/ma-signature/{token}/{action}/", self.change_data())
                self.assertContains(r, "does not work", status_code=404)
        self.assertEqual(self.client.get(page).status_code, 200)

    def test_actions_need_csrf(self):
        page = self.signed_and_confirmed(wants_news="on")
        for action in ["modifier", "copie", "nouvelles"]:
            self.assertEqual(self.csrf_client.post(f"{page}{action}/", self.change_data()).status_code, 403)
        self.assertTrue(Signatory.objects.get().wants_news)

    def test_withdrawing_from_the_page_goes_through_its_confirmation(self):
        page = self.signed_and_confirmed()
        withdraw = page.replace("/ma-signature/", "/retirer/")
        self.assertContains(self.client.get(page), f'href="{withdraw}"')
        self.client.post(withdraw)
        self.assertFalse(Signatory.objects.exists())
        self.assertEqual(self.client.get(page).status_code, 404)


class NotMeTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory()

    def sign(self, campaign=None, **overrides):
        campaign = campaign or self.campaign
        return self.client.post(f"/en/plaintes/{campaign.slug}/", sign_data(campaign, **overrides))

    def test_not_me_blocks_the_address_for_this_campaign_only(self):
        self.sign()
        self.client.post(links(mail.outbox[0])["not_me"])
        blocked = BlockedAddress.objects.get()
        self.assertNotIn("zoe", str(BlockedAddress.objects.values().get()).lower())  # a keyed hash only
        mail.outbox.clear()
        r = self.sign(email="Zoe.Quenouille@example.net")
        self.assertRedirects(r, f"/en/plaintes/{self.campaign.slug}/merci/")  # nothing tells the visitor
        self.assertFalse(Signatory.objects.exists())
        self.assertEqual(mail.outbox, [])
        other = CampaignFactory()
        self.sign(campaign=other)
        self.assertEqual(Signatory.objects.get().campaign, other)
        self.assertEqual(blocked.campaign, self.campaign)

    def test_not_me_on_a_confirmed_signature_withdraws_and_blocks(self):
        self.sign()
        self.client.post(links(mail.outbox[0])["confirm"])
        self.client.post(links(mail.outbox[0])["not_me"])
        self.assertEqual(self.campaign.__class__.objects.get().withdrawals, 1)
        mail.outbox.clear()
        self.sign()
        self.assertFalse(Signatory.objects.exists())
        self.assertEqual(mail.outbox, [])


@override_settings(TASKS=settings.TASKS, MAILERS=smtp.mailers(smtp.free_port()))
class PageThroughTheWorkerTests(TransactionTestCase):
    """Sign, confirm, open the page from the email, change, confirm the change: every email sent
    by the real worker to a real SMTP server on loopback and read as received."""

    def setUp(self):
        cache.clear()
        tasks.forget_wake_ups()
        self.campaign = CampaignFactory(title=TITLE)
        self.first, self.second = self.campaign.grievances.all()
        port = settings.MAILERS["default"]["OPTIONS"]["port"]
        controller, self.inbox = smtp.start(port)
        self.addCleanup(controller.stop)

    def test_a_signatory_corrects_their_name_and_grievances(self):
        self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign))
        work()
        text = self.inbox.text(0)
        self.client.post(path_of(text, "/confirmer/"))
        page = path_of(text, "/ma-signature/")
        self.assertContains(self.client.get(page), "Confirmed on")
        data = change_data(self.campaign, first_name="Zoë-李")
        self.assertContains(self.client.post(f"{page}modifier/", data), "Check your inbox")
        time_passes()
        work()
        self.assertEqual(len(self.inbox.messages), 2)
        change = self.inbox.messages[1]
        self.assertEqual(change["To"], EMAIL)
        self.assertEqual(str(change["Subject"]), f"Confirm the change to your signature: {TITLE}")
        text = self.inbox.text(1)
        self.assertIn(f'You asked to change your signature of "{TITLE}"', text)  # as written, unescaped
        self.assertIn("&lt;b&gt;", change.get_body(("html",)).get_content())  # the HTML part escapes
        self.assertIn("Hello Zoë-李,", text)  # greeted with the name just typed
        self.assertIn("The mandate you signed is version 1 of", text)
        self.client.post(path_of(text, "/modification/"))
        signatory = Signatory.objects.get()
        self.assertEqual(opened(signatory)["first_name"], "Zoë-李")
        self.assertEqual(opened(signatory)["last_name"], "Quenouille")
        self.assertEqual(set(signatory.grievances.all()), {self.first, self.second})
        self.assertEqual((signatory.email_sealed, signatory.mail_name_sealed), ("", ""))

    def test_quick_repeated_sign_ups_send_one_email_and_keep_the_quota(self):
        for _ in range(6):  # faster than the worker: the first email is still owed
            self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign))
        work()
        self.assertEqual(len(self.inbox.messages), 1)
        for n in range(settings.COMPLAINTS_RESENDS_PER_HOUR):  # the hour's resends are all still there
            self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign))
            time_passes()
            work()
            self.assertEqual(len(self.inbox.messages), 2 + n)
        self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign))
        time_passes()
        work()
        self.assertEqual(len(self.inbox.messages), 1 + settings.COMPLAINTS_RESENDS_PER_HOUR)
