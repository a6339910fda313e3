"""Give the portal's cities linked to the data set the data set's local name where they have none yet
(ขอนแก่น, İzmir): pages in Thai and Turkish show it. A name staff typed is kept."""

from django.db import migrations


def fill(apps, schema_editor):
    City = apps.get_model("geo", "City")
    cities = list(City.objects.filter(geonames_id__isnull=False, name_local=""))
    if not cities:
        return  # a new database: no need to load the data set
    from matching.geo import dataset

    for city in cities:
        found = dataset.city(city.geonames_id)
        if found is not None and found.name_local:
            City.objects.filter(pk=city.pk, name_local="").update(name_local=found.name_local)


class Migration(migrations.Migration):
    dependencies = [("geo", "0004_country_language_thai_turkish_names")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
