"""Fuzzing targets of accounts, companies and demand listings, each drawing one submission of its form;
the Submission and Target records they return."""

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import strategies as st

from matching.companies.models import Solution
from matching.demands.models import BuyerOrganisation, Demand
from matching.kernel.models import ApprovalStatus, BudgetBand
from tests import factories
from tests import fuzzing as fz
from tests.fuzz_world import STRONG_PASSWORD, _pdf, _png, _values

# ---------------------------------------------------------------- targets


@dataclass
class Submission:
    url: str
    fields: dict  # name -> fz.Field; drawn into `data` by the runner
    method: str = "post"
    # On success: [(page URL or response, [names of the submitted fields it shows])], or a callable
    # (response, data) -> that list.
    display: object = ()
    client: Client | None = None  # the client that sent it (set by the runner): it reads the pages too


@dataclass(frozen=True)
class Target:
    name: str
    role: str | None  # the world's user who submits, None for a visitor
    budget: int  # generated inputs per run
    build: object  # (world, draw, client) -> Submission
    covers: tuple = ()  # the form and filter classes it drives
    stores: bool = True  # some valid submissions must succeed (a redirect) and store data

    def __str__(self):
        return self.name


def _language(client):
    """The language the client's requests ask for ('en' or 'ko'): localised names follow it."""
    return client.defaults["HTTP_ACCEPT_LANGUAGE"]


def _ids(pks):
    return [str(pk) for pk in pks]


def _with_blank(values):
    return [*values, ""]


def _text_fields(fields):
    return [name for name, f in fields.items() if isinstance(f, fz.Text)]


def login_target(world, draw, client):
    fields = {
        "username": fz.Const("sme_owner", "buyer"),
        "password": fz.Const(factories.PASSWORD),
        "next": fz.Const("/accounts/", "/companies/?q=홍수"),
    }
    return Submission(reverse("login"), fields)


def signup_target(world, draw, client):
    kind = draw(st.sampled_from(["sme", "buyer"]))
    brn = factories.valid_brn(draw(st.integers(900_000, 999_999)))
    fields = {
        "account-kind": fz.Choice([kind]),
        "account-first_name": fz.Text(150),
        "account-last_name": fz.Text(150),
        "account-email": fz.Email(),
        "account-username": fz.Const("new-member", "김민수", "İpek.ış"),
        "account-password1": fz.Const(STRONG_PASSWORD),
        "account-password2": fz.Const(STRONG_PASSWORD),
        "company-name_ko": fz.Text(200),
        "company-name_en": fz.Text(200),
        "company-business_registration_number": fz.Const(brn, f"{brn[:3]}-{brn[3:5]}-{brn[5:]}"),
        "company-website": fz.URL(),
        "buyer-name": fz.Text(200),
        "buyer-name_local": fz.Text(200, required=False),
        "buyer-kind": fz.Choice(BuyerOrganisation.Kind.values),
        "buyer-city": fz.Choice(_ids(world.thai_cities)),
        "buyer-website": fz.URL(),
        "consent-processing": fz.Const("on"),
        "consent-transfer": fz.Const("on"),
        "consent-law": fz.Const("pipa" if kind == "sme" else "pdpa"),  # the Thai cities' notices
    }
    shown = [f"company-name_{_language(client)}"] if kind == "sme" else ["buyer-name"]
    shown += ["account-first_name", "account-last_name"]
    return Submission(reverse("accounts:signup"), fields, display=[(reverse("member_home"), shown)])


def invite_target(world, draw, client):
    return Submission(reverse("accounts:invite"), {"email": fz.Email()})


def invitation_accept_target(world, draw, client):
    invitation = factories.InvitationFactory(invited_by=world.users["sme_owner"])
    fields = {
        "first_name": fz.Text(150, required=False),
        "last_name": fz.Text(150, required=False),
        "email": fz.Email(),
        "username": fz.Const("colleague", "홍길동", "ığdır-ş"),
        "password1": fz.Const(STRONG_PASSWORD),
        "password2": fz.Const(STRONG_PASSWORD),
        "consent-processing": fz.Const("on"),
        "consent-transfer": fz.Const("on"),
        "consent-law": fz.Const("pipa"),
    }
    url = reverse("accounts:invitation_accept", args=[invitation.token])
    return Submission(url, fields, display=[(reverse("member_home"), ["first_name", "last_name"])])


def review_reject_target(world, draw, client):
    """Staff reject a pending Thai buyer; its member reads the reason on their organisation page."""
    pending = factories.BuyerOrganisationFactory(
        name="Udon Thani", city_id=world.thai_cities[1], approval_status=ApprovalStatus.PENDING
    )
    member = factories.BuyerMemberFactory(username="udon", buyer_organisation=pending)

    def display(response, data):
        reader = Client()
        reader.force_login(member)
        return [(reader.get(reverse("member_home")), ["reason"])]

    url = reverse("accounts:review_decide", args=["buyer", pending.pk, "reject"])
    return Submission(url, {"reason": fz.Text(2000)}, display=display)


def password_change_target(world, draw, client):
    fields = {
        "old_password": fz.Const(factories.PASSWORD),
        "new_password1": fz.Const(STRONG_PASSWORD),
        "new_password2": fz.Const(STRONG_PASSWORD),
    }
    return Submission(reverse("accounts:password_change"), fields)


def password_reset_target(world, draw, client):
    fields = {"email": fz.Const("sme_owner@example.com", "nobody@example.com")}
    return Submission(reverse("accounts:password_reset"), fields)


def password_reset_confirm_target(world, draw, client):
    # As stored: logging in (other examples, rolled back) changed last_login, which the token signs.
    user = type(world.users["sme_owner"]).objects.get(pk=world.users["sme_owner"].pk)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    set_password_url = client.get(link)["Location"]  # the token moves into the session
    fields = {"new_password1": fz.Const(STRONG_PASSWORD), "new_password2": fz.Const(STRONG_PASSWORD)}
    return Submission(set_password_url, fields)


def set_language_target(world, draw, client):
    fields = {"language": fz.Choice(["ko", "en"]), "next": fz.Const("/", "/companies/?q=İstanbul")}
    return Submission(reverse("set_language"), fields)


def company_edit_target(world, draw, client):
    company = world.company
    fields = {
        "name_ko": fz.Text(200),
        "name_en": fz.Text(200),
        "website": fz.URL(),
        "size": fz.Choice(["startup", "small", "medium", "mid"]),
        "founded_year": fz.Int(1900, 2100),
        "headquarters": fz.Choice(_with_blank([str(world.seoul.pk)])),
        "description_ko": fz.Text(5000, required=False),
        "description_en": fz.Text(5000, required=False),
        "export_countries": fz.Many(_ids([world.thailand.pk])),
        "certifications": fz.Many(_ids(c.pk for c in world.certifications)),
        "support_languages": fz.Many(_ids(world.languages)),
        "contact_name": fz.Text(100, required=False),
        "contact_email": fz.Email(),
        "contact_phone": fz.Text(40, required=False),
        "logo": fz.Upload("logo.png", _png()),
        "brochure": fz.Upload("brochure.pdf", _pdf()),
    }
    detail = reverse("companies:detail", args=[company.pk])
    edit = reverse("companies:edit", args=[company.pk])
    return Submission(
        edit,
        fields,
        display=[
            (
                detail,
                [
                    "name_en",
                    "name_ko",
                    f"description_{_language(client)}",
                    "contact_name",
                    "contact_phone",
                    "website",
                ],
            ),
            (edit, _text_fields(fields) + ["website"]),
        ],
    )


def _formset(prefix, initial_ids, extra, form_fields):
    """An inline formset's fields: its management form, a form per existing row and `extra` new ones."""
    total = len(initial_ids) + extra
    fields = {
        f"{prefix}-TOTAL_FORMS": fz.Const(str(total)),
        f"{prefix}-INITIAL_FORMS": fz.Const(str(len(initial_ids))),
        f"{prefix}-MIN_NUM_FORMS": fz.Const("0"),
        f"{prefix}-MAX_NUM_FORMS": fz.Const("1000"),
    }
    for index in range(total):
        if index < len(initial_ids):
            fields[f"{prefix}-{index}-id"] = fz.Const(str(initial_ids[index]))
            fields[f"{prefix}-{index}-DELETE"] = fz.Const("", "", "on")
        for name, form_field in form_fields.items():
            fields[f"{prefix}-{index}-{name}"] = form_field
    return fields


def solutions_target(world, draw, client):
    company = world.company
    form_fields = {
        "name_ko": fz.Text(200),
        "name_en": fz.Text(200),
        "categories": fz.Many(_ids(c.pk for c in world.categories), required=True),
        "problem_solved_en": fz.Text(5000),
        "description_en": fz.Text(5000, required=False),
        "readiness": fz.Choice(Solution.Readiness.values),
        "price_band": fz.Choice(_with_blank(BudgetBand.values)),
    }
    fields = _formset("solutions", [world.solution.pk], draw(st.integers(0, 2)), form_fields)
    edit = reverse("companies:solutions", args=[company.pk])

    def display(response, data):
        texts = _kept_texts(fields, data)
        shown_names = (f"name_{_language(client)}", "problem_solved_en", "-description_en")
        shown = [name for name in texts if name.endswith(shown_names)]
        return [(reverse("companies:detail", args=[company.pk]), shown), (edit, texts)]

    return Submission(edit, fields, display=display)


def references_target(world, draw, client):
    company, solution = world.company, world.solution
    form_fields = {
        "city": fz.Choice(_ids(world.thai_cities)),
        "year": fz.Int(1990, 2100),
        "client": fz.Text(200, required=False),
        "result": fz.Text(300, required=False),
    }
    initial = list(solution.references.values_list("pk", flat=True))
    fields = _formset("references", initial, draw(st.integers(0, 2)), form_fields)
    edit = reverse("companies:references", args=[company.pk, solution.pk])

    def display(response, data):
        texts = _kept_texts(fields, data)
        return [(reverse("companies:detail", args=[company.pk]), texts), (edit, texts)]

    return Submission(edit, fields, display=display)


def _kept_texts(fields, data):
    """The text fields of a formset's forms that were saved, not deleted."""
    kept = _values(data)
    deleted = {name.rsplit("-", 1)[0] for name, value in kept.items() if name.endswith("-DELETE") and value}
    return [
        name for name, f in fields.items() if isinstance(f, fz.Text) and name.rsplit("-", 1)[0] not in deleted
    ]


def _demand_fields(world, with_buyer):
    fields = {
        "title_en": fz.Text(200),
        "city": fz.Choice(_ids(world.thai_cities)),
        "problem_en": fz.Text(5000),
        "categories": fz.Many(_ids(c.pk for c in world.categories), required=True),
        "required_certifications": fz.Many(_ids(c.pk for c in world.certifications)),
        "budget_band": fz.Choice(_with_blank(BudgetBand.values)),
        "timeline": fz.Choice(_with_blank(Demand.Timeline.values)),
        "procurement_type": fz.Choice(Demand.ProcurementType.values),
        "deadline": fz.Date(),
    }
    if with_buyer:
        fields["buyer"] = fz.Choice(_ids(world.thai_buyers))
    return fields


def _demand_display(response, data):
    detail = response["Location"]
    edit = detail.rstrip("/") + "/edit/"
    return [(detail, ["title_en", "problem_en"]), (edit, ["title_en", "problem_en"])]


def demand_create_target(world, draw, client):
    fields = _demand_fields(world, with_buyer=False)
    return Submission(reverse("demands:create"), fields, display=_demand_display)


def demand_edit_target(world, draw, client):
    fields = _demand_fields(world, with_buyer=True)
    url = reverse("demands:edit", args=[world.draft_demand.pk])
    return Submission(url, fields, display=_demand_display)
