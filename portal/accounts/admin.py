from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Invitation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "role", "company", "buyer_organisation", "trade_centre", "is_active"]
    list_filter = ["role", "trade_centre", "is_staff", "is_active"]
    search_fields = [
        "username",
        "email",
        "first_name",
        "last_name",
        "company__name_en",
        "company__name_ko",
        "buyer_organisation__name",
    ]
    list_select_related = ["company", "buyer_organisation", "trade_centre"]
    autocomplete_fields = ["company", "buyer_organisation"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (
            _("Organisation"),
            {"fields": ["role", "company", "buyer_organisation", "trade_centre", "time_zone"]},
        ),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Organisation"), {"fields": ["role", "company", "buyer_organisation", "trade_centre"]}),
    )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "invited_by", "created_at", "expires_at", "accepted_by"]
    list_filter = ["invited_by__role"]
    search_fields = ["email", "invited_by__username", "invited_by__email"]
    list_select_related = ["invited_by", "accepted_by"]
    readonly_fields = ["token", "accepted_by"]
    autocomplete_fields = ["invited_by"]
    date_hierarchy = "created_at"
