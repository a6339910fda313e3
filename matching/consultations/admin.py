import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal.forms import HTTPS_URL_FIELDS
from portal.uploads import clean_pdf

from . import exports, services
from .models import (
    Event,
    FollowUp,
    Interpreter,
    Meeting,
    MeetingRequest,
    Mou,
    Outcome,
    Registration,
    Table,
    TimeSlot,
)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple_history's admin, whose history page answers an id that is no primary key with a 404.

    Its history_view looks the id up unchecked: /admin/.../xxxx/history/ or a NUL byte raised ValueError,
    a 500 (django-commons/django-simple-history#1108, open).
    """

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context)


class TimeSlotInline(admin.TabularInline):
    model = TimeSlot
    extra = 0
    fields = ["starts_at", "ends_at", "session"]


class TableInline(admin.TabularInline):
    model = Table
    extra = 0


class InterpreterInline(admin.TabularInline):
    model = Interpreter
    extra = 0
    fields = ["name", "languages", "email"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "start_date", "end_date", "organising_centre", "venue"]
    list_filter = ["organising_centre", "city__country"]
    search_fields = ["name", "venue", "city__name_en"]
    list_select_related = ["city", "organising_centre"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["city"]
    date_hierarchy = "start_date"
    inlines = [TimeSlotInline, TableInline, InterpreterInline]


@admin.register(TimeSlot)
class TimeSlotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "session", "starts_at", "ends_at"]
    list_filter = ["event", "session"]
    list_select_related = ["event"]
    search_fields = ["event__name"]
    date_hierarchy = "starts_at"


@admin.register(Table)
class TableAdmin(admin.ModelAdmin):
    list_display = ["name", "event"]
    list_filter = ["event"]
    list_select_related = ["event"]
    search_fields = ["name", "event__name"]


@admin.register(Interpreter)
class InterpreterAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "email"]
    list_filter = ["event", "languages"]
    list_select_related = ["event"]
    search_fields = ["name", "event__name"]


class ParticipantKindFilter(admin.SimpleListFilter):
    title = _("participant")
    parameter_name = "side"

    def lookups(self, request, model_admin):
        return [("sme", _("Korean companies")), ("buyer", _("Buyers"))]

    def queryset(self, request, queryset):
        if self.value() == "sme":
            return queryset.filter(company__isnull=False)
        if self.value() == "buyer":
            return queryset.filter(buyer__isnull=False)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "status", "needs_interpreter", "max_meetings"]
    list_filter = ["event", ParticipantKindFilter, "status", "needs_interpreter"]
    search_fields = ["company__name_en", "company__name_ko", "buyer__name", "buyer__name_local"]
    list_select_related = ["event", "company", "buyer"]
    autocomplete_fields = ["company", "buyer"]
    filter_horizontal = ["languages", "unavailable_slots"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Offer only the slots of the registration's own event.
        if db_field.name == "unavailable_slots" and request.resolver_match.kwargs.get("object_id"):
            registration = self.get_object(request, request.resolver_match.kwargs["object_id"])
            if registration is not None:
                kwargs["queryset"] = TimeSlot.objects.filter(event=registration.event).select_related("event")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "priority", "requested_by_sme", "status", "created_at"]
    list_filter = ["event", "status", "priority", "requested_by_sme"]
    search_fields = ["sme__company__name_en", "sme__company__name_ko", "buyer__buyer__name"]
    list_select_related = ["event", "sme__company", "buyer__buyer"]
    autocomplete_fields = ["sme", "buyer"]
    date_hierarchy = "created_at"


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 0
    max_num = len(Outcome.Side)
    fields = [
        "side", "attendance", "interest", "next_step", "estimated_value_usd", "mou_signed", "mou_signed_on",
        "notes",
    ]  # fmt: skip


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["local_start", "event", "sme", "buyer", "table", "mode", "status", "mou_signed"]
    list_filter = ["slot__event", "status", "mode", "slot__session", "outcomes__mou_signed"]
    search_fields = [
        "sme__company__name_en",
        "sme__company__name_ko",
        "buyer__buyer__name",
        "buyer__buyer__name_local",
    ]
    list_select_related = ["slot__event", "sme__company", "buyer__buyer", "table"]
    autocomplete_fields = ["sme", "buyer", "slot", "table", "interpreter", "request"]
    date_hierarchy = "slot__starts_at"
    inlines = [OutcomeInline]

    @admin.display(description=_("start (event time)"), ordering="slot__starts_at")
    def local_start(self, meeting):
        zone = zoneinfo.ZoneInfo(meeting.slot.event.time_zone)
        return timezone.localtime(meeting.slot.starts_at, zone).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("event"), ordering="slot__event__start_date")
    def event(self, meeting):
        return meeting.slot.event

    @admin.display(description=_("MOU"), boolean=True)
    def mou_signed(self, meeting):
        return any(outcome.mou_signed for outcome in meeting.outcomes.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("outcomes")


class ReviewedFilter(admin.SimpleListFilter):
    title = _("reviewer state")
    parameter_name = "reviewed"

    def lookups(self, request, model_admin):
        return [("no", _("Not reviewed")), ("yes", _("Reviewed"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(reviewed_at__isnull=self.value() == "no")
        return queryset


@admin.register(Outcome)
class OutcomeAdmin(HistoryAdmin):
    list_display = [
        "meeting", "side", "attendance", "interest", "next_step", "estimated_value_usd", "mou_signed",
        "reviewed_at",
    ]  # fmt: skip
    list_filter = [
        "meeting__slot__event",
        "meeting__slot__event__organising_centre",
        "meeting__slot__event__city__country",
        ("meeting__sme__company__solutions__categories", admin.RelatedOnlyFieldListFilter),
        "side",
        "attendance",
        "interest",
        "next_step",
        "mou_signed",
        ReviewedFilter,
    ]
    search_fields = [
        "meeting__sme__company__name_en",
        "meeting__sme__company__name_ko",
        "meeting__buyer__buyer__name",
        "notes",
    ]
    list_select_related = ["meeting__slot__event", "meeting__sme__company", "meeting__buyer__buyer"]
    autocomplete_fields = ["meeting"]
    readonly_fields = ["recorded_by", "recorded_at", "reviewed_by", "reviewed_at"]
    actions = ["mark_reviewed", "export_csv", "export_xlsx"]
    history_list_display = [
        "attendance", "interest", "next_step", "estimated_value_usd", "mou_signed", "reviewed_at",
    ]  # fmt: skip

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Mark the selected outcomes reviewed"))
    def mark_reviewed(self, request, queryset):
        count = services.reviewed_mark(records=queryset, reviewer=request.user)
        message = ngettext("%(count)d outcome marked reviewed.", "%(count)d outcomes marked reviewed.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Export the selected outcomes as CSV"))
    def export_csv(self, request, queryset):
        return exports.csv_response(exports.outcome_rows(queryset), exports.OUTCOME_COLUMNS, "outcomes.csv")

    @admin.action(description=_("Export the selected outcomes as Excel"))
    def export_xlsx(self, request, queryset):
        return exports.xlsx_response(exports.outcome_rows(queryset), exports.OUTCOME_COLUMNS, "outcomes.xlsx")


class MouForm(forms.ModelForm):
    class Meta:
        model = Mou
        fields = [
            "title", "kind", "status", "event", "meeting", "company", "buyer", "parties", "signed_on",
            "document", "notes",
        ]  # fmt: skip

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if isinstance(document, UploadedFile):
            return clean_pdf(
                document,
                wrong_name=_("The signed MOU must be a PDF file (.pdf)."),
                unreadable=_("This file is not a readable PDF. Please scan the MOU to PDF again."),
            )
        return document


@admin.register(Mou)
class MouAdmin(HistoryAdmin):
    form = MouForm
    list_display = [
        "title",
        "kind",
        "status",
        "event",
        "company",
        "buyer",
        "signed_on",
        "document_link",
        "reviewed_at",
    ]
    list_filter = [
        "event",
        "event__organising_centre",
        "event__city__country",
        ("company__solutions__categories", admin.RelatedOnlyFieldListFilter),
        "kind",
        "status",
        ReviewedFilter,
    ]
    search_fields = ["title", "parties", "company__name_en", "company__name_ko", "buyer__name", "notes"]
    list_select_related = ["event", "company", "buyer"]
    autocomplete_fields = ["event", "meeting", "company", "buyer"]
    readonly_fields = ["recorded_by", "reviewed_by", "reviewed_at"]
    date_hierarchy = "signed_on"
    actions = ["mark_reviewed", "export_csv", "export_xlsx"]
    history_list_display = ["status", "signed_on", "reviewed_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("document"))
    def document_link(self, mou):
        if not mou.document:
            return "–"
        return format_html('<a href="{}">PDF</a>', reverse("consultations:mou_document", args=[mou.pk]))

    @admin.action(description=_("Mark the selected MOUs reviewed"))
    def mark_reviewed(self, request, queryset):
        count = services.reviewed_mark(records=queryset, reviewer=request.user)
        message = ngettext("%(count)d MOU marked reviewed.", "%(count)d MOUs marked reviewed.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Export the selected MOUs as CSV"))
    def export_csv(self, request, queryset):
        return exports.csv_response(exports.mou_rows(queryset), exports.MOU_COLUMNS, "mous.csv")

    @admin.action(description=_("Export the selected MOUs as Excel"))
    def export_xlsx(self, request, queryset):
        return exports.xlsx_response(exports.mou_rows(queryset), exports.MOU_COLUMNS, "mous.xlsx")


@admin.register(FollowUp)
class FollowUpAdmin(HistoryAdmin):
    list_display = ["meeting", "months", "due_on", "sent_at", "progress", "answered_at"]
    list_filter = ["meeting__slot__event", "meeting__slot__event__organising_centre", "months", "progress"]
    search_fields = ["meeting__sme__company__name_en", "meeting__buyer__buyer__name", "notes"]
    list_select_related = ["meeting__slot__event", "meeting__sme__company", "meeting__buyer__buyer"]
    readonly_fields = ["meeting", "months", "due_on", "sent_at", "answered_by", "answered_at"]
    date_hierarchy = "due_on"

    def has_add_permission(self, request):
        return False  # planned by the send_follow_ups command from held meetings
