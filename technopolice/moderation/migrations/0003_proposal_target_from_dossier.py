"""Each proposal's dossier becomes its target; reversed, each dossier target becomes its dossier again."""

from django.db import migrations, models

DOSSIER = {"app_label": "registry", "model": "dossier"}


def dossier_to_target(apps, schema_editor):
    Proposal = apps.get_model("moderation", "Proposal")
    ContentType = apps.get_model("contenttypes", "ContentType")
    linked = Proposal.objects.filter(dossier__isnull=False)
    if linked.exists():
        dossier_type, _created = ContentType.objects.get_or_create(**DOSSIER)
        linked.update(target_type=dossier_type, target_id=models.F("dossier_id"))


def target_to_dossier(apps, schema_editor):
    Proposal = apps.get_model("moderation", "Proposal")
    Proposal.objects.filter(target_type__app_label=DOSSIER["app_label"], target_type__model="dossier").update(
        dossier_id=models.F("target_id")
    )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_proposal_target")]

    operations = [migrations.RunPython(dossier_to_target, target_to_dossier, elidable=False)]
