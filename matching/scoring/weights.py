"""Every number the match score is made of, in one place: the weights and the tables behind them.

A pair's score is the sum of its reasons' points, at most 100:

    kind                 points
    category             WEIGHTS["category"] x shared / sqrt(|listing's| x |solution's|)
    text                 WEIGHTS["text"] x ramp of the TF-IDF cosine (TEXT_COSINE_ZERO .. TEXT_COSINE_FULL)
    reference_city       WEIGHTS["reference"]                       a reference in the listing's city
    reference_country    WEIGHTS["reference"] x REFERENCE_COUNTRY   else one in the listing's country
    language             WEIGHTS["language"]                        a shared language other than English
                         WEIGHTS["language"] x ENGLISH_ONLY         else English shared
    certification        WEIGHTS["certification"] x held / required (a listing without any gives none)
    budget               WEIGHTS["budget"] x BUDGET_DISTANCE[band steps apart]
    readiness            WEIGHTS["readiness"] x READINESS[procurement type][readiness]

The category share is the cosine of the two sets (Ochiai), so a solution that ticks every category
does not match every listing. A pair is listed in a ranking only when it is relevant: it shares a
category or its texts earn text points (RELEVANCE_KINDS); the other reasons rank relevant pairs, they
never make a pair relevant on their own.
"""

# Relevance (category and text, 60 points) outweighs the company's fit (40 points): a local
# reference, the buyer's language and the right budget mostly decide between solutions to the
# listing's problem, though a perfectly fitting company with a solution to another problem in the
# same category can pass one that fits poorly (bench/matching.py counts how often).
WEIGHTS = {
    "category": 20.0,
    "text": 40.0,
    "reference": 12.0,
    "language": 10.0,
    "certification": 6.0,
    "budget": 6.0,
    "readiness": 6.0,
}

# Reason kinds that make a pair relevant enough to be listed.
RELEVANCE_KINDS = frozenset({"category", "text"})

# A cosine at or below ZERO earns nothing (two texts share only boilerplate); at or above FULL the
# texts describe the same problem as closely as two authors ever word it. Linear in between, so the
# score moves smoothly with the text.
TEXT_COSINE_ZERO = 0.05
TEXT_COSINE_FULL = 0.5

# A reference elsewhere in the listing's country proves less than one in its city.
REFERENCE_COUNTRY = 0.5

# English is everyone's fallback: support in the buyer's own language is what sets a company apart.
ENGLISH = "en"
ENGLISH_ONLY = 0.3

# BudgetBand values in increasing order; a price band one step from the budget is half a fit.
BUDGET_BANDS = ("lt50k", "50k-250k", "250k-1m", "1m-5m", "gt5m")
BUDGET_DISTANCE = {0: 1.0, 1: 0.5}

# How well a solution's readiness suits a procurement type, as a fraction of WEIGHTS["readiness"].
# Tenders and PPPs buy what already runs commercially; a pilot welcomes a pilot or a prototype;
# ODA (K-City Network) projects prefer what has already been deployed abroad; a private buyer takes
# commercial products and, with less confidence, pilots.
READINESS_LEVELS = ("prototype", "pilot", "commercial", "exported")
READINESS = {
    #            prototype  pilot  commercial  exported
    "pilot": dict(zip(READINESS_LEVELS, (0.75, 1.0, 1.0, 1.0), strict=True)),
    "tender": dict(zip(READINESS_LEVELS, (0.0, 0.25, 1.0, 1.0), strict=True)),
    "ppp": dict(zip(READINESS_LEVELS, (0.0, 0.25, 1.0, 1.0), strict=True)),
    "oda": dict(zip(READINESS_LEVELS, (0.0, 0.25, 0.75, 1.0), strict=True)),
    "private": dict(zip(READINESS_LEVELS, (0.25, 0.5, 1.0, 1.0), strict=True)),
}

# The most points each reason kind can earn (for "x of y points" in the interface).
REASON_MAX_POINTS = {
    "category": WEIGHTS["category"],
    "text": WEIGHTS["text"],
    "reference_city": WEIGHTS["reference"],
    "reference_country": WEIGHTS["reference"] * REFERENCE_COUNTRY,
    "language": WEIGHTS["language"],
    "certification": WEIGHTS["certification"],
    "budget": WEIGHTS["budget"],
    "readiness": WEIGHTS["readiness"],
}

# Reasons with equal points are listed in this order.
REASON_ORDER = tuple(REASON_MAX_POINTS)
