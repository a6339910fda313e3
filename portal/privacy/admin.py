"""Consents in the admin: read, filtered by law, kind and state; evidence written only by the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.common.admin_actions import NotByHand
from portal.privacy.models import Consent, ConsentRecord, NoticeText


class RecordInline(NotByHand, admin.TabularInline):
    model = ConsentRecord
    fields = ["recorded_at", "granted", "law", "notice", "source"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("history")


@admin.register(Consent)
class ConsentAdmin(NotByHand, admin.ModelAdmin):
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
class NoticeTextAdmin(NotByHand, admin.ModelAdmin):
    list_display = ["law", "kind", "version", "language", "created_at", "sha256"]
    list_filter = ["law", "kind", "language"]
    fields = ["law", "kind", "version", "language", "created_at", "sha256", "text"]
