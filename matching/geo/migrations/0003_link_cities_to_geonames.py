"""Link the cities the portal has to the data set's, by name within their country: nothing is renamed,
no time zone changes. Provinces and regions, and cities the data set does not hold, stay unlinked."""

from django.db import migrations


def link(apps, schema_editor):
    City = apps.get_model("geo", "City")
    unlinked = list(City.objects.filter(geonames_id__isnull=True, kind="city").select_related("country"))
    if not unlinked:
        return  # a new database: no need to load the data set
    from matching.geo import dataset

    taken = set(City.objects.filter(geonames_id__isnull=False).values_list("geonames_id", flat=True))
    for city in unlinked:
        found = dataset.match(city.country.iso_code, city.name_en)
        if found is not None and found.geonames_id not in taken:
            City.objects.filter(pk=city.pk).update(geonames_id=found.geonames_id)
            taken.add(found.geonames_id)


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_city_geonames_id")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop, elidable=True)]
