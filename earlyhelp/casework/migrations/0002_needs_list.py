"""The shipped needs list (Families First factors and Supporting Families outcomes), loaded."""

from django.db import migrations


def load(apps, schema_editor):
    from earlyhelp.casework.configuration import needs_lists_load

    needs_lists_load(apps.get_model("casework", "NeedsList"), apps.get_model("casework", "CodedNeed"))


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
