"""Forms of events: set-up, registrations, interpreters and booking meetings by hand."""

import datetime as dt
import uuid

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from matching.companies.models import ApprovalStatus, Company
from matching.geo.models import City
from portal.accounts.selectors import reviewable_buyers
from portal.forms import https_formfield

from .models import Event, FollowUp, Interpreter, Meeting, MeetingRequest, Outcome, Registration, TimeSlot
from .services import RECORDED_FIELDS, Session

MAX_TABLES = 60


class EventForm(forms.ModelForm):
    """The event itself plus how its days are cut into slots (slots are generated, never typed)."""

    morning_starts = forms.TimeField(label=_("Morning session starts"), initial=dt.time(9, 30))
    morning_ends = forms.TimeField(label=_("Morning session ends"), initial=dt.time(12, 0))
    afternoon_starts = forms.TimeField(label=_("Afternoon session starts"), initial=dt.time(13, 30))
    afternoon_ends = forms.TimeField(label=_("Afternoon session ends"), initial=dt.time(17, 0))
    break_minutes = forms.IntegerField(
        label=_("Break between slots (minutes)"), min_value=0, max_value=60, initial=0
    )
    table_count = forms.IntegerField(
        label=_("Number of tables"), min_value=1, max_value=MAX_TABLES, initial=12
    )
    # Made when the form is shown; services.event_create makes one event per token.
    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    class Meta:
        model = Event
        fields = [
            "name", "slug", "city", "venue", "start_date", "end_date", "time_zone", "slot_minutes",
            "online_meetings_allowed", "request_deadline", "description",
        ]  # fmt: skip
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "request_deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        cities = City.objects.select_related("country")
        if centre is not None:
            cities = cities.filter(country__trade_centres=centre)
        self.fields["city"].queryset = cities
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to make one from the name.")
        self.fields["time_zone"].required = False
        self.fields["time_zone"].help_text = _("Leave empty for the city's time zone, e.g. Asia/Bangkok.")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        name = self.cleaned_data.get("name") or ""
        if slug or not name:
            return slug
        base = slugify(name)[:70] or "event"
        taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("time_zone") and cleaned.get("city"):
            cleaned["time_zone"] = cleaned["city"].time_zone
            self.errors.pop("time_zone", None)
        for session in ["morning", "afternoon"]:
            starts, ends = cleaned.get(f"{session}_starts"), cleaned.get(f"{session}_ends")
            if starts and ends and ends <= starts:
                self.add_error(f"{session}_ends", _("A session must end after it starts."))
        if cleaned.get("morning_ends") and cleaned.get("afternoon_starts"):
            if cleaned["afternoon_starts"] < cleaned["morning_ends"]:
                self.add_error("afternoon_starts", _("The afternoon starts after the morning ends."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and (end - start).days > 6:
            self.add_error("end_date", _("An event lasts at most a week."))
        return cleaned

    def sessions(self):
        data = self.cleaned_data
        return [
            Session(TimeSlot.Session.MORNING, data["morning_starts"], data["morning_ends"]),
            Session(TimeSlot.Session.AFTERNOON, data["afternoon_starts"], data["afternoon_ends"]),
        ]


class ScheduleForm(forms.Form):
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=5,
        max_value=300,
        initial=30,
        help_text=_("The scheduler returns the best schedule found by then, and says whether it is optimal."),
    )


class SlotChoiceField(forms.ModelChoiceField):
    """Slots labelled by their local day and time in the event's zone."""

    def label_from_instance(self, slot):
        return str(slot)


class SlotsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, slot):
        return str(slot)


def _centre_buyers_only(centre):
    """The refusal of a buyer the centre does not cover (a forged choice, or one no longer offered)."""
    countries = ", ".join(str(country) for country in centre.countries.order_by("name_en"))
    message = _(
        "Staff of %(centre)s register buyers from %(countries)s only: choose an approved buyer from the "
        "list that is not registered yet."
    ) % {"centre": centre, "countries": countries}
    return message.replace("%", "%%")  # the field formats it again with the posted value


class RegistrationForm(forms.ModelForm):
    """A registration's details. Staff registering someone pick the company or the buyer; a member
    registering their own organisation does not. The status changes only through confirm and
    withdraw (withdrawing cancels meetings), never through this form."""

    unavailable_slots = SlotsField(
        queryset=TimeSlot.objects.none(),
        required=False,
        label=_("Slots they cannot attend"),
    )

    class Meta:
        model = Registration
        fields = [
            "company",
            "buyer",
            "languages",
            "needs_interpreter",
            "max_meetings",
            "unavailable_slots",
        ]
        widgets = {"languages": forms.CheckboxSelectMultiple}

    def __init__(self, *args, event, registered_by=None, **kwargs):
        """`registered_by`: the staff member or admin picking the company or buyer; without one, a member
        registers their own organisation and picks neither."""
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["unavailable_slots"].queryset = event.slots.select_related("event")
        if registered_by is not None:
            taken = Registration.objects.filter(event=event)
            self.fields["company"].queryset = Company.objects.approved().exclude(
                pk__in=taken.filter(company__isnull=False).values("company_id")
            )
            # Centre staff register the buyers of the countries their centre covers, the ones they
            # review; admins any.
            self.fields["buyer"].queryset = (
                reviewable_buyers(registered_by)
                .filter(approval_status=ApprovalStatus.APPROVED)
                .exclude(pk__in=taken.filter(buyer__isnull=False).values("buyer_id"))
            )
            self.fields["company"].help_text = _("A Korean company, or a buyer below: one of the two.")
            centre = registered_by.trade_centre
            if centre is not None:
                self.fields["buyer"].error_messages["invalid_choice"] = _centre_buyers_only(centre)
        else:
            del self.fields["company"], self.fields["buyer"]

    def clean(self):
        cleaned = super().clean()
        if "company" in self.fields:
            company, buyer = cleaned.get("company"), cleaned.get("buyer")
            if bool(company) == bool(buyer) and not self.has_error("company") and not self.has_error("buyer"):
                self.add_error("company", _("Choose a Korean company or a buyer (one of the two)."))
        return cleaned


class InterpreterForm(forms.ModelForm):
    unavailable_slots = SlotsField(
        queryset=TimeSlot.objects.none(), required=False, label=_("Slots they cannot interpret")
    )

    class Meta:
        model = Interpreter
        fields = ["name", "email", "languages", "unavailable_slots"]
        widgets = {"languages": forms.CheckboxSelectMultiple}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self.fields["unavailable_slots"].queryset = event.slots.select_related("event")

    def clean_name(self):
        # The event is not a form field, so the form cannot check "one name per event" by itself.
        name = self.cleaned_data["name"]
        others = Interpreter.objects.filter(event=self.instance.event, name__iexact=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("An interpreter of this event already has this name."))
        return name


class MeetingForm(forms.ModelForm):
    """Staff book a meeting by hand (on both sides' behalf) or move one. The services refuse a slot,
    table or interpreter already taken, with the database constraint's own message."""

    slot = SlotChoiceField(queryset=TimeSlot.objects.none(), label=_("Slot"))
    locked = forms.BooleanField(
        label=_("Lock it"),
        required=False,
        initial=True,
        help_text=_("Confirmed with both parties: the auto-scheduler will not move it."),
    )

    class Meta:
        model = Meeting
        fields = ["sme", "buyer", "slot", "mode", "table", "online_link", "interpreter", "locked"]
        formfield_callback = https_formfield

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        self.fields["sme"].queryset = confirmed.filter(company__isnull=False).select_related("company")
        self.fields["buyer"].queryset = confirmed.filter(buyer__isnull=False).select_related("buyer")
        self.fields["slot"].queryset = event.slots.select_related("event")
        self.fields["table"].queryset = event.tables.all()
        self.fields["interpreter"].queryset = event.interpreters.all()
        if not event.online_meetings_allowed:
            del self.fields["mode"], self.fields["online_link"]
        if self.instance.pk:  # moving a meeting: the two parties stay
            for name in ["sme", "buyer"]:
                self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        online = cleaned.get("mode") == Meeting.Mode.ONLINE
        if online and not cleaned.get("online_link") and not self.has_error("online_link"):
            self.add_error("online_link", _("An online meeting needs its link."))
        if not online and not cleaned.get("table") and not self.has_error("table"):
            self.add_error("table", _("An in-person meeting needs a table."))
        return cleaned


class MeetingRequestForm(forms.ModelForm):
    """A member asks a participant of the other side for a meeting."""

    class Meta:
        model = MeetingRequest
        fields = ["priority", "session_preference", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 2})}
        labels = {"message": _("Message to them (optional)")}


class OutcomeForm(forms.ModelForm):
    """One side's record of a meeting: held or not, interest, next step, value, notes."""

    class Meta:
        model = Outcome
        fields = RECORDED_FIELDS
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "mou_signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("mou_signed")
            and not cleaned.get("mou_signed_on")
            and not self.has_error("mou_signed_on")
        ):
            self.add_error("mou_signed_on", _("Give the date the MOU was signed."))
        if not cleaned.get("mou_signed") and cleaned.get("mou_signed_on"):
            self.add_error("mou_signed", _("Tick this for a signed MOU, or leave the date empty."))
        return cleaned


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["progress", "notes"]
        widgets = {"progress": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "progress": _("How has the deal moved?"),
            "notes": _("Anything the KOTRA centre should know"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].required = True
        self.fields["progress"].choices = FollowUp.Progress.choices
