"""Builds pickled before issue 15 hold a MatchIndex of the 2022 scoring (no model, other text vectors):
delete them, so the first match page or the next rebuild task builds one with today's scoring."""

from django.db import migrations


def drop_builds(apps, schema_editor):
    apps.get_model("recommendations", "MatchIndexBuild").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0002_match_index_builds"),
    ]

    operations = [
        migrations.RunPython(drop_builds, migrations.RunPython.noop),
    ]
