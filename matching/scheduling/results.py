"""What the scheduler reports: progress while it runs, and its result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .analysis import (
    Placement,
    Unplaced,
)

OPTIMAL, FEASIBLE, INFEASIBLE = "optimal", "feasible", "infeasible"


@dataclass(frozen=True)
class Progress:
    """Sent to `on_progress` for every better schedule found (and, in the MaxSAT stage, for every rise of
    the lower bound). It may run on a solver thread: keep it short. `bound` is the best proven bound on
    the stage's objective (placed weight, or breaks). `breaks_lower_bound`: proven, no schedule placing
    every placeable meeting has fewer breaks (None while that is unknown, e.g. before the placement is
    known). `proven`: the schedule reported is a proven optimum (the run is about to end)."""

    phase: str  # "maxsat" (or "tight" on days too large for it), "placement", "breaks" or "improve"
    seconds: float
    placed: int
    requested: int
    total_breaks: int | None
    bound: float
    breaks_lower_bound: int | None = None
    proven: bool = False


@dataclass(frozen=True)
class Result:
    status: str  # "optimal" (proven), "feasible" (time limit or cancel first) or "infeasible" (locks clash)
    proven_optimal: bool
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    breaks: Mapping[int, int]  # participant id -> breaks, for participants with a placed meeting
    total_breaks: int
    fairness_spread: int
    fairness_met: bool
    breaks_lower_bound: int  # proven: no schedule placing as much, as fairly, has fewer breaks
    seconds: float
    requested: int
    conflicts: tuple[str, ...] = ()  # why an "infeasible" problem cannot be scheduled at all
    stages: tuple[str, ...] = field(default=(), repr=False)  # "stage:CP-SAT status", for logs

    @property
    def placed(self) -> int:
        return len(self.placements)

    @property
    def all_placed(self) -> bool:
        return not self.unplaced and self.status != INFEASIBLE
