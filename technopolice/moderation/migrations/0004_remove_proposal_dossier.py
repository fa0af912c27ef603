"""The dossier column goes once every proposal's link lives in its target (0003)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("moderation", "0003_proposal_target_from_dossier")]

    operations = [
        migrations.RemoveField(model_name="proposal", name="dossier"),
        migrations.AlterField(
            model_name="proposal",
            name="kind",
            field=models.CharField(db_index=True, max_length=20, verbose_name="kind"),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(fields=["target_type", "target_id"], name="moderation_proposal_target"),
        ),
    ]
