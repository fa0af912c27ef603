"""A collective is activity once, when a moderator lists it; feeds and follows name only listed ones."""

from django.utils import timezone

from technopolice.activity import actions as activity
from technopolice.activity import subjects
from technopolice.activity.models import Activity
from technopolice.collectives import actions
from technopolice.collectives.models import Collective
from technopolice.moderation.models import Proposal
from technopolice.registry.models import Commune
from technopolice.registry.tests.factories import CommuneFactory
from technopolice.testing.cases import BaseTestCase

from .test_manage import valid


class CollectiveActivityTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        CommuneFactory()
        self.login(self.alice).post("/en/collectifs/nouveau/", valid())
        self.collective = Collective.objects.get()
        self.proposal = Proposal.objects.get(kind="collective")

    def accept(self):
        return self.login(self.bob).post(f"/en/moderation/propositions/{self.proposal.pk}/accepter/")

    def test_a_pending_collective_is_no_activity_and_no_subject(self):
        self.assertFalse(Activity.objects.exists())
        self.assertEqual(subjects.resolve([f"collective:{self.collective.pk}"]), {})

    def test_listing_it_tells_its_places_once(self):
        self.assertEqual(self.accept().status_code, 302)
        actions.list_collective(self.collective.pk)  # listed again: nothing new to say
        activity = Activity.objects.get()
        self.assertEqual((activity.kind, activity.object), ("collective_listed", self.collective))
        self.assertEqual(activity.path, f"/collectifs/{self.collective.slug}/")
        commune = Commune.objects.get(insee="42218")
        expected = {
            "site",
            f"collective:{self.collective.pk}",
            f"commune:{commune.pk}",
            f"department:{commune.department_id}",
            f"region:{commune.department.region_id}",
        }
        self.assertEqual(set(activity.subjects.values_list("key", flat=True)), expected)
        key = f"collective:{self.collective.pk}"
        self.assertEqual(subjects.resolve([key]), {key: self.collective})

    def test_unlisting_it_in_the_admin_takes_it_and_its_events_out_of_the_feeds(self):
        self.accept()
        event = self.collective.events.create(title="Réunion", starts_at=timezone.now())
        activity.record("event", event, title=event.title, path="/x/", subjects=[])
        self.change_status("pending")
        self.assertFalse(Activity.objects.exists())
        self.change_status("listed")
        self.assertEqual(list(Activity.objects.values_list("kind", flat=True)), ["collective_listed"])

    def change_status(self, status: str) -> None:
        url = f"/en/admin/collectives/collective/{self.collective.pk}/change/"
        client = self.login(self.carol)
        data = change_form_data(client.get(url))
        response = client.post(url, {**data, "status": status})
        self.assertEqual(
            response.status_code, 302, response.context and response.context["adminform"].form.errors
        )


def change_form_data(response) -> dict:
    """What the admin's change form would send back unchanged: its fields and its inlines'."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value in (None, False, "") or (hasattr(value, "name") and not value):
                continue
            data[form.add_prefix(name)] = (
                [str(v) for v in value] if isinstance(value, list | tuple) else value
            )
    return data
