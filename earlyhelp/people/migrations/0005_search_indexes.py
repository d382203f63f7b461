"""Indexes that let person search and the duplicate checks stay fast at county scale (ADR 14).

On PostgreSQL: pg_trgm's trigram index on the normalised names, which serves "a word anywhere in
a name" (LIKE '%word%') and "a name starting with a short word"; the due date beside the date of
birth. SQLite has no trigram index: it scans, correctly, which is fine at a newcomer's scale.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TRIGRAM_INDEX = "person_search_name_trigram"


def trigram_index_create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON people_person USING gin (search_name gin_trgm_ops)"
    )
    # The planner guesses how many people a word matches from these statistics: at the default
    # (100) a surname held by 200 people looks like 3,000, and a search bounded to 500 candidates
    # then reads the whole table instead of the index.
    schema_editor.execute("ALTER TABLE people_person ALTER COLUMN search_name SET STATISTICS 2000")


def trigram_index_drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
        schema_editor.execute("ALTER TABLE people_person ALTER COLUMN search_name SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_authority_settings"),
        ("people", "0004_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="search_name",
            field=models.CharField(editable=False, max_length=500),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["authority", "expected_date_of_delivery"], name="person_by_due_date"),
        ),
        migrations.RunPython(trigram_index_create, trigram_index_drop, elidable=False),
    ]
