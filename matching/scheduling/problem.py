"""The scheduling problem as plain frozen data: what the solver is given, independent of Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

SESSIONS = ("am", "pm")
MEETING_SESSIONS = ("am", "pm", "any")
PRIORITIES = ("must", "would")


class ProblemError(ValueError):
    """The problem itself is malformed (unknown ids, bad session, a lock on a missing table, ...)."""


@dataclass(frozen=True)
class Slot:
    """One time slot. `index` is the caller's id for it (e.g. a primary key or a 1-based number);
    the order of `Problem.slots` is the order of the day, and two neighbours in that order are
    consecutive for counting breaks (the lunch gap between the sessions is not a break)."""

    index: int
    session: str = "am"

    def __post_init__(self):
        if self.session not in SESSIONS:
            raise ProblemError(f"slot {self.index}: session must be one of {SESSIONS}, not {self.session!r}")


@dataclass(frozen=True)
class Participant:
    id: int
    unavailable: frozenset[int] = frozenset()
    name: str = ""

    def __post_init__(self):
        object.__setattr__(self, "unavailable", frozenset(self.unavailable))


@dataclass(frozen=True)
class Interpreter:
    """An interpreter: the languages they cover (besides the portal's own, e.g. {"th", "en"}) and the
    slots they cannot work. One interpreter serves one meeting at a time."""

    id: int
    languages: frozenset[str]
    unavailable: frozenset[int] = frozenset()
    name: str = ""

    def __post_init__(self):
        object.__setattr__(self, "languages", frozenset(self.languages))
        object.__setattr__(self, "unavailable", frozenset(self.unavailable))
        if not self.languages:
            raise ProblemError(f"interpreter {self.id}: covers no language")


@dataclass(frozen=True)
class Meeting:
    """A requested 1:1 meeting between participants `a` and `b`.

    priority: "must" meetings are placed before any other; "would" weighs 1; an int weighs that much
    (among the non-"must" ones). fixed_slot: the meeting may only go there (or stay unplaced).
    locked_slot (and optionally locked_table): already confirmed; it stays exactly there.
    interpreter_language: the language an interpreter must cover (None: the two share a language).
    online: held online, so it takes no table. locked_interpreter: with a locked slot, the interpreter
    already confirmed for it.
    """

    id: int | str
    a: int
    b: int
    session: str = "any"
    priority: str | int = "must"
    fixed_slot: int | None = None
    locked_slot: int | None = None
    locked_table: int | None = None
    interpreter_language: str | None = None
    online: bool = False
    locked_interpreter: int | None = None

    def __post_init__(self):
        if self.a == self.b:
            raise ProblemError(f"meeting {self.id}: a participant cannot meet themselves ({self.a})")
        if self.session not in MEETING_SESSIONS:
            raise ProblemError(f"meeting {self.id}: session must be one of {MEETING_SESSIONS}")
        if isinstance(self.priority, bool) or not (
            self.priority in PRIORITIES or (isinstance(self.priority, int) and self.priority >= 1)
        ):
            raise ProblemError(f"meeting {self.id}: priority must be 'must', 'would' or an int >= 1")
        if self.locked_table is not None and self.locked_slot is None:
            raise ProblemError(f"meeting {self.id}: a locked table needs a locked slot")
        if self.locked_table is not None and self.online:
            raise ProblemError(f"meeting {self.id}: an online meeting uses no table")
        if self.locked_interpreter is not None:
            if self.interpreter_language is None:
                raise ProblemError(f"meeting {self.id}: a locked interpreter needs an interpreter language")
            if self.locked_slot is None:
                raise ProblemError(f"meeting {self.id}: a locked interpreter needs a locked slot")

    @property
    def is_must(self) -> bool:
        return self.priority == "must"

    @property
    def weight(self) -> int:
        """Weight among the non-"must" meetings ("must" ones are ranked above all of them)."""
        if self.priority in PRIORITIES:
            return 1
        return int(self.priority)


@dataclass(frozen=True)
class Problem:
    """Slots in the order of the day; tables as one count or a per-slot capacity {slot index: count};
    participants with their unavailable slots; the requested meetings; the fairness bound (largest
    allowed difference between two participants' break counts, over participants with a meeting;
    None switches it off); the interpreters (online meetings and meetings without an interpreter
    language need none)."""

    slots: tuple[Slot, ...]
    tables: int | Mapping[int, int]
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    fairness: int | None = 2
    interpreters: tuple[Interpreter, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "slots", tuple(self.slots))
        object.__setattr__(self, "interpreters", tuple(self.interpreters))
        object.__setattr__(self, "participants", tuple(self.participants))
        object.__setattr__(self, "meetings", tuple(self.meetings))
        if isinstance(self.tables, Mapping):
            object.__setattr__(self, "tables", MappingProxyType(dict(self.tables)))
        self._validate()

    def _validate(self):
        slot_ids = [s.index for s in self.slots]
        if len(set(slot_ids)) != len(slot_ids):
            raise ProblemError("two slots share an index")
        known_slots = set(slot_ids)
        if isinstance(self.tables, Mapping):
            unknown = set(self.tables) - known_slots
            if unknown:
                raise ProblemError(f"table capacity given for unknown slots {sorted(unknown)}")
            if any(int(c) < 0 for c in self.tables.values()):
                raise ProblemError("a slot cannot have fewer than 0 tables")
        elif int(self.tables) < 0:
            raise ProblemError("tables cannot be negative")
        if self.fairness is not None and self.fairness < 0:
            raise ProblemError("fairness cannot be negative")
        people = [p.id for p in self.participants]
        if len(set(people)) != len(people):
            raise ProblemError("two participants share an id")
        known_people = set(people)
        for p in self.participants:
            unknown = p.unavailable - known_slots
            if unknown:
                raise ProblemError(f"participant {p.id}: unavailable in unknown slots {sorted(unknown)}")
        interpreter_ids = [i.id for i in self.interpreters]
        if len(set(interpreter_ids)) != len(interpreter_ids):
            raise ProblemError("two interpreters share an id")
        for i in self.interpreters:
            unknown = i.unavailable - known_slots
            if unknown:
                raise ProblemError(f"interpreter {i.id}: unavailable in unknown slots {sorted(unknown)}")
        ids = [m.id for m in self.meetings]
        if len(set(ids)) != len(ids):
            raise ProblemError("two meetings share an id")
        for m in self.meetings:
            for who in (m.a, m.b):
                if who not in known_people:
                    raise ProblemError(f"meeting {m.id}: unknown participant {who}")
            for slot in (m.fixed_slot, m.locked_slot):
                if slot is not None and slot not in known_slots:
                    raise ProblemError(f"meeting {m.id}: unknown slot {slot}")
            if m.locked_interpreter is not None and m.locked_interpreter not in set(interpreter_ids):
                raise ProblemError(f"meeting {m.id}: unknown interpreter {m.locked_interpreter}")

    def __reduce__(self):
        # A mappingproxy cannot be pickled; the solver sends problems to a second process.
        tables = dict(self.tables) if isinstance(self.tables, Mapping) else self.tables
        fields = (self.slots, tables, self.participants, self.meetings, self.fairness, self.interpreters)
        return (Problem, fields)

    # cached_property writes straight into __dict__, which a frozen dataclass allows.
    @cached_property
    def _capacity(self) -> Mapping[int, int]:
        if isinstance(self.tables, Mapping):
            return {s.index: int(self.tables.get(s.index, 0)) for s in self.slots}
        return {s.index: int(self.tables) for s in self.slots}

    @cached_property
    def _participants_by_id(self) -> Mapping[int, Participant]:
        return {p.id: p for p in self.participants}

    def capacity(self, slot: int) -> int:
        """Number of tables in the slot with this index (tables are numbered 1..capacity)."""
        return self._capacity[slot]

    def participant(self, pid: int) -> Participant:
        return self._participants_by_id[pid]

    def interpreters_for(self, language: str, slot: int) -> list[Interpreter]:
        """Interpreters who cover `language` and can work in `slot`."""
        return [i for i in self.interpreters if language in i.languages and slot not in i.unavailable]

    def allowed_slots(self, meeting: Meeting) -> list[int]:
        """Slots the meeting's session and fixed slot allow, before looking at anyone's availability."""
        if meeting.locked_slot is not None:
            return [meeting.locked_slot]
        out = [s.index for s in self.slots if meeting.session in ("any", s.session)]
        if meeting.fixed_slot is not None:
            out = [s for s in out if s == meeting.fixed_slot]
        return out
