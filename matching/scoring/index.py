"""Match scoring on plain data: one pair by brute force, or whole rankings from a precomputed index.

`MatchIndex.score` is the definition of a pair's score. The rankings score every solution (or every
listing) at once with numpy, then re-score the few pairs that can reach the top k with the same code
as `score`, so a ranking is exactly the brute-force ranking of `score` (see `rank_companies_brute_force`).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from matching.scoring import features
from matching.scoring.weights import (
    BUDGET_BANDS,
    BUDGET_DISTANCE,
    CURRENT,
    ENGLISH,
    ENGLISH_ONLY,
    FIT_KINDS,
    READINESS,
    READINESS_LEVELS,
    REASON_MAX_POINTS,
    REASON_ORDER,
    REFERENCE_COUNTRY,
    RELEVANCE_KINDS,
    TEXT_COSINE_FULL,
    WEIGHTS,
    Model,
)

# Vectorised and pair-by-pair sums add the same terms in different orders; their difference is
# around 1e-13 points. A pair whose vectorised score is within EPSILON of the k-th best is re-scored.
EPSILON = 1e-9
TEXT_WORDS_SHOWN = 5
# Points below which what a pair misses is not worth naming.
SHORTFALL_SHOWN = 1.0


@dataclass(frozen=True)
class Reference:
    city_id: int
    country: str  # ISO 3166 alpha-2
    year: int


@dataclass(frozen=True)
class SolutionProfile:
    solution_id: int
    company_id: int
    categories: frozenset[str]  # category slugs
    text: str  # names + problem solved + description, any language
    references: tuple[Reference, ...]  # where it already runs
    languages: frozenset[str]  # the company's support languages, ISO 639-1
    certifications: frozenset[str]  # certification codes the company holds
    price_band: str  # BudgetBand value or ""
    readiness: str  # Readiness value


@dataclass(frozen=True)
class DemandProfile:
    demand_id: int
    categories: frozenset[str]
    text: str  # title + problem statement
    city_id: int
    country: str
    languages: frozenset[str]  # the buyer's working languages
    required_certifications: frozenset[str]
    budget_band: str  # BudgetBand value or ""
    procurement_type: str


@dataclass(frozen=True)
class Reason:
    """One part of a score. `detail` by kind: category slugs; matched words of the listing (folded,
    most informative first); (city_id, country, year) of the reference; shared language codes,
    non-English first; required certification codes held; (price_band, budget_band);
    (readiness, procurement_type)."""

    kind: str
    points: float
    detail: tuple


@dataclass(frozen=True)
class Match:
    demand_id: int
    solution_id: int
    company_id: int
    score: float  # 0..100, the sum of the reasons' points
    reasons: tuple[Reason, ...]  # strongest first; only reasons with points > 0
    # Answers the listing's problem closely enough (weights.MIN_RELEVANCE): only relevant pairs are ranked.
    relevant: bool = True

    @property
    def relevance(self):
        """The category and text points: how closely the solution answers the listing's problem."""
        return sum(reason.points for reason in self.reasons if reason.kind in RELEVANCE_KINDS)


def _band_table():
    """Budget points by [budget band + 1][price band + 1]; index 0 is 'not given'."""
    size = len(BUDGET_BANDS) + 1
    table = np.zeros((size, size))
    for budget in range(len(BUDGET_BANDS)):
        for price in range(len(BUDGET_BANDS)):
            fraction = BUDGET_DISTANCE.get(abs(budget - price), 0.0)
            table[budget + 1, price + 1] = WEIGHTS["budget"] * fraction
    return table


PROCUREMENT_TYPES = tuple(READINESS)


def _readiness_table():
    """Readiness points by [procurement type + 1][readiness + 1]; index 0 is unknown."""
    table = np.zeros((len(PROCUREMENT_TYPES) + 1, len(READINESS_LEVELS) + 1))
    for row, procurement in enumerate(PROCUREMENT_TYPES, start=1):
        for column, level in enumerate(READINESS_LEVELS, start=1):
            table[row, column] = WEIGHTS["readiness"] * READINESS[procurement][level]
    return table


BUDGET_POINTS = _band_table()
READINESS_POINTS = _readiness_table()
_BAND_INDEX = {band: n for n, band in enumerate(BUDGET_BANDS, start=1)}
_READINESS_INDEX = {level: n for n, level in enumerate(READINESS_LEVELS, start=1)}
_PROCUREMENT_INDEX = {kind: n for n, kind in enumerate(PROCUREMENT_TYPES, start=1)}


def _text_points(cosine, zero):
    ramp = (cosine - zero) / (TEXT_COSINE_FULL - zero)
    return WEIGHTS["text"] * min(1.0, max(0.0, ramp))


def _text_points_array(cosine, zero):
    ramp = (cosine - zero) / (TEXT_COSINE_FULL - zero)
    return WEIGHTS["text"] * np.clip(ramp, 0.0, 1.0)


class _Postings:
    """A sparse matrix kept both ways: rows (documents) and columns (features) as CSR arrays."""

    def __init__(self, row_of, feature, weight, n_rows, n_features):
        # Entries come grouped by row, in row order.
        self.row_feature = feature.astype(np.int32)
        self.row_weight = weight
        self.row_ptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of, minlength=n_rows), out=self.row_ptr[1:])
        order = np.argsort(self.row_feature, kind="stable")
        self.column_row = row_of[order].astype(np.int32)
        self.column_weight = weight[order]
        self.column_ptr = np.zeros(n_features + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.row_feature, minlength=n_features), out=self.column_ptr[1:])
        self.n_rows = n_rows

    def row(self, index):
        start, end = self.row_ptr[index], self.row_ptr[index + 1]
        return self.row_feature[start:end], self.row_weight[start:end]

    def dot_all(self, feature_ids, weights):
        """The dot product of one sparse vector (given by features) with every row, accumulated."""
        starts = self.column_ptr[feature_ids]
        lengths = self.column_ptr[feature_ids + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(self.n_rows)
        first = np.cumsum(lengths) - lengths
        positions = np.arange(total) + np.repeat(starts - first, lengths)
        products = self.column_weight[positions] * np.repeat(weights, lengths)
        return np.bincount(self.column_row[positions], weights=products, minlength=self.n_rows)


def _dot(left, right):
    """The exact cosine of two rows, and the shared features with their shares of it."""
    left_ids, left_weights = left
    right_ids, right_weights = right
    shared, left_at, right_at = np.intersect1d(left_ids, right_ids, assume_unique=True, return_indices=True)
    products = left_weights[left_at] * right_weights[right_at]
    return float(products.sum()), shared, products


class _Sets:
    """Which rows hold each key (a language, a certification, a city): key -> row indices."""

    def __init__(self, keyed_rows):
        grouped = {}
        for row, keys in enumerate(keyed_rows):
            for key in keys:
                grouped.setdefault(key, []).append(row)
        self.rows = {key: np.array(rows, dtype=np.int64) for key, rows in grouped.items()}

    def count(self, keys, size):
        counts = np.zeros(size, dtype=np.int64)
        for key in keys:
            rows = self.rows.get(key)
            if rows is not None:
                counts[rows] += 1
        return counts


class MatchIndex:
    """Every solution against every demand listing, ready to rank either side in milliseconds."""

    def __init__(
        self, solutions: Iterable[SolutionProfile], demands: Iterable[DemandProfile], model: Model = CURRENT
    ):
        self.model = model
        # Solutions sorted by company, so each company's solutions are one slice.
        self.solutions = sorted(solutions, key=lambda s: (s.company_id, s.solution_id))
        self.demands = sorted(demands, key=lambda d: d.demand_id)
        self._solution_at = {s.solution_id: n for n, s in enumerate(self.solutions)}
        self._demand_at = {d.demand_id: n for n, d in enumerate(self.demands)}
        if len(self._solution_at) != len(self.solutions):
            raise ValueError("Two solution profiles share a solution_id.")
        if len(self._demand_at) != len(self.demands):
            raise ValueError("Two demand profiles share a demand_id.")
        company_ids = [s.company_id for s in self.solutions]
        starts = [n for n, company in enumerate(company_ids) if n == 0 or company != company_ids[n - 1]]
        ends = [*starts[1:], len(company_ids)] if starts else []
        self._company_start = np.array(starts, dtype=np.int64)
        self._company_slice = {company_ids[a]: (a, b) for a, b in zip(starts, ends, strict=True)}
        self._build_text()
        self._build_facts()

    # ------------------------------------------------------------------ building
    def _build_text(self):
        """TF-IDF vectors, L2-normalised, with IDF over the solutions; a listing's words that no solution
        uses still count in its norm (they make its other words a smaller part of it)."""
        vocabulary = {}
        # Boilerplate features are left out of both sides' vectors (and so of their norms).
        lexicon = self.model.lexicon
        ignored = set(features.feature_counts(" ".join(self.model.boilerplate)))
        solution_entries = _count_features(
            [s.text for s in self.solutions], vocabulary, True, ignored, lexicon
        )
        self._feature_names = list(vocabulary)
        n = len(self.solutions)
        frequency = np.bincount(solution_entries[1], minlength=len(vocabulary))
        # Feature id -1 (no solution has it) picks the last entry: the IDF of a feature seen nowhere.
        idf = features.inverse_document_frequency(np.append(frequency, 0), n)
        if lexicon:
            # A thesaurus concept is evidence beside the words, not twice their weight where both sides
            # use the same words: it weighs CONCEPT_WEIGHT of a word as rare.
            concept = np.array(
                [name.startswith(features.CONCEPT_MARK) for name in self._feature_names] + [False]
            )
            idf = np.where(concept, idf * features.CONCEPT_WEIGHT, idf)
        # Kept: the words shown as a match's text reason come from the listing's runs.
        self._demand_runs = [features.runs(d.text, lexicon) for d in self.demands]
        demand_entries = _count_features([d.text for d in self.demands], vocabulary, False, ignored, lexicon)

        def postings(entries, rows):
            row_of, feature, count = entries
            known = feature >= 0
            weight = features.term_frequency(count) * idf[feature]
            norm = np.sqrt(np.bincount(row_of, weights=weight * weight, minlength=rows))
            weight = weight / np.where(norm > 0, norm, 1.0)[row_of]
            return _Postings(row_of[known], feature[known], weight[known], rows, len(vocabulary))

        self._solution_text = postings(solution_entries, n)
        self._demand_text = postings(demand_entries, len(self.demands))

    def _build_facts(self):
        solutions, demands = self.solutions, self.demands
        self._solution_categories = _Sets([s.categories for s in solutions])
        self._demand_categories = _Sets([d.categories for d in demands])
        self._solution_category_scale = np.array(
            [1.0 / math.sqrt(len(s.categories)) if s.categories else 0.0 for s in solutions]
        )
        self._demand_category_scale = np.array(
            [1.0 / math.sqrt(len(d.categories)) if d.categories else 0.0 for d in demands]
        )
        self._solutions_in_city = _Sets([{r.city_id for r in s.references} for s in solutions])
        self._solutions_in_country = _Sets([{r.country for r in s.references} for s in solutions])
        self._demand_city = np.array([d.city_id for d in demands], dtype=np.int64)
        countries = {code: n for n, code in enumerate(sorted({d.country for d in demands}))}
        self._country_index = countries
        self._demand_country = np.array([countries[d.country] for d in demands], dtype=np.int64)
        self._solution_languages = _Sets([s.languages for s in solutions])
        self._demand_languages = _Sets([d.languages for d in demands])
        self._solution_certifications = _Sets([s.certifications for s in solutions])
        self._demand_certifications = _Sets([d.required_certifications for d in demands])
        self._demand_certification_scale = np.array(
            [1.0 / len(d.required_certifications) if d.required_certifications else 0.0 for d in demands]
        )
        self._solution_band = np.array([_BAND_INDEX.get(s.price_band, 0) for s in solutions], dtype=np.int64)
        self._demand_band = np.array([_BAND_INDEX.get(d.budget_band, 0) for d in demands], dtype=np.int64)
        self._solution_readiness = np.array(
            [_READINESS_INDEX.get(s.readiness, 0) for s in solutions], dtype=np.int64
        )
        self._demand_procurement = np.array(
            [_PROCUREMENT_INDEX.get(d.procurement_type, 0) for d in demands], dtype=np.int64
        )

    # ------------------------------------------------------------------ one pair
    def score(self, solution_id: int, demand_id: int) -> Match:
        """One pair, computed directly: the definition every ranking agrees with. KeyError for an id
        not in the index."""
        return self._match(self._solution_at[solution_id], self._demand_at[demand_id])

    def _points(self, s, d):
        """Points by kind for solution row s and demand row d, and what each needs to explain itself."""
        solution, demand = self.solutions[s], self.demands[d]
        points = dict.fromkeys(REASON_ORDER, 0.0)
        context = {}

        shared = solution.categories & demand.categories
        if shared:
            size = math.sqrt(len(solution.categories) * len(demand.categories))
            points["category"] = WEIGHTS["category"] * len(shared) / size
            context["category"] = tuple(sorted(shared))

        cosine, shared_features, products = _dot(self._solution_text.row(s), self._demand_text.row(d))
        points["text"] = _text_points(cosine, self.model.text_cosine_zero)
        context["text"] = (shared_features, products)

        in_city = [r for r in solution.references if r.city_id == demand.city_id]
        in_country = [r for r in solution.references if r.country == demand.country]
        if in_city or in_country:
            kind = "reference_city" if in_city else "reference_country"
            latest = max(in_city or in_country, key=lambda r: (r.year, -r.city_id))
            fraction = 1.0 if in_city else REFERENCE_COUNTRY
            points[kind] = WEIGHTS["reference"] * fraction
            context[kind] = (latest.city_id, latest.country, latest.year)

        languages = solution.languages & demand.languages
        if languages:
            own = languages - {ENGLISH}
            points["language"] = WEIGHTS["language"] * (1.0 if own else ENGLISH_ONLY)
            context["language"] = (*sorted(own), *sorted(languages - own))

        required = demand.required_certifications
        held = solution.certifications & required
        if held:
            points["certification"] = WEIGHTS["certification"] * len(held) / len(required)
            context["certification"] = tuple(sorted(held))

        band = (_BAND_INDEX.get(demand.budget_band, 0), _BAND_INDEX.get(solution.price_band, 0))
        points["budget"] = float(BUDGET_POINTS[band])
        context["budget"] = (solution.price_band, demand.budget_band)

        fit = (
            _PROCUREMENT_INDEX.get(demand.procurement_type, 0),
            _READINESS_INDEX.get(solution.readiness, 0),
        )
        points["readiness"] = float(READINESS_POINTS[fit])
        context["readiness"] = (solution.readiness, demand.procurement_type)
        scale = _fit_scale(self.model, points["category"] + points["text"])
        for kind in FIT_KINDS:
            points[kind] *= scale
        return points, context

    def _relevant(self, points):
        relevance = points["category"] + points["text"]
        return relevance > 0 and relevance >= self.model.min_relevance

    def _value(self, s, d):
        """(score, relevant) of one pair, without building its reasons."""
        points, _ = self._points(s, d)
        return sum(points.values()), self._relevant(points)

    def _match(self, s, d):
        points, context = self._points(s, d)
        reasons = []
        for rank, (kind, value) in enumerate(points.items()):
            if value <= 0:
                continue
            if kind == "text":
                shared_features, products = context["text"]
                shares = {
                    self._feature_names[at]: float(product)
                    for at, product in zip(shared_features, products, strict=True)
                }
                detail = features.matched_words(self._demand_runs[d], shares, TEXT_WORDS_SHOWN)
            else:
                detail = context[kind]
            reasons.append((-value, rank, Reason(kind, value, detail)))
        reasons.sort(key=lambda item: item[:2])
        solution = self.solutions[s]
        return Match(
            demand_id=self.demands[d].demand_id,
            solution_id=solution.solution_id,
            company_id=solution.company_id,
            score=sum(points.values()),
            reasons=tuple(reason for _, _, reason in reasons),
            relevant=self._relevant(points),
        )

    def shortfall(self, match: Match) -> list[tuple[str, float]]:
        """[(kind, points)] a match could still earn, most first: what would raise its score.

        Reference kinds count as one ("reference", up to the city's weight); a company-fit kind adds its
        weight times the pair's fit scale (weights.RELEVANCE_FULL); kinds the listing gives no points for
        (no certification required, no budget, languages or procurement type given) are left out."""
        demand = self.demands[self._demand_at[match.demand_id]]
        possible = {
            "text": True,
            "category": bool(demand.categories),
            "reference": True,
            "language": bool(demand.languages),
            "certification": bool(demand.required_certifications),
            "budget": bool(demand.budget_band),
            "readiness": demand.procurement_type in _PROCUREMENT_INDEX,
        }
        most = {
            "reference" if kind.startswith("reference") else kind: points
            for kind, points in REASON_MAX_POINTS.items()
        }
        earned = dict.fromkeys(most, 0.0)
        for reason in match.reasons:
            earned["reference" if reason.kind.startswith("reference") else reason.kind] += reason.points
        # A fit kind earns its weight times the pair's fit scale: what it would add at today's relevance.
        scale = _fit_scale(self.model, match.relevance)
        for kind in most:
            if kind not in RELEVANCE_KINDS:
                most[kind] *= scale
        order = list(most)
        missing = [(kind, most[kind] - earned[kind]) for kind in most if possible[kind]]
        return sorted(
            ((kind, points) for kind, points in missing if points >= SHORTFALL_SHOWN),
            key=lambda item: (-item[1], order.index(item[0])),
        )

    # ------------------------------------------------------------------ rankings
    def top_companies_for_demand(self, demand_id: int, k: int = 10) -> list[Match]:
        """The k best companies for a listing, each by its best solution; only relevant pairs. A listing
        not in the index has none."""
        d = self._demand_at.get(demand_id)
        if d is None or k <= 0 or not self.solutions:
            return []
        demand = self.demands[d]
        n = len(self.solutions)
        overlap = self._solution_categories.count(demand.categories, n)
        cosine = self._solution_text.dot_all(*self._demand_text.row(d))

        relevance = WEIGHTS["category"] * overlap * self._solution_category_scale
        relevance *= self._demand_category_scale[d]
        relevance += _text_points_array(cosine, self.model.text_cosine_zero)
        total = np.zeros(n)

        reference = np.zeros(n)
        country_rows = self._solutions_in_country.rows.get(demand.country)
        if country_rows is not None:
            reference[country_rows] = WEIGHTS["reference"] * REFERENCE_COUNTRY
        city_rows = self._solutions_in_city.rows.get(demand.city_id)
        if city_rows is not None:
            reference[city_rows] = WEIGHTS["reference"]
        total += reference

        own = self._solution_languages.count(demand.languages - {ENGLISH}, n) > 0
        english = self._solution_languages.count(demand.languages & {ENGLISH}, n) > 0
        total += WEIGHTS["language"] * np.where(own, 1.0, np.where(english, ENGLISH_ONLY, 0.0))

        if demand.required_certifications:
            held = self._solution_certifications.count(demand.required_certifications, n)
            total += WEIGHTS["certification"] * held * self._demand_certification_scale[d]

        total += BUDGET_POINTS[self._demand_band[d]][self._solution_band]
        total += READINESS_POINTS[self._demand_procurement[d]][self._solution_readiness]
        total = relevance + total * _fit_scale_array(self.model, relevance)

        surely, maybe = _listable(self.model, overlap, cosine, relevance)
        company_best = np.maximum.reduceat(np.where(surely, total, -np.inf), self._company_start)
        threshold = _kth_largest(company_best, k)
        rows = np.flatnonzero(maybe & (total >= threshold - EPSILON))
        best = {}
        for s in rows.tolist():
            value, relevant = self._value(s, d)
            if not relevant:
                continue
            solution = self.solutions[s]
            key = (-value, solution.solution_id)
            if solution.company_id not in best or key < best[solution.company_id][0]:
                best[solution.company_id] = (key, s)
        ranked = sorted(best.items(), key=lambda item: (item[1][0][0], item[0]))[:k]
        return [self._match(s, d) for _, (_, s) in ranked]

    def top_demands_for_company(self, company_id: int, k: int = 10) -> list[Match]:
        """The k best listings for a company, each by the company's best solution for it; only relevant
        pairs. A company with no solution in the index has none."""
        if company_id not in self._company_slice or k <= 0 or not self.demands:
            return []
        start, end = self._company_slice[company_id]
        m = len(self.demands)
        totals, surely, maybe = [], [], []
        for s in range(start, end):
            solution = self.solutions[s]
            overlap = self._demand_categories.count(solution.categories, m)
            cosine = self._demand_text.dot_all(*self._solution_text.row(s))

            relevance = WEIGHTS["category"] * overlap * self._demand_category_scale
            relevance *= self._solution_category_scale[s]
            relevance += _text_points_array(cosine, self.model.text_cosine_zero)
            total = np.zeros(m)

            cities = [r.city_id for r in solution.references]
            countries = [self._country_index.get(r.country, -1) for r in solution.references]
            in_city = np.isin(self._demand_city, cities)
            in_country = np.isin(self._demand_country, countries)
            total += WEIGHTS["reference"] * np.where(
                in_city, 1.0, np.where(in_country, REFERENCE_COUNTRY, 0.0)
            )

            own = self._demand_languages.count(solution.languages - {ENGLISH}, m) > 0
            english = self._demand_languages.count(solution.languages & {ENGLISH}, m) > 0
            total += WEIGHTS["language"] * np.where(own, 1.0, np.where(english, ENGLISH_ONLY, 0.0))

            held = self._demand_certifications.count(solution.certifications, m)
            total += WEIGHTS["certification"] * held * self._demand_certification_scale

            total += BUDGET_POINTS[self._demand_band, self._solution_band[s]]
            total += READINESS_POINTS[self._demand_procurement, self._solution_readiness[s]]
            totals.append(relevance + total * _fit_scale_array(self.model, relevance))
            listable = _listable(self.model, overlap, cosine, relevance)
            surely.append(listable[0])
            maybe.append(listable[1])

        totals, surely, maybe = np.array(totals), np.array(surely), np.array(maybe)
        demand_best = np.where(surely, totals, -np.inf).max(axis=0)
        threshold = _kth_largest(demand_best, k)
        offsets, rows = np.nonzero(maybe & (totals >= threshold - EPSILON))
        best = {}
        for offset, d in zip(offsets.tolist(), rows.tolist(), strict=True):
            s = start + offset
            value, relevant = self._value(s, d)
            if not relevant:
                continue
            key = (-value, self.solutions[s].solution_id)
            if d not in best or key < best[d][0]:
                best[d] = (key, s)
        ranked = sorted(best.items(), key=lambda item: (item[1][0][0], self.demands[item[0]].demand_id))[:k]
        return [self._match(s, d) for d, (_, s) in ranked]


def _fit_scale(model, relevance):
    """The share of the company-fit points a pair of this relevance earns."""
    if model.relevance_full <= 0:
        return 1.0
    return min(1.0, relevance / model.relevance_full)


def _fit_scale_array(model, relevance):
    if model.relevance_full <= 0:
        return np.ones_like(relevance)
    return np.minimum(1.0, relevance / model.relevance_full)


def _listable(model, overlap, cosine, relevance):
    """(surely, maybe) relevant, for every row: maybe allows for the vectorised sums' rounding."""
    surely = (overlap > 0) | (cosine > model.text_cosine_zero + EPSILON)
    maybe = (overlap > 0) | (cosine > model.text_cosine_zero - EPSILON)
    if model.min_relevance > 0:
        surely &= relevance >= model.min_relevance + EPSILON
        maybe &= relevance >= model.min_relevance - EPSILON
    return surely, maybe


def _count_features(texts, vocabulary, grow, ignored, lexicon):
    """(row, feature id, count) arrays over all texts, ignored features left out; a feature outside the
    vocabulary is -1 unless `grow` adds it."""
    rows, ids, counts = [], [], []
    for row, text in enumerate(texts):
        document = features.feature_counts(text, lexicon)
        for feature in ignored & document.keys():
            del document[feature]
        rows.extend([row] * len(document))
        if grow:
            ids.extend([vocabulary.setdefault(feature, len(vocabulary)) for feature in document])
        else:
            ids.extend([vocabulary.get(feature, -1) for feature in document])
        counts.extend(document.values())
    return (
        np.array(rows, dtype=np.int64),
        np.array(ids, dtype=np.int64),
        np.array(counts, dtype=np.float64),
    )


def _kth_largest(values, k):
    """The k-th largest finite value, or -inf when fewer than k are finite (then all finite ones count)."""
    finite = values[np.isfinite(values)]
    if len(finite) < k:
        return -np.inf
    return float(np.partition(finite, len(finite) - k)[len(finite) - k])


# ---------------------------------------------------------------------- brute force, for bench and tests
def rank_companies_brute_force(index: MatchIndex, demand_id: int, k: int = 10) -> list[Match]:
    """What top_companies_for_demand means: score() every solution, keep each company's best relevant one
    (ties: lower solution_id), rank by score then company_id."""
    matches = (index.score(solution.solution_id, demand_id) for solution in index.solutions)
    best = _best_relevant(matches, lambda match: match.company_id)
    return sorted(best.values(), key=lambda m: (-m.score, m.company_id))[:k]


def rank_demands_brute_force(index: MatchIndex, company_id: int, k: int = 10) -> list[Match]:
    """What top_demands_for_company means: score() each of the company's solutions against every listing,
    keep the best relevant one per listing (ties: lower solution_id), rank by score then demand_id."""
    matches = (
        index.score(solution.solution_id, demand.demand_id)
        for solution in index.solutions
        if solution.company_id == company_id
        for demand in index.demands
    )
    best = _best_relevant(matches, lambda match: match.demand_id)
    return sorted(best.values(), key=lambda m: (-m.score, m.demand_id))[:k]


def _best_relevant(matches, key):
    """The best relevant match for each key: highest score, then lowest solution_id."""
    best = {}
    for match in matches:
        if not match.relevant:
            continue
        current = best.get(key(match))
        if current is None or (-match.score, match.solution_id) < (-current.score, current.solution_id):
            best[key(match)] = match
    return best
