"""Add the thesaurus's concept tokens (matching.thesaurus) to the search text of the rows that exist."""

from django.db import migrations

from portal.common.querysets import search_text_reindex_all


def reindex(apps, schema_editor):
    search_text_reindex_all(apps.get_model("demands", "Demand"))


class Migration(migrations.Migration):
    dependencies = [
        ("demands", "0003_vocabulary_in_kernel"),
    ]

    operations = [
        migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True),
    ]
