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
from matching.scoring.weights import REASON_MAX_POINTS, WEIGHTS

__all__ = [
    "REASON_MAX_POINTS",
    "WEIGHTS",
    "DemandProfile",
    "Match",
    "MatchIndex",
    "Reason",
    "Reference",
    "SolutionProfile",
    "rank_companies_brute_force",
    "rank_demands_brute_force",
]
