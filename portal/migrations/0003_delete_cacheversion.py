# The version rows of the portal's own cache (portal.caching), replaced by Django's cache framework.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_directories_version")]

    operations = [migrations.DeleteModel(name="CacheVersion")]
