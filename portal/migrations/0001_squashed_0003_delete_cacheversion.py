# A database made from scratch needs none of the version table's migrations (0001-0003): it never had the
# table. Also keeps 0002's data migration, which reads through the default database, from running while the
# tests migrate their second (SQLite) database after the default one dropped the table.

from django.db import migrations


class Migration(migrations.Migration):
    replaces = [
        ("portal", "0001_cache_version"),
        ("portal", "0002_directories_version"),
        ("portal", "0003_delete_cacheversion"),
    ]

    operations = []
