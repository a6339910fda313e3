"""The demo's demand listings, written, published and closed through the demands services.

A listing is written by its buyer's demo login if it has one, else by the staff of the trade centre
that covers the buyer's country. Publishing stamps today; the demo's listings were published in 2022,
so the dates from the data file are put back afterwards (no service backdates a listing).
"""

import datetime as dt

from matching.demands.forms import DemandForm
from matching.demands.models import Demand
from matching.demands.services import demand_close, demand_publish, demand_save
from matching.demo.data import load
from matching.demo.organisations import valid

# Listings were drafted before the first one was published.
DRAFTED = dt.datetime(2022, 5, 20, 2, 0, tzinfo=dt.UTC)
PUBLISHED_AT = dt.time(2, 0)


def _author(people, buyer, vocab):
    member = people.member(buyer)
    if member is not None:
        return member
    country = buyer.city.country_id
    return next(
        user
        for code, user in people.staff.items()
        if country in {c.pk for c in vocab.centres[code].countries.all()}
    )


def _deadline(row):
    """The data file's deadline; an open listing's is moved on by whole years until it is not past, since
    a listing is open only while it takes proposals (the directory hides, the daily job closes, the rest)."""
    if not row["deadline"] or row["status"] == Demand.Status.CLOSED:
        return ""  # a closed listing's past deadline is put back after it is closed (see seed_demands)
    day, today = dt.date.fromisoformat(row["deadline"]), dt.date.today()
    if row["status"] == Demand.Status.OPEN and day < today:
        years = today.year - day.year + (day.replace(year=today.year) < today)
        day = day.replace(year=day.year + years)
    return day.isoformat()


def _form_data(row, buyer, author, vocab):
    data = {
        "title_en": row["title"],
        "problem_en": row["problem"],
        "city": buyer.city_id,
        "categories": [vocab.categories[slug].pk for slug in row["categories"]],
        "required_certifications": [vocab.certifications[code].pk for code in row["required_certifications"]],
        "budget_band": row["budget_band"],
        "timeline": row["timeline"],
        "procurement_type": row["procurement_type"],
        "deadline": _deadline(row),
    }
    for code, text in row.get("in_other_languages", {}).items():
        data[f"title_{code}"], data[f"problem_{code}"] = text["title"], text["problem"]
    if author.buyer_organisation_id is None:
        data["buyer"] = buyer.pk
    return data


def seed_demands(people, vocab):
    stored = set(Demand.objects.values_list("buyer_id", "title_en"))
    for row in load("demands.json"):
        buyer = people.buyers[row["buyer"]]
        if (buyer.pk, row["title"]) in stored:
            continue
        author = _author(people, buyer, vocab)
        form = DemandForm(data=_form_data(row, buyer, author, vocab), user=author)
        demand = demand_save(form=valid(form), user=author)
        if row["status"] != Demand.Status.DRAFT:
            demand_publish(demand=demand)
        if row["status"] == Demand.Status.CLOSED:
            demand_close(demand=demand)
        published = row["published_on"] and dt.datetime.combine(
            dt.date.fromisoformat(row["published_on"]), PUBLISHED_AT, tzinfo=dt.UTC
        )
        backdated = {"created_at": DRAFTED, "published_at": published or None}
        if row["status"] == Demand.Status.CLOSED:
            backdated["deadline"] = row["deadline"] or None
        Demand.objects.filter(pk=demand.pk).update(**backdated)
