"""Read the B2B benchmark's instance JSON into a Problem, and write a Result in its schedule format."""

from __future__ import annotations

from matching.scheduling.problem import Meeting, Participant, Problem, Slot
from matching.scheduling.results import Result


def problem_from_instance(data: dict) -> Problem:
    """Slots and participants keep the file's 1-based numbers; meeting ids are their 1-based position.

    Lenient where the file is: forbidden or fixed slots outside 1..slots are dropped (no meeting can be
    there anyway), and participants named by a meeting count even above `participants`. Precedences
    are not read (see `unsupported`); the benchmark's checker does not check them either.
    """
    morning = data["morning_slots"]
    count = int(data["slots"])
    slots = tuple(Slot(i, "am" if i <= morning else "pm") for i in range(1, count + 1))
    in_range = range(1, count + 1)
    forbidden = {
        int(p): frozenset(int(s) for s in slot_list if int(s) in in_range)
        for p, slot_list in data.get("forbidden_slots", {}).items()
    }
    people = max([int(data["participants"])] + [int(who) for a, b, _ in data["meetings"] for who in (a, b)])
    participants = tuple(Participant(p, forbidden.get(p, frozenset())) for p in range(1, people + 1))
    fixed = {int(i): int(s) for i, s in data.get("fixed_slots", {}).items() if s and int(s) in in_range}
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


def unsupported(data: dict) -> list[str]:
    """What in the file the scheduler does not take into account, for a warning."""
    return ["precedences between meetings are ignored"] if data.get("precedences") else []
