"""On PostgreSQL, trigram GIN indexes make the directories' substring search (LIKE '%word%') fast.

SQLite has no such index and needs none at this size; there the migration does nothing.
"""

from django.db import migrations

TABLES = ["companies_company", "demands_demand"]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0001_initial"),
        ("demands", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
