import datetime

from django.core import mail
from django.utils import timezone

from technopolice.complaints import actions
from technopolice.complaints.models import Campaign, Signatory

from .base import ComplaintsTestCase, links
from .factories import CampaignFactory, sign_data


class LinkTests(ComplaintsTestCase):
    """Confirm, withdraw and "not me": GET shows a button, POST acts, bad tokens get a clear 404."""

    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory()
        self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign))
        self.links = links(mail.outbox[0])

    def total(self) -> str:
        r = self.client.get(f"/en/plaintes/{self.campaign.slug}/")
        return r.content.decode().split('id="total-signatories">')[1].split("<")[0]

    def test_it_confirms_on_post_only_and_the_counter_moves(self):
        self.assertEqual(self.total(), "0")
        r = self.client.get(self.links["confirm"])
        self.assertContains(r, "Confirm my signature")
        self.assertIsNone(Signatory.objects.get().confirmed_at)  # a mail scanner's GET confirms nothing
        r = self.client.post(self.links["confirm"])
        self.assertContains(r, "your signature is confirmed")
        s = Signatory.objects.get()
        self.assertIsNotNone(s.confirmed_at)
        self.assertIsNone(s.confirm_token_hash)
        self.assertEqual(self.total(), "1")
        self.assertEqual(
            actions.counters(self.campaign)["grievances"][self.campaign.grievances.first().pk], 1
        )

    def test_a_used_confirmation_link_says_already_confirmed_with_the_page_s_link(self):
        self.client.post(self.links["confirm"])
        confirmed_at = Signatory.objects.get().confirmed_at
        page = self.links["withdraw"].replace("/retirer/", "/ma-signature/")
        for response in [self.client.post(self.links["confirm"]), self.client.get(self.links["confirm"])]:
            self.assertContains(response, "already confirmed")
            self.assertContains(response, f'href="{page}"')
        self.assertEqual(Signatory.objects.get().confirmed_at, confirmed_at)  # nothing done again

    def test_a_link_replaced_by_a_resend_does_not_pass_for_confirmed(self):
        self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign))
        self.assertContains(self.client.get(self.links["confirm"]), "does not work", status_code=404)

    def test_a_forged_token_does_not_work(self):
        for token in ["abc", "x" * 43, "y" * 500]:
            r = self.client.post(f"/en/plaintes/confirmer/{token}/")
            self.assertContains(r, "does not work", status_code=404)
            self.assertEqual(self.client.post(f"/en/plaintes/retirer/{token}/").status_code, 404)
        self.assertIsNone(Signatory.objects.get().confirmed_at)

    def test_an_expired_token_does_not_work(self):
        Signatory.objects.update(confirm_expires_at=timezone.now() - datetime.timedelta(seconds=1))
        self.assertEqual(self.client.post(self.links["confirm"]).status_code, 404)
        self.assertIsNone(Signatory.objects.get().confirmed_at)

    def test_resending_replaces_the_earlier_link(self):
        self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign))
        self.assertEqual(self.client.post(self.links["confirm"]).status_code, 404)
        self.assertEqual(self.client.post(links(mail.outbox[1])["confirm"]).status_code, 200)

    def test_withdrawal_deletes_everything_and_leaves_an_anonymous_count(self):
        self.client.post(self.links["confirm"])
        self.assertContains(self.client.get(self.links["withdraw"]), "Withdraw and delete my data")
        self.assertTrue(Signatory.objects.exists())
        r = self.client.post(self.links["withdraw"])
        self.assertContains(r, "withdrawn")
        self.assertFalse(Signatory.objects.exists())
        self.assertEqual(Campaign.objects.get().withdrawals, 1)
        self.assertEqual(self.total(), "0")
        self.assertEqual(self.client.post(self.links["withdraw"]).status_code, 404)

    def test_not_me_deletes_an_unconfirmed_sign_up_at_once_without_counting_it(self):
        self.assertContains(self.client.get(self.links["not_me"]), "This was not me")
        r = self.client.post(self.links["not_me"])
        self.assertContains(r, "will not be signed up to this campaign again")
        self.assertFalse(Signatory.objects.exists())
        self.assertEqual(Campaign.objects.get().withdrawals, 0)
        self.assertEqual(self.client.post(self.links["confirm"]).status_code, 404)

    def test_links_refuse_other_methods_and_missing_csrf(self):
        for name in ["confirm", "withdraw", "not_me"]:
            self.assertEqual(self.client.put(self.links[name]).status_code, 405)
            self.assertEqual(self.csrf_client.post(self.links[name]).status_code, 403)
        self.assertTrue(Signatory.objects.exists())

    def test_a_mail_owed_at_withdrawal_is_dropped(self):
        from technopolice.complaints.tasks import send_signatory_emails

        Signatory.objects.update(mail_kind="already", mail_due_at=timezone.now())
        self.client.post(self.links["not_me"])
        mail.outbox.clear()
        self.assertEqual(send_signatory_emails.call(), "0 sent, 0 put off")
        self.assertEqual(mail.outbox, [])
