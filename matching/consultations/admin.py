"""The admin of events and their consultations. Meetings, requests, outcomes and follow-ups are written
by the portal's services (booking rules, e-mails, the calendar revision, MOU records, history), so the
admin shows them read-only and changes them only through actions that call those services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from matching.consultations.booking import services as booking_services
from matching.consultations.booking.models import Meeting, MeetingReminder, MeetingRequest
from matching.consultations.events.models import (
    Arrival,
    Event,
    Interpreter,
    ProgrammeParticipant,
    ProgrammeSession,
    Registration,
    Table,
    TimeSlot,
)
from matching.consultations.outcomes import services as outcome_services
from matching.consultations.outcomes.models import FollowUp, Mou, Outcome
from matching.consultations.reporting import exports
from portal.common.admin_actions import NotByHand, ServiceActions
from portal.common.admin_history import HistoryAdmin
from portal.common.forms import HTTPS_URL_FIELDS
from portal.common.people import person_name
from portal.common.uploads import DeletesUploadsWithRow, clean_pdf, discard_replaced_files, stored_file_names


class ServiceWrittenAdmin(NotByHand, ServiceActions):
    """Rows only the services write, shown read-only; the actions change them through the services."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history's page of a past version saves a posted form (a revert) after checking
        # only the view permission; here it only shows the version.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# What a meeting's label (Meeting.__str__) reads: select these with every list of meetings or their records.
MEETING_LABEL = ["slot__event", "table", "sme__company", "buyer__buyer"]


class ReviewList:
    """The lists admins review in, made to fit a laptop (1366 px): without the navigation sidebar (the
    breadcrumbs and the index lead on), with headers that wrap and long texts kept narrow."""

    class Media:
        css = {"all": ["css/admin-review.css"]}

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})


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


class ProgrammeSessionInline(NotByHand, admin.TabularInline):
    """The event's programme, read-only: staff keep it on the event's programme page, whose service checks
    rooms, times and participants."""

    model = ProgrammeSession
    extra = 0
    fields = ["starts_at", "ends_at", "kind", "title", "room", "speakers", "open_to_all", "taking_part"]
    readonly_fields = fields

    def get_queryset(self, request):
        roles = ProgrammeParticipant.objects.select_related("registration__company", "registration__buyer")
        return super().get_queryset(request).prefetch_related(Prefetch("roles", queryset=roles))

    @admin.display(description=_("participants taking part"))
    def taking_part(self, session):
        return "; ".join(f"{role.registration} ({role.get_role_display()})" for role in session.roles.all())


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "start_date", "end_date", "organising_centre", "venue"]
    list_filter = ["organising_centre", "city__country"]
    search_fields = ["name", "venue", "city__name_en"]
    list_select_related = ["city", "organising_centre"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["city"]
    date_hierarchy = "start_date"
    inlines = [TimeSlotInline, TableInline, InterpreterInline, ProgrammeSessionInline]


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


@admin.register(ProgrammeSession)
class ProgrammeSessionAdmin(NotByHand, admin.ModelAdmin):
    """The events' programmes, read-only: staff keep them on each event's programme page, whose service
    checks rooms, times and participants and raises the calendars' revision."""

    list_display = ["title", "event", "kind", "local_start", "room", "open_to_all", "edit_link"]
    list_filter = ["event", "kind", "open_to_all"]
    search_fields = ["title", "speakers", "room", "event__name"]
    list_select_related = ["event"]
    date_hierarchy = "starts_at"

    @admin.display(description=_("starts (event time)"), ordering="starts_at")
    def local_start(self, session):
        return timezone.localtime(session.starts_at, session.event.zone).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("programme page"))
    def edit_link(self, session):
        url = reverse("consultations:programme_sessions", args=[session.event_id])
        return format_html('<a href="{}">{}</a>', url, _("Edit on the portal"))


@admin.register(Arrival)
class ArrivalAdmin(admin.ModelAdmin):
    """Arrivals recorded at the door by the check-in service (a scanned or typed code): read here, by event
    and day. Never added or changed by hand; an admin may delete one recorded by mistake."""

    list_display = ["registration", "event", "day", "local_time", "recorder"]
    list_filter = ["registration__event", "day"]
    search_fields = [
        "registration__company__name_en",
        "registration__company__name_ko",
        "registration__buyer__name",
        "registration__buyer__name_local",
    ]
    list_select_related = [
        "registration__event", "registration__company", "registration__buyer", "recorded_by",
    ]  # fmt: skip
    date_hierarchy = "day"
    fields = ["registration", "day", "local_time", "recorder"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("event"), ordering="registration__event__start_date")
    def event(self, arrival):
        return arrival.registration.event

    @admin.display(description=_("arrived at (event time)"), ordering="arrived_at")
    def local_time(self, arrival):
        return timezone.localtime(arrival.arrived_at, arrival.registration.event.zone).strftime("%H:%M")

    @admin.display(description=_("recorded by"))
    def recorder(self, arrival):
        return person_name(arrival.recorded_by) or None


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
class RegistrationAdmin(ServiceActions):
    list_display = ["__str__", "event", "status", "needs_interpreter", "max_meetings"]
    list_filter = ["event", ParticipantKindFilter, "status", "needs_interpreter"]
    search_fields = ["company__name_en", "company__name_ko", "buyer__name", "buyer__name_local"]
    list_select_related = ["event", "company", "buyer"]
    autocomplete_fields = ["company", "buyer"]
    filter_horizontal = ["languages", "unavailable_slots"]
    # Confirming and withdrawing go through booking_services.registration_decide (withdrawing cancels the
    # registration's meetings and e-mails both sides), so the status is not a field of the form.
    readonly_fields = ["status"]
    actions = ["confirm_selected", "withdraw_selected"]

    @admin.action(description=_("Confirm the selected registrations"), permissions=["manage"])
    def confirm_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            Registration.Status.CONFIRMED,
            lambda count: ngettext(
                "%(count)d registration confirmed.", "%(count)d registrations confirmed.", count
            ),
        )

    @admin.action(
        description=_("Withdraw the selected registrations (cancels their meetings)"), permissions=["manage"]
    )
    def withdraw_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            Registration.Status.WITHDRAWN,
            lambda count: ngettext(
                "%(count)d registration withdrawn; its meetings are cancelled.",
                "%(count)d registrations withdrawn; their meetings are cancelled.",
                count,
            ),
        )

    def _decide(self, request, queryset, status, done_message):
        self.apply_service(
            request,
            queryset.exclude(status=status).select_related("company", "buyer").order_by("pk"),
            lambda registration: booking_services.registration_decide(
                registration=registration, status=status, decided_by=request.user
            ),
            done_message,
            _("Status: %(status)s") % {"status": status.label},
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Offer only the slots of the registration's own event.
        if db_field.name == "unavailable_slots" and request.resolver_match.kwargs.get("object_id"):
            registration = self.get_object(request, request.resolver_match.kwargs["object_id"])
            if registration is not None:
                kwargs["queryset"] = TimeSlot.objects.filter(event=registration.event).select_related("event")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ServiceWrittenAdmin):
    """Asked, answered and expired on the portal (each e-mails both sides)."""

    list_display = ["__str__", "event", "priority", "requested_by_sme", "status", "created_at"]
    list_filter = ["event", "status", "priority", "requested_by_sme"]
    search_fields = ["sme__company__name_en", "sme__company__name_ko", "buyer__buyer__name"]
    list_select_related = ["event", "sme__company", "buyer__buyer"]
    date_hierarchy = "created_at"


class OutcomeInline(NotByHand, admin.StackedInline):
    model = Outcome
    extra = 0
    max_num = len(Outcome.Side)
    fields = [
        "side", "attendance", "interest", "next_step", "estimated_value_usd", "mou_signed", "mou_signed_on",
        "notes",
    ]  # fmt: skip


@admin.register(Meeting)
class MeetingAdmin(ReviewList, ServiceWrittenAdmin):
    """Booked, moved and cancelled on the portal's grid, or here by the actions, through the services:
    the booking rules hold, both sides and the interpreter get e-mails with the new .ics, and the
    revision rises. Outcomes are recorded on the portal."""

    formfield_overrides = HTTPS_URL_FIELDS
    # Short columns, so that a laptop (1366 px) shows the staff's outcome and its reviewer beside the meeting
    # without scrolling sideways: the label says where, when and who (Meeting.__str__).
    list_display = [
        "__str__", "day", "event", "status", "attendance", "interest", "next_step", "reviewer", "mou_signed",
    ]  # fmt: skip
    list_filter = ["slot__event", "status", "mode", "slot__session", "walk_in"]
    list_filter += [("started_at", admin.EmptyFieldListFilter), "outcomes__mou_signed"]
    search_fields = [
        "sme__company__name_en",
        "sme__company__name_ko",
        "buyer__buyer__name",
        "buyer__buyer__name_local",
    ]
    list_select_related = ["slot__event", "sme__company", "buyer__buyer", "table"]
    date_hierarchy = "slot__starts_at"
    inlines = [OutcomeInline]
    actions = ["cancel_selected", "lock_selected", "unlock_selected"]

    @admin.action(description=_("Cancel the selected meetings (e-mails both sides)"), permissions=["manage"])
    def cancel_selected(self, request, queryset):
        self.apply_service(
            request,
            queryset.order_by("pk"),
            lambda meeting: booking_services.meeting_cancel(meeting=meeting, cancelled_by=request.user),
            lambda count: ngettext(
                "%(count)d meeting cancelled; both sides are told.",
                "%(count)d meetings cancelled; both sides are told.",
                count,
            ),
            _("Cancelled (both sides and the interpreter e-mailed)."),
        )

    @admin.action(description=_("Lock the selected meetings"), permissions=["manage"])
    def lock_selected(self, request, queryset):
        self._lock(request, queryset, True)

    @admin.action(description=_("Unlock the selected meetings"), permissions=["manage"])
    def unlock_selected(self, request, queryset):
        self._lock(request, queryset, False)

    def _lock(self, request, queryset, locked):
        self.apply_service(
            request,
            queryset.exclude(locked=locked).order_by("pk"),
            lambda meeting: booking_services.meeting_change(
                meeting=meeting, changed_by=request.user, locked=locked
            ),
            lambda count: (
                ngettext("%(count)d meeting locked.", "%(count)d meetings locked.", count)
                if locked
                else ngettext("%(count)d meeting unlocked.", "%(count)d meetings unlocked.", count)
            ),
            _("Locked: the auto-scheduler keeps it.") if locked else _("Unlocked."),
        )

    @admin.display(description=_("day"), ordering="slot__starts_at")
    def day(self, meeting):
        return timezone.localtime(meeting.slot.starts_at, meeting.slot.event.zone).date()

    @admin.display(description=_("event"), ordering="slot__event__start_date")
    def event(self, meeting):
        return meeting.slot.event

    @admin.display(description=_("attendance"))
    def attendance(self, meeting):
        official = _official_outcome(meeting)
        return official.get_attendance_display() if official else None

    @admin.display(description=_("interest"))
    def interest(self, meeting):
        official = _official_outcome(meeting)
        return official.get_interest_display() if official else None

    @admin.display(description=_("next step"))
    def next_step(self, meeting):
        official = _official_outcome(meeting)
        return official.get_next_step_display() if official else None

    @admin.display(description=_("reviewed by"))
    def reviewer(self, meeting):
        official = _official_outcome(meeting)
        return (person_name(official.reviewed_by) or None) if official else None

    @admin.display(description=_("MOU"), boolean=True)
    def mou_signed(self, meeting):
        return any(outcome.mou_signed for outcome in meeting.outcomes.all())

    def get_queryset(self, request):
        # What the label needs (the MOU form's autocomplete lists meetings by it too), and the outcomes with
        # their reviewers.
        outcomes = Outcome.objects.select_related("reviewed_by")
        return (
            super()
            .get_queryset(request)
            .select_related(*MEETING_LABEL)
            .prefetch_related(Prefetch("outcomes", queryset=outcomes))
        )


def _official_outcome(meeting):
    """The staff's outcome of the meeting (the official record), from its prefetched outcomes; or None."""
    return next((o for o in meeting.outcomes.all() if o.side == Outcome.Side.STAFF), None)


class ReviewedFilter(admin.SimpleListFilter):
    title = _("reviewer state")
    parameter_name = "reviewed"

    def lookups(self, request, model_admin):
        return [("no", _("Not reviewed")), ("yes", _("Reviewed"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(reviewed_at__isnull=self.value() == "no")
        return queryset


class ReviewedRecordActions:
    """The admin actions of the records admins review (outcomes and MOUs): mark reviewed, and export the
    selection as CSV or Excel. A class sets export_rows (a queryset to rows), export_columns, export_name."""

    actions = ["mark_reviewed", "export_csv", "export_xlsx"]
    export_rows = None
    export_columns = ()
    export_name = ""

    @admin.action(description=_("Mark the selected %(verbose_name_plural)s reviewed"))
    def mark_reviewed(self, request, queryset):
        count = outcome_services.reviewed_mark(records=queryset, reviewer=request.user)
        message = _("%(count)d %(items)s marked reviewed.") % {
            "count": count,
            "items": model_ngettext(self.opts, count),
        }
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Export the selected %(verbose_name_plural)s as CSV"))
    def export_csv(self, request, queryset):
        rows = self.export_rows(queryset)
        return exports.csv_response(rows, self.export_columns, f"{self.export_name}.csv")

    @admin.action(description=_("Export the selected %(verbose_name_plural)s as Excel"))
    def export_xlsx(self, request, queryset):
        rows = self.export_rows(queryset)
        return exports.xlsx_response(rows, self.export_columns, f"{self.export_name}.xlsx")


@admin.register(Outcome)
class OutcomeAdmin(ReviewList, ReviewedRecordActions, ServiceWrittenAdmin, HistoryAdmin):
    """Recorded on the portal by each side (outcome_services.outcome_record sets the meeting's status
    and creates the MOU record); admins review and export them here."""

    list_display = [
        "meeting", "event", "side", "attendance", "interest", "next_step", "value", "mou_signed", "reviewer",
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
    list_select_related = [*(f"meeting__{name}" for name in MEETING_LABEL), "reviewed_by"]
    history_list_display = [
        "attendance", "interest", "next_step", "estimated_value_usd", "mou_signed", "reviewed_by",
    ]  # fmt: skip
    export_rows = staticmethod(exports.outcome_rows)
    export_columns = exports.OUTCOME_COLUMNS
    export_name = "outcomes"

    @admin.display(description=_("event"), ordering="meeting__slot__event__start_date")
    def event(self, outcome):
        return outcome.meeting.slot.event

    @admin.display(description=_("value (USD)"), ordering="estimated_value_usd")
    def value(self, outcome):
        return outcome.estimated_value_usd

    @admin.display(description=_("reviewed by"), ordering="reviewed_at")
    def reviewer(self, outcome):
        return person_name(outcome.reviewed_by) or None


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
class MouAdmin(ReviewList, ReviewedRecordActions, DeletesUploadsWithRow, HistoryAdmin):
    """MOUs are recorded by admins here (a staff outcome's signed MOU also creates one), with history.
    A replaced or cleared scan, and the scan of a deleted MOU, leave the storage after the commit."""

    form = MouForm
    upload_fields = ["document"]
    list_display = [
        "title", "kind", "status", "event", "signed_by", "signed_on", "document_link", "reviewer",
    ]  # fmt: skip
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
    list_select_related = ["event", "company", "buyer", "reviewed_by"]
    autocomplete_fields = ["event", "meeting", "company", "buyer"]
    readonly_fields = ["recorder", "reviewer", "reviewed_at"]
    date_hierarchy = "signed_on"
    history_list_display = ["status", "signed_on", "reviewed_by"]
    export_rows = staticmethod(exports.mou_rows)
    export_columns = exports.MOU_COLUMNS
    export_name = "mous"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        previous = stored_file_names(obj, self.upload_fields)
        super().save_model(request, obj, form, change)
        discard_replaced_files(obj, previous)

    @admin.display(description=_("parties"))
    def signed_by(self, mou):
        if mou.kind == Mou.Kind.ASSOCIATION or not (mou.company or mou.buyer):
            return mou.parties or None
        return " – ".join(str(party) for party in (mou.company, mou.buyer) if party)

    @admin.display(description=_("reviewed by"), ordering="reviewed_at")
    def reviewer(self, mou):
        return person_name(mou.reviewed_by) or None

    @admin.display(description=_("recorded by"))
    def recorder(self, mou):
        return person_name(mou.recorded_by) or None

    @admin.display(description=_("document"))
    def document_link(self, mou):
        if not mou.document:
            return "–"
        return format_html('<a href="{}">PDF</a>', reverse("consultations:mou_document", args=[mou.pk]))


@admin.register(FollowUp)
class FollowUpAdmin(ServiceWrittenAdmin, HistoryAdmin):
    """Planned by the send_follow_ups command from held meetings and answered by the company."""

    list_display = ["meeting", "months", "due_on", "sent_at", "progress", "answered_at"]
    list_filter = ["meeting__slot__event", "meeting__slot__event__organising_centre", "months", "progress"]
    search_fields = ["meeting__sme__company__name_en", "meeting__buyer__buyer__name", "notes"]
    list_select_related = [f"meeting__{name}" for name in MEETING_LABEL]
    date_hierarchy = "due_on"


@admin.register(MeetingReminder)
class MeetingReminderAdmin(NotByHand, admin.ModelAdmin):
    """What the reminder task sent (booking.reminders): to whom, of which revision, and when corrected."""

    list_display = ["meeting", "kind", "email", "sent_at", "sequence", "corrected_at"]
    list_filter = ["kind", "meeting__slot__event", "meeting__slot__event__organising_centre"]
    search_fields = ["email", "meeting__sme__company__name_en", "meeting__buyer__buyer__name"]
    list_select_related = ["meeting__slot__event", "meeting__sme__company", "meeting__buyer__buyer"]
    date_hierarchy = "claimed_at"
    readonly_fields = [field.name for field in MeetingReminder._meta.fields]
