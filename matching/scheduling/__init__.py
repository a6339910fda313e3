"""Pure meeting scheduler (no Django): place requested 1:1 meetings in slots and tables, fewest breaks.

from matching.scheduling import Problem, Slot, Participant, Meeting, solve
result = solve(problem, time_limit_seconds=30, on_progress=print)
"""

from .analysis import Placement, Unplaced
from .problem import Interpreter, Meeting, Participant, Problem, ProblemError, Slot
from .results import FEASIBLE, INFEASIBLE, OPTIMAL, Progress, Result
from .solver import solve

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
