"""Consents in the admin: read, filtered by law, kind and state; written only by the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.privacy.models import Consent, ConsentRecord, NoticeText


class _ReadOnly(admin.ModelAdmin):
    """Evidence of consent: nobody adds, edits or deletes it by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordInline(admin.TabularInline):
    model = ConsentRecord
    fields = ["recorded_at", "granted", "law", "notice", "source"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(_ReadOnly):
    list_display = ["user", "kind", "law", "granted", "notice_version", "changed_at"]
    list_filter = ["law", "kind", "granted"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    list_select_related = ["user", "notice"]
    date_hierarchy = "changed_at"
    inlines = [RecordInline]

    @admin.display(description=_("notice version"), ordering="notice__version")
    def notice_version(self, consent):
        return consent.notice.version


@admin.register(NoticeText)
class NoticeTextAdmin(_ReadOnly):
    list_display = ["law", "kind", "version", "language", "created_at", "sha256"]
    list_filter = ["law", "kind", "language"]
    fields = ["law", "kind", "version", "language", "created_at", "sha256", "text"]
