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
does not match every listing. Category and text points are the pair's relevance (RELEVANCE_KINDS): how
closely the solution answers the listing's problem. The other reasons, the company's fit, count in full
only for a solution to the problem: they are scaled by relevance / RELEVANCE_FULL (at most 1), so a
parking sensor with Thai support and the right budget never passes a flood sensor for a flood listing.
A pair is listed in a ranking only when its relevance reaches MIN_RELEVANCE.

Words every problem statement uses ("we need", "cannot see", "every day": BOILERPLATE) are no evidence
of the same problem, and are left out of the text vectors.

BASELINE is the 2022 ranking (no scaling, any relevance listed, boilerplate counted), kept callable so
bench/matching.py measures today's ranking against it on the labelled set.
"""

from dataclasses import dataclass

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

# A cosine at or below ZERO earns nothing (two texts share only an incidental word); at or above FULL
# the texts describe the same problem as closely as two authors ever word it. Linear in between, so the
# score moves smoothly with the text. (Without the boilerplate in the vectors, one incidental shared
# word weighs more than it did in 2022's ranking, whose floor was 0.05.)
TEXT_COSINE_ZERO = 0.08
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

# The company-fit kinds, scaled by relevance.
FIT_KINDS = tuple(kind for kind in REASON_ORDER if kind not in RELEVANCE_KINDS)

# Relevance points at which the company's fit counts in full: one shared category and a problem
# statement half as close as it can be, or the same problem in other categories.
RELEVANCE_FULL = 30.0
# Relevance points a pair needs to be listed: a listing's only category shared by a solution of one
# category (the full category weight), or texts that share more than a word or two.
MIN_RELEVANCE = 15.0

# Folded English and Turkish words of any problem statement: needs, complaints, time and quantities.
BOILERPLATE = frozenset(
    # English
    "need needs needed want wants wanted cannot can't see sees seen know one two three four five six "
    "twelve twenty hundred thousand first second third quarter half full every each all many few far near "
    "main old next after before during within until while since time times minute minutes hour hours day "
    "days daily week weeks month months year years today now morning evening night city cities town "
    "towns people person someone nobody everyone back reach reaches reached own share shares shared "
    "get gets give gives make makes made let lets keep keeps tell tells start starts stop stops lose loses "
    "lost put go goes come comes find found way work works run runs take takes still same like just even "
    "around whole part able already based down here there some lot lots long little large small big "
    "system systems solution solutions problem problems help helps enough level levels".split()
    # Turkish
    + "istiyoruz istiyor ihtiyac ihtiyacimiz gerek gerekiyor var yok sonra once icinde kadar gun saat "
    "dakika yil sehir her tum".split()
)


@dataclass(frozen=True)
class Model:
    """How a pair is scored beyond the weights: the ranking of today (CURRENT) or of 2022 (BASELINE)."""

    relevance_full: float  # relevance points at which the fit counts in full; 0: never scaled
    min_relevance: float  # relevance points a pair needs to be listed (above 0 in any case)
    boilerplate: frozenset  # words left out of the text vectors
    lexicon: bool  # features.CONCEPTS: a problem's words in the buyers' languages meet the English ones
    text_cosine_zero: float  # the cosine at or below which texts earn no points


CURRENT = Model(
    relevance_full=RELEVANCE_FULL,
    min_relevance=MIN_RELEVANCE,
    boilerplate=BOILERPLATE,
    lexicon=True,
    text_cosine_zero=TEXT_COSINE_ZERO,
)
BASELINE = Model(
    relevance_full=0.0, min_relevance=0.0, boilerplate=frozenset(), lexicon=False, text_cosine_zero=0.05
)
