"""The queue with a kind of its own: moderation works for any domain that registers a kind,
and knows none of them (these tests use a kind that publishes a group of users)."""

import copy
import dataclasses
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings

from technopolice.moderation import actions, kinds
from technopolice.moderation.models import Proposal, ProposalState
from technopolice.testing.cases import BaseTestCase


def publish_group(proposal, moderator):
    if proposal.payload["name"] == "refused":
        raise ValidationError("The handler refuses this one.")
    group = proposal.target or Group()
    group.name = proposal.payload["name"]
    group.save()
    return group


GROUP_KIND = kinds.ProposalKindHandler(
    kind="test-group",
    label="group",
    review_template="moderation/tests/review_group.html",
    apply=publish_group,
    changes=lambda proposal: {"name": (proposal.target.name, proposal.payload["name"])},
    changes_template="moderation/tests/changes_group.html",
)


def with_test_templates() -> list[dict]:
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    return templates


@override_settings(TEMPLATES=with_test_templates())
class KindTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        kinds.register(GROUP_KIND)
        self.addCleanup(kinds._KINDS.pop, GROUP_KIND.kind)


class TargetTests(KindTestCase):
    def test_a_new_proposal_has_no_target_until_it_is_accepted(self):
        proposal, _token = actions.submit("test-group", {"name": "Observers"})
        self.assertIsNone(proposal.target)
        self.assertFalse(proposal.is_edit)
        published = actions.accept(proposal, self.bob)
        proposal.refresh_from_db()
        self.assertEqual((proposal.target, published.name), (published, "Observers"))

    def test_an_edit_keeps_the_object_it_changes_as_its_target(self):
        group = Group.objects.create(name="Old name")
        proposal, _token = actions.submit("test-group", {"name": "New name"}, target=group)
        proposal.refresh_from_db()
        self.assertEqual(proposal.target, group)
        self.assertTrue(proposal.is_edit)
        self.assertEqual(proposal.changes(), {"name": ("Old name", "New name")})
        actions.accept(proposal, self.bob)
        group.refresh_from_db()
        self.assertEqual(group.name, "New name")
        self.assertIsNone(Proposal.objects.get(pk=proposal.pk).changes(), "decided: nothing to compare")

    def test_a_refusing_handler_leaves_the_proposal_pending_and_without_target(self):
        proposal, _token = actions.submit("test-group", {"name": "refused"})
        with self.assertRaises(ValidationError):
            actions.accept(proposal, self.bob)
        proposal.refresh_from_db()
        self.assertEqual((proposal.state, proposal.target_id), (ProposalState.PENDING, None))


class RejectHookTests(KindTestCase):
    """A kind whose object exists before moderation hears of the rejection, in the same transaction."""

    def register_with_hook(self, hook) -> None:
        kinds._KINDS.pop(GROUP_KIND.kind)
        kinds.register(dataclasses.replace(GROUP_KIND, reject=hook))

    def test_the_reject_hook_runs_with_the_decided_proposal(self):
        heard = []
        self.register_with_hook(lambda proposal, moderator: heard.append((proposal.state, moderator)))
        proposal, _token = actions.submit("test-group", {"name": "Observers"})
        actions.reject(proposal, self.bob, "Not a group.")
        self.assertEqual(heard, [(ProposalState.REJECTED, self.bob)])

    def test_a_failing_hook_leaves_the_proposal_pending(self):
        def refuse(proposal, moderator):
            raise ValidationError("No.")

        self.register_with_hook(refuse)
        proposal, _token = actions.submit("test-group", {"name": "Observers"})
        with self.assertRaises(ValidationError):
            actions.reject(proposal, self.bob, "Not a group.")
        proposal.refresh_from_db()
        self.assertEqual(proposal.state, ProposalState.PENDING)

    def test_a_kind_without_hook_is_rejected_as_before(self):
        proposal, _token = actions.submit("test-group", {"name": "Observers"})
        actions.reject(proposal, self.bob, "Not a group.")
        proposal.refresh_from_db()
        self.assertEqual(proposal.state, ProposalState.REJECTED)


class ViewTests(KindTestCase):
    def test_the_queue_filters_by_a_registered_kind(self):
        actions.submit("test-group", {"name": "Observers"})
        response = self.login(self.bob).get("/en/moderation/", {"kind": "test-group"})
        self.assertEqual([p.kind for p in response.context["page"]], ["test-group"])
        self.assertContains(response, '<option value="test-group" selected>group</option>', html=True)

    def test_the_review_page_shows_the_kinds_own_templates(self):
        group = Group.objects.create(name="Old name")
        proposal, _token = actions.submit("test-group", {"name": "New name"}, target=group)
        response = self.login(self.bob).get(f"/en/moderation/propositions/{proposal.pk}/")
        self.assertContains(response, "Group named New name")
        self.assertContains(response, "Renamed from Old name to New name")

    def test_accepting_a_target_without_a_page_comes_back_to_the_proposal(self):
        proposal, _token = actions.submit("test-group", {"name": "Observers"})
        response = self.login(self.bob).post(f"/en/moderation/propositions/{proposal.pk}/accepter/")
        self.assertRedirects(response, f"/en/moderation/propositions/{proposal.pk}/")
        self.assertTrue(Group.objects.filter(name="Observers").exists())


class RegistrationTests(BaseTestCase):
    def test_a_kind_cannot_be_registered_twice_with_another_handler(self):
        other = kinds.ProposalKindHandler(kind="dossier", label="x", review_template="x.html", apply=print)
        with self.assertRaises(ImproperlyConfigured):
            kinds.register(other)

    def test_changes_come_with_their_template(self):
        half = kinds.ProposalKindHandler(
            kind="half", label="x", review_template="x.html", apply=print, changes=lambda p: None
        )
        with self.assertRaises(ImproperlyConfigured):
            kinds.register(half)
        self.assertNotIn("half", [k.kind for k in kinds.registered_kinds()])

    def test_an_unregistered_kind_says_so(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "'nothing'"):
            kinds.get_kind("nothing")
