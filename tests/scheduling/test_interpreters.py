"""Interpreters as a shared resource per slot, and online meetings that take no table."""

import pytest

from matching.scheduling import OPTIMAL, Interpreter, Meeting, Participant, Problem, ProblemError, Slot, solve

LIMIT = 20  # seconds; each case is proven optimal in well under one


def day(n):
    return tuple(Slot(i, "am") for i in range(1, n + 1))


def make(meetings, slots=3, tables=10, interpreters=(), unavailable=None):
    unavailable = unavailable or {}
    people = sorted({p for m in meetings for p in (m.a, m.b)})
    return Problem(
        slots=day(slots),
        tables=tables,
        participants=tuple(Participant(p, frozenset(unavailable.get(p, ()))) for p in people),
        meetings=tuple(meetings),
        interpreters=tuple(interpreters),
    )


def placed(result):
    return {p.meeting_id: p for p in result.placements}


def assert_interpreters_are_valid(problem, result):
    """Each interpreter serves one meeting a slot, covers its language and is available then."""
    by_id = {i.id: i for i in problem.interpreters}
    requests = {m.id: m for m in problem.meetings}
    seen = set()
    for p in result.placements:
        m = requests[p.meeting_id]
        if m.interpreter_language is None:
            assert p.interpreter is None
            continue
        interpreter = by_id[p.interpreter]
        assert m.interpreter_language in interpreter.languages
        assert p.slot not in interpreter.unavailable
        assert (p.interpreter, p.slot) not in seen
        seen.add((p.interpreter, p.slot))


def test_meetings_needing_the_only_thai_interpreter_never_share_a_slot():
    meetings = [Meeting(i, 2 * i - 1, 2 * i, interpreter_language="th") for i in range(1, 4)]
    problem = make(meetings, slots=3, interpreters=[Interpreter(7, frozenset({"th"}))])

    result = solve(problem, time_limit_seconds=LIMIT)

    assert result.all_placed and result.status == OPTIMAL
    assert sorted(p.slot for p in result.placements) == [1, 2, 3]
    assert {p.interpreter for p in result.placements} == {7}
    assert_interpreters_are_valid(problem, result)


def test_an_interpreters_unavailable_slot_is_respected():
    meetings = [
        Meeting(1, 1, 2, interpreter_language="th"),
        Meeting(2, 3, 4, interpreter_language="th"),
    ]
    problem = make(meetings, slots=2, interpreters=[Interpreter(7, frozenset({"th"}), frozenset({1}))])

    result = solve(problem, time_limit_seconds=LIMIT)

    (only,) = result.placements
    assert (only.slot, only.interpreter) == (2, 7)
    (left_out,) = result.unplaced
    assert (left_out.code, left_out.reason) == (
        "no_interpreter",
        "no interpreter for th in the slots where both are free",
    )


def test_bilingual_interpreters_are_counted_by_halls_condition_not_per_language():
    """Per language everything fits (th: 2 interpreters for 1 meeting, tr: 1 for 1, en: 1 for 1) and so
    does the total (3 for 3), but Turkish and English share one interpreter: only two of the three
    meetings can run in the one slot."""
    meetings = [
        Meeting("th", 1, 2, interpreter_language="th"),
        Meeting("tr", 3, 4, interpreter_language="tr", priority=3),
        Meeting("en", 5, 6, interpreter_language="en", priority="would"),
    ]
    interpreters = [
        Interpreter(1, frozenset({"th"})),
        Interpreter(2, frozenset({"th"})),
        Interpreter(3, frozenset({"tr", "en"})),
    ]
    problem = make(meetings, slots=1, interpreters=interpreters)

    result = solve(problem, time_limit_seconds=LIMIT)

    assert set(placed(result)) == {"th", "tr"}
    assert placed(result)["tr"].interpreter == 3
    assert placed(result)["th"].interpreter in (1, 2)
    assert [(u.meeting_id, u.code) for u in result.unplaced] == [("en", "no_interpreter")]
    assert result.proven_optimal


def test_one_bilingual_interpreter_serves_either_language_when_the_other_is_taken():
    """Two Thai meetings in one slot: the Thai-only interpreter takes one, the Thai-Turkish one the
    other, which per-interpreter-language bookkeeping without a matching would miss."""
    meetings = [Meeting(1, 1, 2, interpreter_language="th"), Meeting(2, 3, 4, interpreter_language="th")]
    interpreters = [Interpreter(1, frozenset({"th", "tr"})), Interpreter(2, frozenset({"th"}))]
    problem = make(meetings, slots=1, interpreters=interpreters)

    result = solve(problem, time_limit_seconds=LIMIT)

    assert result.all_placed
    assert sorted(p.interpreter for p in result.placements) == [1, 2]
    assert_interpreters_are_valid(problem, result)


def test_online_meetings_beyond_the_table_count_are_placed_without_a_table():
    meetings = [
        Meeting(1, 1, 2),
        Meeting(2, 3, 4, online=True),
        Meeting(3, 5, 6, online=True),
    ]
    problem = make(meetings, slots=1, tables=1)

    result = solve(problem, time_limit_seconds=LIMIT)

    assert result.all_placed and result.status == OPTIMAL
    assert {mid: (p.slot, p.table) for mid, p in placed(result).items()} == {
        1: (1, 1),
        2: (1, None),
        3: (1, None),
    }


def test_an_online_meeting_can_still_need_an_interpreter():
    meetings = [
        Meeting(1, 1, 2, online=True, interpreter_language="th"),
        Meeting(2, 3, 4, online=True, interpreter_language="th"),
    ]
    problem = make(meetings, slots=2, tables=0, interpreters=[Interpreter(9, frozenset({"th"}))])

    result = solve(problem, time_limit_seconds=LIMIT)

    assert result.all_placed
    assert sorted((p.slot, p.table, p.interpreter) for p in result.placements) == [(1, None, 9), (2, None, 9)]


def test_a_locked_interpreter_stays_and_serves_nobody_else_in_that_slot():
    meetings = [
        Meeting(1, 1, 2, interpreter_language="th", locked_slot=1, locked_interpreter=2),
        Meeting(2, 3, 4, interpreter_language="th", fixed_slot=1),
        Meeting(3, 5, 6, interpreter_language="th"),
    ]
    interpreters = [Interpreter(1, frozenset({"th"})), Interpreter(2, frozenset({"th", "en"}))]
    problem = make(meetings, slots=2, interpreters=interpreters)

    result = solve(problem, time_limit_seconds=LIMIT)

    got = placed(result)
    assert result.all_placed
    assert (got[1].slot, got[1].interpreter, got[1].locked) == (1, 2, True)
    assert (got[2].slot, got[2].interpreter) == (1, 1)
    assert got[3].slot == 2
    assert_interpreters_are_valid(problem, result)


def test_a_meeting_whose_language_no_interpreter_covers_is_left_out_with_the_reason():
    meetings = [Meeting(1, 1, 2, interpreter_language="tr"), Meeting(2, 1, 3)]
    problem = make(meetings, slots=2, interpreters=[Interpreter(1, frozenset({"th"}))])

    result = solve(problem, time_limit_seconds=LIMIT)

    assert [p.meeting_id for p in result.placements] == [2]
    (left_out,) = result.unplaced
    assert (left_out.meeting_id, left_out.code, left_out.reason) == (
        1,
        "no_interpreter",
        "no interpreter for tr in the slots where both are free",
    )


def test_without_interpreters_or_online_meetings_placements_look_as_before():
    problem = make([Meeting(1, 1, 2), Meeting(2, 1, 3)], slots=2, tables=1)

    result = solve(problem, time_limit_seconds=LIMIT)

    assert sorted((p.slot, p.table, p.interpreter) for p in result.placements) == [(1, 1, None), (2, 1, None)]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: make([Meeting(1, 1, 2, interpreter_language="th", locked_slot=1, locked_interpreter=5)]),
            "meeting 1: unknown interpreter 5",
        ),
        (
            lambda: Meeting(1, 1, 2, locked_slot=1, locked_interpreter=5),
            "meeting 1: a locked interpreter needs an interpreter language",
        ),
        (
            lambda: Meeting(1, 1, 2, interpreter_language="th", locked_interpreter=5),
            "meeting 1: a locked interpreter needs a locked slot",
        ),
        (
            lambda: make([Meeting(1, 1, 2)], interpreters=[Interpreter(1, {"th"}, {9})]),
            r"interpreter 1: unavailable in unknown slots \[9\]",
        ),
        (
            lambda: Meeting(1, 1, 2, online=True, locked_slot=1, locked_table=1),
            "meeting 1: an online meeting uses no table",
        ),
    ],
)
def test_malformed_interpreter_data_is_refused(build, message):
    with pytest.raises(ProblemError, match=message):
        build()
