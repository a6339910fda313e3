"""Read the B2B benchmark's instance JSON into a Problem, and write a Result in its schedule format."""

from __future__ import annotations

from .problem import Meeting, Participant, Problem, ProblemError, Slot
from .solver import Result


def problem_from_instance(data: dict) -> Problem:
    """Slots and participants keep the file's 1-based numbers; meeting ids are their 1-based position."""
    if data.get("precedences"):
        raise ProblemError("precedences between meetings are not supported")
    morning = data["morning_slots"]
    slots = tuple(Slot(i, "am" if i <= morning else "pm") for i in range(1, data["slots"] + 1))
    forbidden = {int(p): frozenset(s) for p, s in data.get("forbidden_slots", {}).items()}
    participants = tuple(
        Participant(p, forbidden.get(p, frozenset())) for p in range(1, data["participants"] + 1)
    )
    fixed = {int(i): s for i, s in data.get("fixed_slots", {}).items()}
    meetings = tuple(
        Meeting(i, a, b, session, "must", fixed_slot=fixed.get(i))
        for i, (a, b, session) in enumerate(data["meetings"], start=1)
    )
    return Problem(slots, data["tables"], participants, meetings, fairness=data.get("fairness", 2))


def schedule_to_json(name: str, result: Result, seconds: float) -> dict:
    """The checker's format: {"instance", "seconds", "meetings": [{"a", "b", "slot", "table"}, ...]}."""
    return {
        "instance": name,
        "seconds": round(seconds, 3),
        "meetings": [
            {"a": p.a, "b": p.b, "slot": p.slot, "table": p.table}
            for p in sorted(result.placements, key=lambda p: (p.slot, p.table))
        ],
    }
