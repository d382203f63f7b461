"""The starting needs (earlyhelp/directory/needs.py)."""

from django.db import migrations

from earlyhelp.directory.needs import NEEDS, needs_ensure


def add_needs(apps, schema_editor):
    needs_ensure(apps.get_model("directory", "Need"))


def remove_needs(apps, schema_editor):
    apps.get_model("directory", "Need").objects.filter(code__in=[code for code, *_ in NEEDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(add_needs, remove_needs)]
