"""The roadshow catalogue: the other side's confirmed participants as cards, with their fit to the viewer.

A member's "meet" page and the staff's suggestions both show participants through `ParticipantCard`s:
logo, one-line summary, categories, languages, city, a link to the profile, and the fit between a Korean
company's solutions and a buyer's open listings with its top reasons. Building the cards takes the same
number of queries for 3 participants as for 300.
"""

from dataclasses import dataclass, field, replace

import django_filters
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from matching.companies.models import Company, Solution
from matching.consultations.booking.models import Meeting, MeetingRequest
from matching.consultations.booking.selectors import OPEN_REQUEST
from matching.consultations.events.models import Registration, ShortlistEntry
from matching.demands.models import BuyerOrganisation, Demand
from matching.geo.models import City, Language
from matching.kernel.models import Category, categories_in_order
from matching.recommendations.reasons import describe, summary
from matching.recommendations.selectors import Labels, match_index
from portal.common.filters import DirectoryFilterSet
from portal.privacy.selectors import shown_abroad

# The reasons a card names; the rest are behind the profile and the match pages.
CARD_REASONS = 2


@dataclass
class Fit:
    """The best pair between a company's solutions and a buyer's open listings, explained."""

    score: float
    demand: Demand
    solution: Solution
    reasons: list  # sentences, strongest first
    summary: str


@dataclass
class ParticipantCard:
    registration: Registration
    categories: list
    languages: list
    fit: Fit | None = None
    listings: list = field(default_factory=list)  # a buyer's open listings, for its card
    shortlisted: bool = False
    request: MeetingRequest | None = None  # the latest request between the viewer's side and this one
    meeting: Meeting | None = None  # their booked meeting

    @property
    def organisation(self):
        return self.registration.company or self.registration.buyer

    @property
    def is_company(self):
        return self.registration.company_id is not None

    @property
    def city(self):
        return self.organisation.headquarters if self.is_company else self.organisation.city

    @property
    def score(self):
        return self.fit.score if self.fit else None


def _participants(queryset):
    """Registrations with what a card shows of their organisation, in a fixed number of queries."""
    return queryset.select_related("company__headquarters__country", "buyer__city__country").prefetch_related(
        "languages",
        "company__support_languages",
        "buyer__languages",
        Prefetch(
            "company__solutions",
            queryset=Solution.objects.only("pk", "company_id", "name_en", "name_ko").prefetch_related(
                "categories"
            ),
        ),
        Prefetch(
            "buyer__demands",
            queryset=Demand.objects.open().select_related("city__country").prefetch_related("categories"),
            to_attr="open_listings",
        ),
    )


def _card(registration):
    organisation = registration.company or registration.buyer
    languages = list(registration.languages.all())
    if registration.company_id:
        categories = organisation.solution_categories
        languages = languages or list(organisation.support_languages.all())
        listings = []
    else:
        categories = categories_in_order(
            category for demand in organisation.open_listings for category in demand.categories.all()
        )
        languages = languages or list(organisation.languages.all())
        listings = organisation.open_listings
    return ParticipantCard(registration, categories, languages, listings=listings)


def cards_for(registrations):
    """Cards for these registrations, with their organisations' categories and languages, no fits yet."""
    return [_card(registration) for registration in _participants(registrations)]


def _best(index, solutions, demands):
    """The best relevant Match between the solutions and the listings, with its demand and solution."""
    best = None
    for demand in demands:
        for solution in solutions:
            try:
                match = index.score(solution.pk, demand.pk)
            except KeyError:  # not in the index: company not approved or listing not open
                continue
            if match.relevant and (best is None or match.score > best[0].score):
                best = (match, demand, solution)
    return best


def attach_fits(pairs):
    """Give each (card, company registration, buyer registration) its card's Fit, best pair first.

    The registrations come from `_participants` (solutions and open listings prefetched)."""
    index = match_index()
    found = []
    for card, sme, buyer in pairs:
        best = _best(index, sme.company.solutions.all(), buyer.buyer.open_listings)
        if best is not None:
            found.append((card, *best))
    labels = Labels()
    labels.load_cities([match for _card, match, _demand, _solution in found])
    for card, match, demand, solution in found:
        card.fit = Fit(
            score=match.score,
            demand=demand,
            solution=solution,
            reasons=[describe(reason, labels, demand, solution) for reason in match.reasons[:CARD_REASONS]],
            summary=summary(match, index.shortfall(match), demand),
        )


def own_participant(own):
    """`own` registration again, with what the fits need (its solutions or its open listings)."""
    return _participants(Registration.objects.filter(pk=own.pk)).get()


class CatalogueFilter(DirectoryFilterSet):
    """Filters of an event's catalogue of participants (the other side's confirmed registrations)."""

    search_placeholder = _("Name")

    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        method="with_category",
        empty_label=_("All categories"),
    )
    city = django_filters.ModelChoiceFilter(
        label=_("City"), queryset=City.objects.none(), method="in_city", empty_label=_("All cities")
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        queryset=Language.objects.all(),
        to_field_name="code",
        method="speaking",
        empty_label=_("Any language"),
    )
    interpreter = django_filters.ChoiceFilter(
        label=_("Interpreter"),
        choices=[("no", _("No interpreter needed")), ("yes", _("Needs an interpreter"))],
        method="needing_interpreter",
        empty_label=_("Either"),
    )
    shortlist = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("mine", _("My shortlist only"))],
        method="on_shortlist",
        empty_label=_("Everyone"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("fit", _("Best fit first")), ("name", _("Name (A–Z)"))],
        method="keep",
        empty_label=None,
    )

    class Meta:
        model = Registration
        fields = ["q", "category", "city", "language", "interpreter", "shortlist"]

    def __init__(self, data=None, *, queryset, user, companies):
        """`companies`: whether the catalogue lists Korean companies (for a buyer) or buyers (for an SME)."""
        super().__init__(data, queryset=queryset)
        self.user = user
        self.companies = companies
        if companies:
            cities = City.objects.filter(pk__in=queryset.values("company__headquarters"))
        else:
            cities = City.objects.filter(pk__in=queryset.values("buyer__city"))
        self.filters["city"].field.queryset = cities.order_by("name_en")

    def search(self, queryset, name, value):
        if self.companies:
            return queryset.filter(
                Q(company__name_en__icontains=value) | Q(company__name_ko__icontains=value)
            )
        return queryset.filter(Q(buyer__name__icontains=value) | Q(buyer__name_local__icontains=value))

    def with_category(self, queryset, name, value):
        if self.companies:
            return queryset.filter(company__in=Company.objects.filter(solutions__categories=value))
        return queryset.filter(buyer__in=Demand.objects.open().filter(categories=value).values("buyer_id"))

    def in_city(self, queryset, name, value):
        return (
            queryset.filter(company__headquarters=value)
            if self.companies
            else queryset.filter(buyer__city=value)
        )

    def speaking(self, queryset, name, value):
        spoken = Q(languages=value)
        if self.companies:
            spoken |= Q(company__in=Company.objects.filter(support_languages=value))
        else:
            spoken |= Q(buyer__in=BuyerOrganisation.objects.filter(languages=value))
        return queryset.filter(pk__in=Registration.objects.filter(spoken).values("pk"))

    def needing_interpreter(self, queryset, name, value):
        return queryset.filter(needs_interpreter=value == "yes")

    def on_shortlist(self, queryset, name, value):
        return queryset.filter(pk__in=ShortlistEntry.objects.filter(user=self.user).values("registration_id"))

    def keep(self, queryset, name, value):
        return queryset


def _sort_key(card):
    return (card.fit is None, -(card.score or 0), str(card.organisation).casefold())


def catalogue(own, user, params=None):
    """(filter set, cards) of the other side's confirmed participants at `own`'s event, for `user`.

    Each card has its fit to `own`'s organisation, whether `user` shortlisted it, and the latest request
    and the booked meeting between the two registrations. Best fit first unless sorted by name."""
    others = Registration.objects.filter(
        event_id=own.event_id,
        status=Registration.Status.CONFIRMED,
        company__isnull=own.company_id is not None,
    )
    others = shown_abroad(others, company="company", buyer="buyer")  # withdrew the transfer abroad
    filterset = CatalogueFilter(params or None, queryset=others, user=user, companies=own.company_id is None)
    cards = cards_for(filterset.qs)
    me = own_participant(own)
    attach_fits(
        (card, card.registration, me) if card.is_company else (card, me, card.registration) for card in cards
    )
    mine, theirs = ("sme", "buyer") if own.company_id else ("buyer", "sme")
    latest_request = {}
    requests = MeetingRequest.objects.filter(event_id=own.event_id, **{mine: own}).select_related(
        "requested_by", "event__organising_centre"
    )
    for request in requests.order_by("created_at"):
        latest_request[getattr(request, f"{theirs}_id")] = request
    meetings = Meeting.objects.filter(slot__event_id=own.event_id, **{mine: own}).exclude(
        status=Meeting.Status.CANCELLED
    )
    booked = {
        getattr(meeting, f"{theirs}_id"): meeting for meeting in meetings.select_related("slot", "table")
    }
    shortlisted = set(
        ShortlistEntry.objects.filter(user=user, registration__event_id=own.event_id).values_list(
            "registration_id", flat=True
        )
    )
    for card in cards:
        pk = card.registration.pk
        card.request, card.meeting, card.shortlisted = (
            latest_request.get(pk),
            booked.get(pk),
            pk in shortlisted,
        )
    by_name = (
        filterset.is_bound and filterset.form.is_valid() and filterset.form.cleaned_data.get("sort") == "name"
    )
    cards.sort(key=(lambda card: str(card.organisation).casefold()) if by_name else _sort_key)
    return filterset, cards


@dataclass
class SuggestedPair:
    """A pair of an event's participants that staff may ask to meet: both cards and their fit."""

    sme: ParticipantCard
    buyer: ParticipantCard

    @property
    def fit(self):
        return self.sme.fit


def suggestions(event, limit=40):
    """Pairs of the event's confirmed Korean companies and buyers, best fit first, not yet requested or met.

    A pair's fit is the best match between the company's solutions and the buyer's open listings, so
    buyers without an open listing get no suggestion. Only the `limit` best are explained (reasons), in a
    fixed number of queries whatever the size of the event."""
    confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    cards = cards_for(confirmed)
    smes = [card for card in cards if card.is_company]
    buyers = [card for card in cards if not card.is_company]
    taken = set(
        MeetingRequest.objects.filter(event=event, status__in=OPEN_REQUEST).values_list("sme_id", "buyer_id")
    )
    taken |= set(
        Meeting.objects.filter(slot__event=event)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list("sme_id", "buyer_id")
    )
    index = match_index()
    scored = []
    for buyer in buyers:
        for sme in smes:
            if (sme.registration.pk, buyer.registration.pk) in taken:
                continue
            best = _best(
                index, sme.registration.company.solutions.all(), buyer.registration.buyer.open_listings
            )
            if best is not None:
                scored.append((best[0].score, sme, buyer))
    scored.sort(key=lambda item: (-item[0], item[1].registration.pk, item[2].registration.pk))
    # A card per pair: the same participant may be in several pairs, each with its own fit.
    pairs = [
        SuggestedPair(replace(sme, fit=None), replace(buyer, fit=None))
        for _score, sme, buyer in scored[:limit]
    ]
    attach_fits((pair.sme, pair.sme.registration, pair.buyer.registration) for pair in pairs)
    return pairs
