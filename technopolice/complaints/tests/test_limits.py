"""Fair limits on launch day: hundreds of people behind one address sign with the proof of work
solved; without it (no JavaScript, robots) a few per address and per campaign get through."""

import html
import json
import re
from unittest import mock

import altcha
from django.core import mail
from django.test import override_settings

from technopolice.complaints import actions
from technopolice.complaints.models import Signatory
from technopolice.lib import altcha as proof_of_work

from .base import ComplaintsTestCase
from .factories import CampaignFactory, sign_data


def solve(challenge_json: str) -> str:
    challenge = altcha.Challenge.from_dict(json.loads(challenge_json))
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


def solve_new() -> str:
    return solve(proof_of_work.new_challenge())


@override_settings(ALTCHA_COST=1)  # the browser's work, made cheap for the tests
class LimitTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory()
        self.url = f"/en/plaintes/{self.campaign.slug}/"  # English: French strings come later

    def solved_from_page(self) -> str:
        """What the widget posts: the page's own challenge, solved."""
        page = self.client.get(self.url).content.decode()
        challenge = re.search(r'<altcha-widget name="altcha" challenge="([^"]+)"', page).group(1)
        return solve(html.unescape(challenge))

    def post(self, n: int, address: str = "198.51.100.7", proof: str = "", meta=None, **overrides):
        data = sign_data(self.campaign, email=f"person{n}@example.net", first_name=f"Personne {n}")
        data.update(overrides)
        if proof:
            data["altcha"] = proof
        return self.client.post(self.url, data, REMOTE_ADDR=address, **(meta or {}))

    def test_proved_sign_ups_from_one_address_go_well_past_the_old_thirty(self):
        for n in range(45):
            r = self.post(n, proof=self.solved_from_page())
            self.assertEqual(r.status_code, 302, n)
        self.assertEqual(Signatory.objects.count(), 45)
        self.assertEqual(len(mail.outbox), 45)

    @override_settings(COMPLAINTS_PROVED_SIGNUPS_PER_VISITOR_PER_HOUR=2)
    def test_proved_sign_ups_still_meet_a_ceiling(self):
        for n in range(2):
            self.assertEqual(self.post(n, proof=solve_new()).status_code, 302)
        r = self.post(2, proof=solve_new())
        self.assertContains(r, "Too many sign-ups came from your connection", status_code=429)
        self.assertEqual(Signatory.objects.count(), 2)

    @override_settings(COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=3)
    def test_unproved_sign_ups_are_cut_at_the_tight_limit_with_the_form_kept(self):
        for n in range(3):
            self.assertEqual(self.post(n).status_code, 302)
        r = self.post(3)
        self.assertEqual(r.status_code, 429)
        self.assertContains(r, "Too many sign-ups without the anti-robot check", status_code=429)
        self.assertRegex(r.content.decode(), r"Send the form again in \d+ minutes?")
        self.assertLessEqual(int(r["Retry-After"]), 3600)
        self.assertContains(r, 'value="person3@example.net"', status_code=429)  # what they typed
        self.assertContains(r, 'value="Personne 3"', status_code=429)
        self.assertContains(r, "<altcha-widget", status_code=429)  # a fresh challenge to solve
        self.assertEqual(Signatory.objects.count(), 3)
        # The same person with JavaScript on signs at once.
        self.assertEqual(self.post(3, proof=self.solved_from_page()).status_code, 302)
        # Another address is not held back.
        self.assertEqual(self.post(4, address="198.51.100.8").status_code, 302)

    @override_settings(
        COMPLAINTS_UNPROVED_SIGNUPS_PER_CAMPAIGN_PER_HOUR=3,
        COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=10,
    )
    def test_unproved_sign_ups_meet_a_ceiling_per_campaign_whatever_the_address(self):
        for n in range(3):
            self.assertEqual(self.post(n, address=f"203.0.113.{n}").status_code, 302)
        r = self.post(3, address="203.0.113.200")
        self.assertContains(r, "This campaign is receiving too many sign-ups", status_code=429)
        self.assertEqual(Signatory.objects.count(), 3)
        # Proved sign-ups go on; so do unproved ones on another campaign.
        self.assertEqual(self.post(3, address="203.0.113.200", proof=solve_new()).status_code, 302)
        other = CampaignFactory()
        r = self.client.post(
            f"/en/plaintes/{other.slug}/",
            sign_data(other, email="x@example.net"),
            REMOTE_ADDR="203.0.113.201",
        )
        self.assertEqual(r.status_code, 302)

    @override_settings(
        COMPLAINTS_UNPROVED_SIGNUPS_PER_CAMPAIGN_PER_HOUR=1,
        COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=2,
    )
    def test_a_refusal_by_the_campaign_ceiling_gives_back_the_address_slot(self):
        self.assertEqual(self.post(0, address="203.0.113.1").status_code, 302)
        for n in range(1, 4):
            self.assertEqual(self.post(n, address="203.0.113.2").status_code, 429)
        with self.settings(COMPLAINTS_UNPROVED_SIGNUPS_PER_CAMPAIGN_PER_HOUR=10):
            # 203.0.113.2's three refusals used up nothing: its two are still there.
            self.assertEqual(self.post(4, address="203.0.113.2").status_code, 302)
            self.assertEqual(self.post(5, address="203.0.113.2").status_code, 302)
            self.assertEqual(self.post(6, address="203.0.113.2").status_code, 429)

    @override_settings(COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=2)
    def test_invalid_forms_use_up_nothing(self):
        for n in range(5):
            data = sign_data(self.campaign, email=f"typo{n}@example", consent_data="")
            r = self.client.post(self.url, data, REMOTE_ADDR="198.51.100.7")
            self.assertContains(r, "Enter a valid email address")
        self.assertEqual(self.post(0).status_code, 302)
        self.assertEqual(self.post(1).status_code, 302)
        self.assertEqual(self.post(2).status_code, 429)

    @override_settings(COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=1)
    def test_a_sign_up_that_was_not_stored_uses_up_nothing(self):
        with mock.patch.object(actions, "sign", side_effect=actions.SignatureNotStored):
            self.assertEqual(self.post(0).status_code, 409)  # the campaign changed meanwhile
        self.assertEqual(self.post(1).status_code, 302)
        self.assertEqual(self.post(2).status_code, 429)

    @override_settings(COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=1)
    def test_a_replayed_solution_counts_as_unproved(self):
        proof = self.solved_from_page()
        self.assertEqual(self.post(0, proof=proof).status_code, 302)  # proved: not counted as unproved
        self.assertEqual(self.post(1, proof=proof).status_code, 302)  # replayed: the one unproved
        r = self.post(2, proof=proof)
        self.assertContains(r, "without the anti-robot check", status_code=429)
        self.assertEqual(Signatory.objects.count(), 2)

    @override_settings(COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=1)
    def test_a_forged_or_foreign_solution_counts_as_unproved(self):
        with self.settings(ALTCHA_HMAC_KEY="another key"):
            foreign = solve_new()
        self.assertEqual(self.post(0, proof=foreign).status_code, 302)
        self.assertEqual(self.post(1, proof="bm90IGEgcHJvb2Y=").status_code, 429)

    @override_settings(TRUSTED_PROXY_COUNT=1, COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=2)
    def test_behind_the_proxy_the_forwarded_client_address_is_limited(self):
        def via_proxy(n, forwarded):
            return self.post(n, address="10.0.0.1", meta={"HTTP_X_FORWARDED_FOR": forwarded})

        self.assertEqual(via_proxy(0, "192.0.2.10").status_code, 302)
        self.assertEqual(via_proxy(1, "192.0.2.10").status_code, 302)
        # What the client wrote left of the proxy's entry is not read: still 192.0.2.10.
        self.assertEqual(via_proxy(2, "1.2.3.4, 192.0.2.10").status_code, 429)
        # Everybody comes from the proxy's address, yet another client is not held back.
        self.assertEqual(via_proxy(3, "192.0.2.11").status_code, 302)

    def test_the_honeypot_still_thanks_robots_and_counts_nothing(self):
        with self.settings(COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=1):
            for n in range(3):
                self.assertEqual(self.post(n, website="http://spam.example").status_code, 302)
            self.assertEqual(Signatory.objects.count(), 0)
            self.assertEqual(self.post(9).status_code, 302)
        self.assertEqual(Signatory.objects.count(), 1)
