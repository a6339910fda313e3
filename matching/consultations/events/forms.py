"""Forms of event set-up: the event, its registrations and interpreters."""

import datetime as dt
import uuid

from django import forms
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from matching.companies.models import Company
from matching.consultations.events.models import Event, Interpreter, ProgrammeSession, Registration, TimeSlot
from matching.consultations.events.programme import SessionData
from matching.consultations.events.services import Session
from matching.geo.forms import use_city_field
from matching.geo.models import Language
from matching.kernel.models import LONG_TEXT, ApprovalStatus
from portal.accounts.selectors import reviewable_buyers

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
        # Staff hold events in the countries their centre covers; admins anywhere.
        countries = None if centre is None else centre.countries.values_list("iso_code", flat=True)
        use_city_field(self, countries=countries)
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

    def slot_plan(self):
        """How the services cut the days into slots and how many tables there are (keyword arguments)."""
        data = self.cleaned_data
        return {
            "sessions": self.sessions(),
            "break_minutes": data["break_minutes"],
            "table_count": data["table_count"],
        }


class EventEditForm(EventForm):
    """The event form for an event that exists: no token (an edit sent twice saves the same thing)."""

    class Meta(EventForm.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["form_token"]
        self.fields["start_date"].help_text = _(
            "The days, time zone, slot length and sessions make the slots again; they stay while meetings "
            "are booked."
        )


class ReopenForm(forms.Form):
    """Staff confirm that an event that is over opens to changes again, until a day they choose."""

    until = forms.DateField(
        label=_("Open to changes until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Requests, registrations and meetings can change until the end of this day, then it "
                    "is read-only again."),
    )  # fmt: skip
    confirm = forms.BooleanField(
        label=_("I confirm: the event is over, and its record may change again."),
        error_messages={"required": _("Tick the confirmation to reopen the event.")},
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].initial = event.local_today() + dt.timedelta(days=7)


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


class RegistrationsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, registration):
        return str(registration)


class ProgrammeSessionForm(forms.Form):
    """A session of the event's programme: its day and times are typed in the event's time zone."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeSession.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts = forms.TimeField(
        label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    speakers = forms.CharField(
        label=_("Speakers"),
        max_length=500,
        required=False,
        help_text=_("Names as the programme prints them, e.g. Kim Min-jun (MOLIT), Somchai P. (BMA)."),
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages"), queryset=Language.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    speaking = RegistrationsField(
        label=_("Participants who speak in it"),
        queryset=Registration.objects.none(),
        required=False,
        help_text=_("No 1:1 meeting of theirs is booked during the session."),
    )
    attending = RegistrationsField(
        label=_("Participants who must attend it"),
        queryset=Registration.objects.none(),
        required=False,
        help_text=_("No 1:1 meeting of theirs is booked during the session."),
    )
    open_to_all = forms.BooleanField(
        label=_("Open to all participants"),
        required=False,
        initial=True,
        help_text=_("Shown on every participant's agenda and calendar; otherwise only on those taking part."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=LONG_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, event, session=None, **kwargs):
        if session is not None:
            kwargs.setdefault("initial", self.initial_for(session))
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["languages"].queryset = Language.objects.all()
        registrations = (
            Registration.objects.filter(event=event)
            .exclude(status=Registration.Status.WITHDRAWN)
            .select_related("company", "buyer")
            .order_by(F("company__name_en").asc(nulls_last=True), "buyer__name")
        )
        self.fields["speaking"].queryset = registrations
        self.fields["attending"].queryset = registrations
        self.fields["day"].help_text = _("From %(first)s to %(last)s; times in %(zone)s.") % {
            "first": event.start_date.isoformat(),
            "last": event.end_date.isoformat(),
            "zone": event.time_zone,
        }
        if session is not None:
            del self.fields["form_token"]

    @staticmethod
    def initial_for(session):
        zone = session.event.zone
        starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        roles = list(session.roles.all())
        return {
            "kind": session.kind,
            "title": session.title,
            "day": starts.date(),
            "starts": starts.time(),
            "ends": ends.time(),
            "room": session.room,
            "speakers": session.speakers,
            "languages": list(session.languages.all()),
            "speaking": [role.registration_id for role in roles if role.role == "speaker"],
            "attending": [role.registration_id for role in roles if role.role == "attendee"],
            "open_to_all": session.open_to_all,
            "description": session.description,
        }

    def clean(self):
        cleaned = super().clean()
        day, starts, ends = cleaned.get("day"), cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("A session must end after it starts."))
        if day and not self.event.start_date <= day <= self.event.end_date:
            self.add_error(
                "day",
                _("Choose a day of the event, from %(first)s to %(last)s.")
                % {"first": self.event.start_date.isoformat(), "last": self.event.end_date.isoformat()},
            )
        return cleaned

    def session_data(self):
        """The service's SessionData: the day and times made aware in the event's zone."""
        data = self.cleaned_data
        zone = self.event.zone
        return SessionData(
            kind=data["kind"],
            title=data["title"],
            starts_at=dt.datetime.combine(data["day"], data["starts"], tzinfo=zone),
            ends_at=dt.datetime.combine(data["day"], data["ends"], tzinfo=zone),
            room=data["room"],
            speakers=data["speakers"],
            description=data["description"],
            open_to_all=data["open_to_all"],
            languages=list(data["languages"]),
            speaking=list(data["speaking"]),
            attending=list(data["attending"]),
        )
