"""The actor's own index dropped: `audit_by_actor` begins with the actor and serves every look-up
by actor, and each index is written on every page that records its reads. SQLite alters the
column by remaking the table, which takes its triggers with it: the append-only guard is
installed again afterwards (`database.py`)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from earlyhelp.audit.database import install_append_only_guard


def install(apps, schema_editor):
    install_append_only_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0011_erasure_at_disposal"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
