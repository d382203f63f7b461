"""The shipped assessment layouts (the CAF and a strengths-based one), loaded."""

from django.db import migrations


def load(apps, schema_editor):
    from earlyhelp.casework.configuration import assessment_templates_load

    assessment_templates_load(apps.get_model("casework", "AssessmentTemplate"))


class Migration(migrations.Migration):
    dependencies = [("casework", "0004_assessments")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
