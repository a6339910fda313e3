"""Admin of the shared vocabulary: trade centres, categories and certifications."""

from django.contrib import admin

from matching.kernel.models import Category, Certification, TradeCentre


@admin.register(TradeCentre)
class TradeCentreAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ko", "code", "city", "email"]
    search_fields = ["name_en", "name_ko", "code"]
    filter_horizontal = ["countries"]
    list_select_related = ["city"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ko", "slug", "sort_order"]
    search_fields = ["name_en", "name_ko", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ko", "code"]
    search_fields = ["name_en", "name_ko", "code"]
