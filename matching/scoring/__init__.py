"""Pure match scoring between solutions and demand listings: plain data in, ranked pairs with reasons out."""

from matching.scoring.index import (
    DemandProfile,
    Match,
    MatchIndex,
    Reason,
    Reference,
    SolutionProfile,
    rank_companies_brute_force,
    rank_demands_brute_force,
)
from matching.scoring.weights import BASELINE, CURRENT, REASON_MAX_POINTS, WEIGHTS, Model

__all__ = [
    "BASELINE",
    "CURRENT",
    "REASON_MAX_POINTS",
    "WEIGHTS",
    "DemandProfile",
    "Match",
    "MatchIndex",
    "Model",
    "Reason",
    "Reference",
    "SolutionProfile",
    "rank_companies_brute_force",
    "rank_demands_brute_force",
]
