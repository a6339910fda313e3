"""Fuzzing targets of the events' and the directories' pages: each draws one submission of its form."""

import datetime as dt

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.urls import reverse
from hypothesis import strategies as st

from matching.consultations.booking.models import Meeting, MeetingChangeRequest, MeetingRequest
from matching.consultations.events.models import Arrival, ProgrammeSession, TimeSlot
from matching.consultations.outcomes.models import FollowUp, Outcome
from matching.demands.models import Demand
from matching.kernel.models import BudgetBand
from tests import fuzzing as fz
from tests.fuzz_targets import Submission, _ids, _with_blank


def event_create_target(world, draw, client):
    # The first and last days of the calendar overflowed when slots were converted to UTC.
    edges = [dt.date(2030, 10, 6), dt.date(2000, 1, 1), dt.date(2100, 12, 31), dt.date.min, dt.date.max]
    start = draw(st.sampled_from(edges) | st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
    end = start + min(dt.timedelta(days=draw(st.integers(0, 6))), dt.date.max - start)
    zones = ["", "Asia/Bangkok", "Europe/Istanbul", "UTC", "Pacific/Kiritimati", "America/Adak"]
    fields = {
        "name": fz.Text(200),
        "slug": fz.Const("", "bangkok-2030", "방콕-로드쇼"),
        "city": fz.Choice(_ids(world.thai_cities)),
        "venue": fz.Text(200),
        "start_date": fz.Const(start.isoformat()),
        "end_date": fz.Const(end.isoformat()),
        "time_zone": fz.Choice(zones),
        "slot_minutes": fz.Int(10, 180),
        "online_meetings_allowed": fz.Bool(),
        "request_deadline": fz.DateTime(),
        "description": fz.Text(required=False),
        "morning_starts": fz.Time("09:00", "09:30", "00:00"),
        "morning_ends": fz.Time("12:00", "11:59:59"),
        "afternoon_starts": fz.Time("13:30", "12:00"),
        "afternoon_ends": fz.Time("17:00", "23:59"),
        "break_minutes": fz.Int(0, 60),
        "table_count": fz.Int(1, 60),
    }

    def display(response, data):
        return [(response["Location"], ["name", "venue"])]

    return Submission(reverse("consultations:create"), fields, display=display)


def schedule_target(world, draw, client):
    url = reverse("consultations:schedule", args=[world.event.pk])
    return Submission(url, {"time_limit_seconds": fz.Int(5, 300)})


def request_create_target(world, draw, client):
    fields = {
        "sme": fz.Choice(_ids([world.sme_registration_2.pk, world.sme_registration.pk])),
        "buyer": fz.Choice(_ids([world.buyer_registration_2.pk, world.buyer_registration.pk])),
        "next": fz.Const("", reverse("consultations:suggestions", args=[world.event.pk]), "//evil.example/"),
    }
    return Submission(reverse("consultations:request_create", args=[world.event.pk]), fields)


def _meeting_fields(world):
    return {
        "slot": fz.Choice(_ids(world.slots[1:])),
        "mode": fz.Choice(Meeting.Mode.values),
        "table": fz.Choice(_with_blank(_ids(world.tables))),
        "online_link": fz.URL(),
        "interpreter": fz.Choice(_with_blank(_ids([world.interpreter.pk]))),
        "locked": fz.Bool(),
    }


def _agenda_display(registration):
    def display(response, data):
        shown = ["online_link"] if data.get("mode") == Meeting.Mode.ONLINE else []
        return [(reverse("consultations:agenda", args=[registration.pk]), shown)]

    return display


def meeting_create_target(world, draw, client):
    fields = _meeting_fields(world) | {
        "sme": fz.Choice(_ids([world.sme_registration_2.pk])),
        "buyer": fz.Choice(_ids([world.buyer_registration_2.pk])),
    }
    url = reverse("consultations:meeting_create", args=[world.event.pk])
    return Submission(url, fields, display=_agenda_display(world.sme_registration_2))


def walk_in_target(world, draw, client):
    """Staff fill table T02 in the world's second slot with a walk-in: the second pair checked in (inside
    the example's savepoint), so a valid pick books it; the others are refused with a message."""
    slot = TimeSlot.objects.get(pk=world.slots[1])
    for registration in (world.sme_registration_2, world.buyer_registration_2):
        Arrival.objects.get_or_create(
            registration=registration,
            day=slot.starts_at.astimezone(world.event.zone).date(),
            defaults={"arrived_at": slot.starts_at},
        )
    fields = {
        "sme": fz.Choice(_ids([world.sme_registration_2.pk, world.sme_registration.pk])),
        "buyer": fz.Choice(_ids([world.buyer_registration_2.pk])),
        "interpreter": fz.Choice(_with_blank(_ids([world.interpreter.pk]))),
    }
    url = reverse("consultations:walk_in", args=[world.event.pk])
    return Submission(f"{url}?slot={slot.pk}&table={world.tables[1]}", fields)


def meeting_edit_target(world, draw, client):
    fields = _meeting_fields(world) | {"sme": fz.Const(str(world.sme_registration_2.pk))}
    url = reverse("consultations:meeting_edit", args=[world.event.pk, world.meeting.pk])
    return Submission(url, fields, display=_agenda_display(world.sme_registration))


def meeting_cancel_target(world, draw, client):
    url = reverse("consultations:meeting_cancel", args=[world.event.pk, world.meeting.pk])
    return Submission(
        url,
        {"reason": fz.Text(1000)},
        display=[(reverse("consultations:agenda", args=[world.sme_registration.pk]), ["reason"])],
    )


def meeting_change_ask_target(world, draw, client):
    """A participant asks KOTRA to move or cancel the world's meeting; the page then shows what was asked
    (a cancellation keeps no preferred time)."""
    url = reverse("consultations:meeting_change_ask", args=[world.meeting.pk])
    fields = {
        "kind": fz.Choice(MeetingChangeRequest.Kind.values),
        "reason": fz.Choice(MeetingChangeRequest.Reason.values),
        "note": fz.Text(1000, required=False),
        "preferred_time": fz.Text(200, required=False),
    }

    def display(response, data):
        shown = ["note", "preferred_time"] if data.get("kind") == "reschedule" else ["note"]
        return [(url, shown)]

    return Submission(url, fields, display=display)


def meeting_change_answer_target(world, draw, client):
    """Staff approve (with a new slot and table) or refuse (with a note) a participant's request for
    another time, made within the example."""
    change_request = MeetingChangeRequest.objects.create(
        meeting=world.meeting,
        kind=MeetingChangeRequest.Kind.RESCHEDULE,
        reason=MeetingChangeRequest.Reason.CLASH,
        asked_by=world.users["sme_owner"],
        asking_side=MeetingChangeRequest.Side.SME,
    )
    prefix = f"change-{change_request.pk}"
    fields = {
        "decision": fz.Choice(["approve", "refuse"]),
        f"{prefix}-slot": fz.Choice(_with_blank(_ids(world.slots))),
        f"{prefix}-table": fz.Choice(_ids(world.tables)),
        f"{prefix}-note": fz.Text(1000, required=False),
    }
    url = reverse("consultations:meeting_change_answer", args=[world.event.pk, change_request.pk])
    return Submission(url, fields)


def event_edit_target(world, draw, client):
    """The event's details; its days and sessions are refused while its meeting is booked."""
    fields = event_create_target(world, draw, client).fields
    day = world.event.start_date.isoformat()
    fields |= {"start_date": fz.Const(day), "end_date": fz.Const(day)}
    return Submission(reverse("consultations:edit", args=[world.event.pk]), fields)


def event_reopen_target(world, draw, client):
    today = dt.date.today()
    days = [(today + dt.timedelta(days=n)).isoformat() for n in (-1, 0, 1, 30, 31)]
    url = reverse("consultations:reopen", args=[world.past.pk])
    return Submission(url, {"until": fz.Date(*days), "confirm": fz.Bool()})


def _registration_fields(world):
    return {
        "languages": fz.Many(_ids(world.languages)),
        "needs_interpreter": fz.Bool(),
        "max_meetings": fz.Int(1, 40),
        "unavailable_slots": fz.Many(_ids(world.slots)),
    }


def registration_create_target(world, draw, client):
    fields = _registration_fields(world) | {
        "company": fz.Choice(["", str(world.free_company.pk)]),
        "buyer": fz.Choice(["", str(world.free_buyer.pk)]),
    }
    return Submission(reverse("consultations:registration_create", args=[world.event.pk]), fields)


def registration_edit_target(world, draw, client):
    fields = _registration_fields(world) | {"company": fz.Const(str(world.free_company.pk))}
    url = reverse("consultations:registration_edit", args=[world.event.pk, world.sme_registration.pk])
    return Submission(url, fields)


def _interpreter_fields(world):
    return {
        "name": fz.Text(100),
        "email": fz.Email(),
        "languages": fz.Many(_ids(world.languages), required=True),
        "unavailable_slots": fz.Many(_ids(world.slots)),
    }


def interpreter_create_target(world, draw, client):
    url = reverse("consultations:interpreters", args=[world.event.pk])
    return Submission(url, _interpreter_fields(world), display=[(url, ["name"])])


def interpreter_edit_target(world, draw, client):
    event, interpreter = world.event, world.interpreter
    url = reverse("consultations:interpreter_edit", args=[event.pk, interpreter.pk])
    shown = [(reverse("consultations:interpreters", args=[event.pk]), ["name"]), (url, ["name"])]
    return Submission(url, _interpreter_fields(world), display=shown)


def join_target(world, draw, client):
    """A member of an approved company that is not registered yet registers it."""
    return Submission(reverse("consultations:join", args=[world.event.pk]), _registration_fields(world))


def meet_target(world, draw, client):
    fields = {
        "with": fz.Choice(_ids([world.buyer_registration_2.pk, world.buyer_registration.pk])),
        "priority": fz.Choice(MeetingRequest.Priority.values),
        "session_preference": fz.Choice(_with_blank(TimeSlot.Session.values)),
        "message": fz.Text(required=False),
    }
    return Submission(reverse("consultations:meet", args=[world.event.pk]), fields)


def _outcome_fields(prefix=""):
    return {
        f"{prefix}attendance": fz.Choice(Outcome.Attendance.values),
        f"{prefix}interest": fz.Choice(Outcome.Interest.values),
        f"{prefix}next_step": fz.Choice(Outcome.NextStep.values),
        f"{prefix}estimated_value_usd": fz.Decimal(10**11),
        f"{prefix}mou_signed": fz.Const("", "on"),
        f"{prefix}mou_signed_on": fz.Date("", "2030-10-07", "0001-01-01", "9999-12-31"),
        f"{prefix}notes": fz.Text(required=False),
    }


def outcome_target(world, draw, client):
    url = reverse("consultations:outcome", args=[world.past_meeting.pk])
    return Submission(url, _outcome_fields(), display=[(url, ["notes"])])


def log_target(world, draw, client):
    meeting = world.log_meeting
    day = meeting.slot.starts_at.astimezone(world.past.zone).date()
    url = reverse("consultations:log", args=[world.past.pk]) + f"?table={world.log_table.pk}&day={day}"
    fields = {"meeting": fz.Const(str(meeting.pk))} | _outcome_fields(f"m{meeting.pk}-")
    return Submission(url, fields, display=[(url, [f"m{meeting.pk}-notes"])])


def follow_up_target(world, draw, client):
    url = reverse("consultations:follow_up", args=[world.follow_up.token])
    fields = {"progress": fz.Choice(FollowUp.Progress.values), "notes": fz.Text(required=False)}
    return Submission(url, fields, display=[(url, ["notes"])])


# ---------------------------------------------------------------- list filters (GET)


def _get(url, fields):
    # The page itself echoes the search box: it must show what was typed, escaped.
    return Submission(url, fields, method="get", display=lambda response, data: [(response, ["q"])])


def companies_filter_target(world, draw, client):
    fields = {
        "q": fz.Text(200),
        "category": fz.Choice(_with_blank(c.slug for c in world.categories)),
        "country": fz.Choice(["", "TH", "KR", "th"]),
        "certification": fz.Choice(_with_blank(c.code for c in world.certifications)),
        "sort": fz.Choice(["name", "newest"]),
        "page": fz.Int(1, 3),
    }
    return _get(reverse("companies:list"), fields)


def demands_filter_target(world, draw, client):
    fields = {
        "q": fz.Text(200),
        "category": fz.Choice(_with_blank(c.slug for c in world.categories)),
        "country": fz.Choice(["", "TH", "TR"]),
        "city": fz.Choice(_with_blank(_ids(world.thai_cities))),
        "procurement_type": fz.Choice(_with_blank(Demand.ProcurementType.values)),
        "budget_band": fz.Choice(_with_blank(BudgetBand.values)),
        "sort": fz.Choice(["newest", "deadline"]),
        "page": fz.Int(1, 3),
    }
    return _get(reverse("demands:list"), fields)


def demands_mine_target(world, draw, client):
    return Submission(reverse("demands:mine"), {"page": fz.Int(1, 3)}, method="get")


def _event_choice(world):
    return fz.Choice(["", str(world.event.pk), str(world.past.pk)])


def dashboard_target(world, draw, client):
    return Submission(reverse("dashboard"), {"event": _event_choice(world)}, method="get")


def dashboard_export_target(world, draw, client):
    return Submission(reverse("dashboard_export"), {"event": _event_choice(world)}, method="get")


def grid_target(world, draw, client):
    fields = {"day": fz.Date(world.event.start_date.isoformat())}
    return Submission(reverse("consultations:grid", args=[world.event.pk]), fields, method="get")


def log_filter_target(world, draw, client):
    fields = {
        "table": fz.Choice(_ids([world.past_table.pk])),
        "day": fz.Date(world.past.start_date.isoformat()),
    }
    return Submission(reverse("consultations:log", args=[world.past.pk]), fields, method="get")


def meeting_prefill_target(world, draw, client):
    fields = {
        "slot": fz.Choice(_ids(world.slots)),
        "table": fz.Choice(_ids(world.tables)),
        "sme": fz.Choice(_ids([world.sme_registration_2.pk])),
        "buyer": fz.Choice(_ids([world.buyer_registration_2.pk])),
    }
    url = reverse("consultations:meeting_create", args=[world.event.pk])
    return Submission(url, fields, method="get")


def _admin_changelists():
    """(changelist URL, its filter parameters) for each of the portal's models in the admin."""
    lists = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        if not model.__module__.startswith(("matching.", "portal.")):
            continue
        names = ["q", "o", "p"]
        for item in model_admin.list_filter:
            path = item[0] if isinstance(item, tuple) else item
            if not isinstance(path, str):  # a SimpleListFilter
                names.append(path.parameter_name)
                continue
            last = get_fields_from_path(model, path)[-1]
            names += [f"{path}__id__exact", f"{path}__isnull"] if last.is_relation else [f"{path}__exact"]
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        lists.append((url, names))
    return lists


ADMIN_FILTER_VALUES = ["1", "2", "0", "True", "False", "yes", "no", "sme", "buyer", "am", "pending", "TH"]


def admin_filter_target(world, draw, client):
    url, names = draw(st.sampled_from(_admin_changelists()), label="changelist")
    fields = {name: fz.Text(200) if name == "q" else fz.Choice(ADMIN_FILTER_VALUES) for name in names}
    return Submission(url, fields, method="get")


def _programme_session_fields(world):
    day = world.event.start_date
    days = [
        day.isoformat(),
        (day + dt.timedelta(days=1)).isoformat(),
        (day + dt.timedelta(days=5)).isoformat(),
    ]
    registrations = [world.sme_registration.pk, world.buyer_registration.pk, world.sme_registration_2.pk]
    return {
        "kind": fz.Choice(ProgrammeSession.Kind.values),
        "title": fz.Text(200),
        "day": fz.Date(*days),
        "starts": fz.Time("09:00", "14:00", "00:00", "23:30"),
        "ends": fz.Time("09:30", "15:00", "23:59", "08:00"),
        "room": fz.Text(100, required=False),
        "speakers": fz.Text(500, required=False),
        "languages": fz.Many(_ids(world.languages), required=True),
        "speaking": fz.Many(_ids(registrations)),
        "attending": fz.Many(_ids(registrations)),
        "open_to_all": fz.Bool(),
        "description": fz.Text(required=False),
    }


def programme_session_create_target(world, draw, client):
    url = reverse("consultations:programme_sessions", args=[world.event.pk])
    shown = [
        (url, ["title", "room", "speakers"]),
        (reverse("consultations:programme", args=[world.event.pk]), ["title"]),
    ]
    return Submission(url, _programme_session_fields(world), display=shown)


def programme_session_edit_target(world, draw, client):
    event = world.event
    starts = dt.datetime.combine(event.start_date, dt.time(11), tzinfo=event.zone)
    session = ProgrammeSession.objects.filter(event=event).first() or ProgrammeSession.objects.create(
        event=event, title="Opening remarks", starts_at=starts, ends_at=starts + dt.timedelta(minutes=30)
    )
    url = reverse("consultations:programme_session_edit", args=[event.pk, session.pk])
    shown = [(reverse("consultations:programme_sessions", args=[event.pk]), ["title", "room", "speakers"])]
    return Submission(url, _programme_session_fields(world), display=shown)
