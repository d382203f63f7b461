"""The append-only guard again, now also allowing a sealed entry's details to be erased at a
record's disposal (`database.py`), and the verb for the disposal's own entry."""

from django.db import migrations

from earlyhelp.audit.database import install_append_only_guard


def install(apps, schema_editor):
    install_append_only_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0010_disposed_verb")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
