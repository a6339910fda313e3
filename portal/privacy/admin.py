"""Consents in the admin: read, filtered by law, kind and state; evidence written only by the services."""

from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.common.admin_actions import NotByHand, ServiceActions
from portal.privacy import erasure
from portal.privacy.models import Consent, ConsentRecord, DeletionRequest, NoticeText


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


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        late = {"state": DeletionRequest.State.OPEN, "deadline__lt": timezone.now()}
        if self.value() == "yes":
            return queryset.filter(**late)
        if self.value() == "no":
            return queryset.exclude(**late)
        return queryset


@admin.register(DeletionRequest)
class DeletionRequestAdmin(NotByHand, ServiceActions):
    """Account deletion requests, overdue first; carried out only through the erasure service."""

    list_display = ["user", "source", "state", "requested_at", "deadline", "is_overdue", "carried_out_at"]
    list_display += ["withdrawn_at"]
    list_filter = ["state", "source", OverdueFilter]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["user", "source", "state", "requested_at", "deadline", "carried_out_at", "carried_out_by"]
    fields += ["withdrawn_at"]
    readonly_fields = fields
    actions = ["carry_out_selected"]

    def get_ordering(self, request):
        # Open requests past their deadline first, then open ones by deadline, then those carried out.
        now = timezone.now()
        urgency = Case(
            When(state=DeletionRequest.State.OPEN, deadline__lt=now, then=Value(0)),
            When(state=DeletionRequest.State.OPEN, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return [urgency.asc(), "deadline", "pk"]

    @admin.display(description=_("overdue"), boolean=True)
    def is_overdue(self, request_row):
        return request_row.overdue

    @admin.action(
        description=_("Carry out the selected requests (erases the accounts' personal data)"),
        permissions=["manage"],
    )
    def carry_out_selected(self, request, queryset):
        self.apply_service(
            request,
            queryset.filter(state=DeletionRequest.State.OPEN),
            lambda row: erasure.deletion_request_carry_out(request=row, by=request.user),
            lambda count: ngettext("%(count)d account erased.", "%(count)d accounts erased.", count),
            _("Carried out: the account's personal data erased."),
        )
