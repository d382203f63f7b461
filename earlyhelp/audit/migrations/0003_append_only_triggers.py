"""The database itself refuses to change or delete an audit row, whatever code or person asks."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from earlyhelp.audit.database import install_append_only_guard, remove_append_only_guard


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    install_append_only_guard(schema_editor.connection)


def remove(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    remove_append_only_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunPython(install, remove)]
