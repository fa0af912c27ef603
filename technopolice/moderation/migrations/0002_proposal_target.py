"""A proposal points at its target generically (a content type and an id), not at a dossier.

Moderation then knows no domain model. Three steps, each in its own transaction (PostgreSQL
refuses to alter a table whose rows were just updated with deferred foreign keys): the new
columns, then the dossier of every proposal copied into them (0003), then the old column
dropped (0004). Reversed, every dossier link comes back: no proposal loses its link.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("moderation", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="target_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="target type",
            ),
        ),
        migrations.AddField(
            model_name="proposal",
            name="target_id",
            field=models.PositiveBigIntegerField(
                blank=True,
                help_text="Empty for something new, until it is accepted.",
                null=True,
                verbose_name="target id",
            ),
        ),
    ]
