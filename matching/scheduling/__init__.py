"""Pure meeting scheduler (no Django): place requested 1:1 meetings in slots and tables, fewest breaks.

from matching.scheduling import Problem, Slot, Participant, Meeting, solve
result = solve(problem, time_limit_seconds=30, on_progress=print)
"""

from typing import TYPE_CHECKING

from .analysis import Placement, Unplaced
from .problem import Interpreter, Meeting, Participant, Problem, ProblemError, Slot
from .results import FEASIBLE, INFEASIBLE, OPTIMAL, Progress, Result

if TYPE_CHECKING:
    from .solver import solve


def __getattr__(name):
    # `solve` (and with it OR-Tools, about 0.45 s to import) is loaded when first asked for: the MaxSAT
    # stage's other processes import this package to reach maxsat.py, and most of them need only
    # python-sat (the finders and the copy start their search that much sooner).
    if name == "solve":
        from .solver import solve

        return solve
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FEASIBLE",
    "INFEASIBLE",
    "OPTIMAL",
    "Interpreter",
    "Meeting",
    "Participant",
    "Placement",
    "Problem",
    "ProblemError",
    "Progress",
    "Result",
    "Slot",
    "Unplaced",
    "solve",
]
