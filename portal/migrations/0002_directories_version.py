from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("portal", "CacheVersion").objects.get_or_create(name="directories", defaults={"number": 1})


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_cache_version")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
