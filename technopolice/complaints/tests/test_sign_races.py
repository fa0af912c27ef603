"""A campaign edited by staff while someone signs: the person is told, never shown a false success.

TransactionTestCase: the foreign keys are checked when the sign-up's transaction commits, as in
production; inside a test's enclosing transaction they would not be checked at all.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django_tasks_db.models import DBTaskResult

from technopolice.complaints import actions, tasks
from technopolice.complaints.models import Grievance, Signatory

from .factories import CampaignFactory, sign_data


# The persistent task queue, as in production: a wake-up enqueued in a transaction that fails
# to commit vanishes with it (the immediate backend would send at once, before the commit).
@override_settings(TASKS=settings.TASKS)
class GrievanceDeletedMeanwhileTests(TransactionTestCase):
    def setUp(self):
        cache.clear()
        actions.forget_signings()
        tasks.forget_wake_ups()  # a wake-up from an earlier test would let this one ride on it
        self.campaign = CampaignFactory()
        self.url = f"/en/plaintes/{self.campaign.slug}/"

    def delete_elsewhere(self, grievance: Grievance) -> None:
        """As another process would: in SQL, so this process's kept campaign is not told."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote(Grievance.dossiers.through._meta.db_table)} WHERE grievance_id = %s",  # noqa: S608
                [grievance.pk],
            )
            cursor.execute(f"DELETE FROM {quote(Grievance._meta.db_table)} WHERE id = %s", [grievance.pk])  # noqa: S608

    def test_the_form_comes_back_with_a_message_and_nothing_is_stored(self):
        data = sign_data(self.campaign)
        self.assertEqual(self.client.get(self.url).status_code, 200)  # the process now keeps the campaign
        self.delete_elsewhere(Grievance.objects.get(pk=data["grievances"][0]))

        response = self.client.post(self.url, data)

        self.assertContains(response, "nothing was saved", status_code=409)
        self.assertContains(response, 'value="Quenouille"', status_code=409)  # what was typed is kept
        self.assertFalse(Signatory.objects.exists())
        self.assertFalse(DBTaskResult.objects.exists())  # no email was queued either

    def test_signing_again_then_works(self):
        data = sign_data(self.campaign)
        self.client.get(self.url)
        self.delete_elsewhere(Grievance.objects.get(pk=data["grievances"][0]))
        self.client.post(self.url, data)

        response = self.client.post(self.url, sign_data(self.campaign))  # the grievances that remain

        self.assertRedirects(response, f"{self.url}merci/")
        self.assertEqual(Signatory.objects.count(), 1)
        self.assertTrue(DBTaskResult.objects.exists())  # its confirmation is on its way
