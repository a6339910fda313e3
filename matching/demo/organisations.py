"""The demo's organisations and logins: Korean companies with their solutions, buyers, demo users.

Companies and buyers with a demo login sign up through the accounts services; the others are saved as
pending the way the admin would add them. Profiles, solutions and references go through the companies'
forms and services, and an admin's review approves them. Staff and admin logins have no service (the
admin creates them), so they are created directly.
"""

from dataclasses import dataclass, field

from matching.companies.forms import CompanyProfileForm, ReferenceDeploymentFormSet, SolutionFormSet
from matching.companies.models import Company
from matching.companies.services import (
    company_profile_save,
    company_solutions_save,
    solution_references_save,
)
from matching.demands.models import BuyerOrganisation
from matching.demo.data import load, password
from matching.demo.reference import link
from matching.kernel.approvals import organisation_review
from matching.kernel.models import Role
from portal.accounts.models import Invitation, User
from portal.accounts.services import buyer_signup, invitation_send, sme_signup
from portal.common.localised import CONTENT_LANGUAGES
from portal.privacy.models import REQUIRED_KINDS

# Invitation e-mails link here; the demo holds its e-mails back, so this is never mailed.
DEMO_SITE = "http://127.0.0.1:8000"


def valid(form):
    """The form or formset, once it is valid; invalid demo data is a bug in the data files."""
    if not form.is_valid():
        whole = form.non_form_errors() if hasattr(form, "non_form_errors") else ""
        raise ValueError(f"Demo data refused by {type(form).__name__}: {whole} {form.errors}")
    return form


def formset_data(prefix, rows):
    """POST data of a formset whose forms are all new rows."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{name}": value for name, value in row.items()})
    return data


@dataclass
class People:
    """The organisations and logins seeded so far, by the names the data files use."""

    users: dict = field(default_factory=dict)  # username -> User
    companies: dict = field(default_factory=dict)  # key -> Company
    buyers: dict = field(default_factory=dict)  # name -> BuyerOrganisation
    staff: dict = field(default_factory=dict)  # trade centre code -> User

    def member(self, organisation):
        """The demo login acting for a company or buyer, or None."""
        attribute = "company_id" if isinstance(organisation, Company) else "buyer_organisation_id"
        return next(
            (user for user in self.users.values() if getattr(user, attribute) == organisation.pk), None
        )


def _account(row):
    return {name: row[name] for name in ("username", "email", "first_name", "last_name")} | {
        "password": password()
    }


def _login_for(role, organisation):
    return next(
        (
            row
            for row in load("users.json")["users"]
            if (row["role"], row["organisation"]) == (role, organisation)
        ),
        None,
    )


def _user_create(row, **organisation):
    """A login without a service of its own (admins and centre staff), or one whose organisation exists."""
    if row["role"] == Role.ADMIN:
        return User.objects.create_superuser(
            row["username"],
            row["email"],
            password(),
            first_name=row["first_name"],
            last_name=row["last_name"],
            time_zone=row["time_zone"],
        )
    user = User(
        **{name: row[name] for name in ("username", "email", "first_name", "last_name", "role", "time_zone")},
        **organisation,
    )
    user.set_password(password())
    user.full_clean(exclude=["password"])
    user.save()
    return user


def seed_staff(people, vocab):
    """The admin and centre staff logins, which the events and listings need first."""
    stored = {user.username: user for user in User.objects.filter(role__in=[Role.ADMIN, Role.CENTRE_STAFF])}
    for row in load("users.json")["users"]:
        if row["role"] not in (Role.ADMIN, Role.CENTRE_STAFF):
            continue
        user = stored.get(row["username"])
        if user is None:
            centre = {"trade_centre": vocab.centres[row["organisation"]]} if row["organisation"] else {}
            user = _user_create(row, **centre)
        people.users[user.username] = user
        if user.trade_centre_id:
            people.staff[row["organisation"]] = user


def _member(people, role, organisation, key):
    """The demo login of the organisation (signed up with it, or added now that the organisation exists)."""
    login = _login_for(role, key)
    if login is None:
        return
    user = User.objects.filter(username=login["username"]).first()
    if user is None:
        link_name = "company" if role == Role.SME_MEMBER else "buyer_organisation"
        user = _user_create(login, **{link_name: organisation})
    people.users[user.username] = user


def _signed_up(user, login):
    """Sign-up asks for no time zone; the demo login has one."""
    if user.time_zone != login["time_zone"]:
        User.objects.filter(pk=user.pk).update(time_zone=login["time_zone"])
        user.time_zone = login["time_zone"]
    return user


COMPANY_FIELDS = (
    "name_ko", "name_en", "website", "size", "founded_year", "description_ko", "description_en",
    "contact_name", "contact_email", "contact_phone",
)  # fmt: skip
COMPANY_TEXTS_IN_MORE_LANGUAGES = ("name_th", "name_tr", "description_th", "description_tr")


def _company_create(people, row, vocab):
    """A new company, pending review: signed up by its demo login if it has one, else added by an admin."""
    fields = {name: row[name] for name in COMPANY_FIELDS}
    fields["business_registration_number"] = row["business_registration_number"]
    fields["headquarters"] = vocab.cities[row["headquarters"]]
    login = _login_for(Role.SME_MEMBER, row["key"])
    if login is not None and not User.objects.filter(username=login["username"]).exists():
        user = _signed_up(
            sme_signup(account=_account(login), company_fields=fields, consents=REQUIRED_KINDS), login
        )
        people.users[user.username] = user
        company = user.company
    else:
        company = Company(**fields)
    profile = {name: row[name] for name in COMPANY_FIELDS}
    profile |= {name: row[name] for name in COMPANY_TEXTS_IN_MORE_LANGUAGES if name in row}
    profile |= {
        "headquarters": vocab.cities[row["headquarters"]].pk,
        "export_countries": [vocab.countries[code].pk for code in row["export_countries"]],
        "certifications": [vocab.certifications[code].pk for code in row["certifications"]],
        "support_languages": [vocab.languages[code].pk for code in row["support_languages"]],
    }
    return company_profile_save(form=valid(CompanyProfileForm(data=profile, instance=company)))


SOLUTION_TEXTS = [
    f"{text}_{code}" for text in ("name", "problem_solved", "description") for code in CONTENT_LANGUAGES
]


def _solutions_add(company, row, vocab):
    """The company's solutions and their reference deployments that are missing, through its formsets."""
    solutions = {solution.name_en: solution for solution in company.solutions.all()}
    missing = [seed for seed in row["solutions"] if seed["name_en"] not in solutions]
    if missing:
        fields = ("readiness", "price_band", *SOLUTION_TEXTS)
        rows = [
            {name: seed[name] for name in fields if name in seed}
            | {"categories": [vocab.categories[s].pk for s in seed["categories"]]}
            for seed in missing
        ]
        formset = SolutionFormSet(formset_data("solutions", rows), instance=company, prefix="solutions")
        company_solutions_save(company=company, formset=valid(formset))
        solutions = {solution.name_en: solution for solution in company.solutions.all()}
    for seed in row["solutions"]:
        solution = solutions[seed["name_en"]]
        have = set(solution.references.values_list("city_id", "year"))
        references = [
            ref | {"city": vocab.cities[ref["city"]].pk}
            for ref in seed["references"]
            if (vocab.cities[ref["city"]].pk, ref["year"]) not in have
        ]
        if references:
            formset = ReferenceDeploymentFormSet(
                formset_data("references", references), instance=solution, prefix="references"
            )
            solution_references_save(solution=solution, formset=valid(formset))


def seed_companies(people, vocab):
    stored = {company.business_registration_number: company for company in Company.objects.all()}
    for row in load("companies.json"):
        company = stored.get(row["business_registration_number"])
        created = company is None
        if created:
            company = _company_create(people, row, vocab)
        _member(people, Role.SME_MEMBER, company, row["key"])
        _solutions_add(company, row, vocab)
        if created and row["approved"]:
            organisation_review(organisation=company, approve=True)
        people.companies[row["key"]] = company


BUYER_FIELDS = ("name", "name_local", "kind", "website", "contact_email")


def seed_buyers(people, vocab):
    stored = {(buyer.city_id, buyer.name): buyer for buyer in BuyerOrganisation.objects.all()}
    rows = load("buyers.json")
    for row in rows:
        city = vocab.cities[row["city"]]
        buyer = stored.get((city.pk, row["name"]))
        created = buyer is None
        if created:
            fields = {name: row[name] for name in BUYER_FIELDS} | {"city": city}
            login = _login_for(Role.BUYER_MEMBER, row["name"])
            if login is not None and not User.objects.filter(username=login["username"]).exists():
                user = _signed_up(
                    buyer_signup(account=_account(login), buyer_fields=fields, consents=REQUIRED_KINDS), login
                )
                people.users[user.username] = user
                buyer = user.buyer_organisation
            else:
                buyer = BuyerOrganisation(**fields)
                # Its (city, name) was looked up above: only the fields' own rules are left to check.
                buyer.full_clean(validate_unique=False, validate_constraints=False)
                buyer.save()
        _member(people, Role.BUYER_MEMBER, buyer, row["name"])
        people.buyers[row["name"]] = buyer
        if created and row["approved"]:
            organisation_review(organisation=buyer, approve=True)
    # No service edits a buyer's languages (staff do it in the admin).
    link(
        BuyerOrganisation.languages,
        [(people.buyers[row["name"]], vocab.languages[code]) for row in rows for code in row["languages"]],
    )


def seed_invitations(people):
    """One open invitation, so the demo shows how a member brings in a colleague."""
    for row in load("users.json")["invitations"]:
        inviter = people.users[row["invited_by"]]
        if not Invitation.objects.filter(invited_by=inviter, email=row["email"]).exists():
            invitation_send(invited_by=inviter, email=row["email"], accept_url_base=DEMO_SITE)


def seed_organisations(vocab) -> People:
    people = People()
    seed_staff(people, vocab)
    seed_companies(people, vocab)
    seed_buyers(people, vocab)
    seed_invitations(people)
    return people
