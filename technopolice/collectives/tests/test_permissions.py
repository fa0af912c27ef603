"""Who may run a collective: its organisers, for that collective only (and moderators).

Every POST names a membership by id: it is looked up within the collective of the URL, and the
actor must organise that collective. Wrong actor or forged id: 403 or 404, nothing changes.
"""

from django.test import Client

from technopolice.collectives.models import Collective, CollectiveStatus, Membership, MembershipStatus, Role
from technopolice.collectives.tests.factories import CollectiveFactory, add_member, add_organiser, ask_to_join
from technopolice.testing.cases import BaseTestCase, make_user

from .test_manage import valid


class PermissionTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.ours = CollectiveFactory(name="Ours")
        self.theirs = CollectiveFactory(name="Theirs")
        add_organiser(self.ours, self.alice)
        # An organiser without any role on the site: administrators may run every collective.
        self.dana = make_user("dana")
        self.their_organiser = add_organiser(self.theirs, self.dana)
        self.their_request = ask_to_join(self.theirs, self.bob)

    def url(self, collective: Collective, tail: str) -> str:
        return f"/en/collectifs/{collective.slug}/{tail}"

    def test_a_member_cannot_edit(self):
        add_member(self.ours, self.mallory)
        self.login(self.mallory)
        self.assertEqual(self.client.get(self.url(self.ours, "modifier/")).status_code, 403)
        self.assertEqual(
            self.client.post(self.url(self.ours, "modifier/"), valid(name="Taken")).status_code, 403
        )
        self.ours.refresh_from_db()
        self.assertEqual(self.ours.name, "Ours")

    def test_a_non_member_sees_no_member_list(self):
        add_member(self.ours, self.mallory)
        self.assertEqual(
            self.login(self.bob).get(self.url(self.ours, "membres/")).status_code, 200
        )  # moderator
        for client in (self.client_for(self.mallory), self.client_for(None)):
            response = client.get(self.url(self.ours, "membres/"))
            self.assertIn(response.status_code, (302, 403))
            self.assertNotIn(b"mallory", response.content)
        outsider = self.client_for(self.dana).get(self.url(self.ours, "membres/"))  # organises another one
        self.assertEqual(outsider.status_code, 403)

    def client_for(self, user):
        client = Client()
        return self.login(user, client) if user else client

    def test_an_organiser_of_one_collective_cannot_touch_anothers_members(self):
        self.login(self.alice)
        for verb in ("accept", "refuse", "organiser", "remove"):
            response = self.client.post(self.url(self.theirs, f"membres/{self.their_request.pk}/{verb}/"))
            self.assertEqual(response.status_code, 403, verb)
        self.assertEqual(
            self.client.post(self.url(self.theirs, "membres/ne-plus-organiser/")).status_code, 404
        )
        self.their_request.refresh_from_db()
        self.assertEqual(self.their_request.status, MembershipStatus.REQUESTED)

    def test_a_forged_membership_id_of_another_collective_is_refused(self):
        # Alice organises "ours" and names a membership of "theirs" in its URL.
        self.login(self.alice)
        for verb, membership in (("accept", self.their_request), ("remove", self.their_organiser)):
            response = self.client.post(self.url(self.ours, f"membres/{membership.pk}/{verb}/"))
            self.assertEqual(response.status_code, 404)
        self.assertEqual(Membership.objects.get(pk=self.their_request.pk).status, MembershipStatus.REQUESTED)
        self.assertTrue(Membership.objects.filter(pk=self.their_organiser.pk).exists())
        self.assertEqual(self.client.post(self.url(self.ours, "membres/999999/accept/")).status_code, 404)

    def test_an_unknown_verb_or_ones_own_membership_is_not_an_action(self):
        mine = Membership.objects.get(collective=self.ours, user=self.alice)
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url(self.ours, f"membres/{mine.pk}/remove/")).status_code, 404)
        member = add_member(self.ours, self.mallory)
        self.assertEqual(
            self.client.post(self.url(self.ours, f"membres/{member.pk}/delete/")).status_code, 404
        )
        self.assertTrue(Membership.objects.filter(pk__in=[mine.pk, member.pk]).count() == 2)

    def test_member_actions_are_post_only_and_check_csrf(self):
        member = add_member(self.ours, self.mallory)
        url = self.url(self.ours, f"membres/{member.pk}/organiser/")
        self.assertEqual(self.login(self.alice).get(url).status_code, 405)
        self.login(self.alice, self.csrf_client)
        self.assertEqual(self.csrf_client.post(url).status_code, 403)
        member.refresh_from_db()
        self.assertEqual(member.role, Role.MEMBER)

    def test_an_unlisted_collective_is_not_found_by_others(self):
        pending = CollectiveFactory(status=CollectiveStatus.PENDING)
        add_organiser(pending, self.alice)
        self.login(self.mallory)
        for tail in ("modifier/", "membres/"):
            self.assertEqual(self.client.get(self.url(pending, tail)).status_code, 404)
        self.assertEqual(self.client_for(self.alice).get(self.url(pending, "modifier/")).status_code, 200)

    def test_leaving_needs_a_membership(self):
        self.assertEqual(self.login(self.mallory).post(self.url(self.ours, "quitter/")).status_code, 404)


class AdminTests(BaseTestCase):
    def test_administrators_list_and_filter_collectives_without_any_address(self):
        pending = CollectiveFactory(name="Waiting one", status=CollectiveStatus.PENDING)
        CollectiveFactory(name="Sleeping one", is_dormant=True)
        add_organiser(pending, self.alice)
        self.login(self.carol)
        listing = self.client.get("/en/admin/collectives/collective/", {"status__exact": "pending"})
        self.assertContains(listing, "Waiting one")
        self.assertNotContains(listing, "Sleeping one")
        dormant = self.client.get("/en/admin/collectives/collective/", {"is_dormant__exact": "1"})
        self.assertContains(dormant, "Sleeping one")
        page = self.client.get(f"/en/admin/collectives/collective/{pending.pk}/change/")
        self.assertContains(page, "alice")
        self.assertNotContains(page, "@example.org")

    def test_moderators_and_members_do_not_reach_the_admin(self):
        for user in (self.bob, self.mallory):
            response = self.login(user, Client()).get("/en/admin/collectives/collective/")
            self.assertEqual(response.status_code, 302, user)
