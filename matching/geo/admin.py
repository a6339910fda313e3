from django.contrib import admin

from matching.geo.models import City, Country, Language


class CityInline(admin.TabularInline):
    model = City
    extra = 0
    fields = ["name_en", "name_ko", "name_local", "kind", "time_zone", "geonames_id"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ko", "iso_code"]
    search_fields = ["name_en", "name_ko", "iso_code"]
    inlines = [CityInline]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ko", "name_local", "country", "kind", "time_zone", "geonames_id"]
    list_filter = ["country", "kind"]
    search_fields = ["name_en", "name_ko", "name_local"]
    list_select_related = ["country"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ko"]
    search_fields = ["code", "name_en", "name_ko"]
