"""E-mails go out in the recipient's language, not the sender's: the language they chose, else their
organisation's (Korean companies and KOTRA staff Korean, a buyer its country's), else English."""

import re

import pytest
from django.core import mail
from django.utils import translation

from matching.kernel.approvals import organisation_review
from matching.kernel.models import ApprovalStatus
from portal.common.notifications import language_of
from tests import factories
from tests.consultations.conftest import roadshow  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

REVIEW_SUBJECT = "Your organisation on the K-Smart City export portal: %(status)s"


def _country_buyer(iso_code, name, city):
    country = factories.CountryFactory(iso_code=iso_code, name_en=name, name_ko=name)
    return factories.BuyerOrganisationFactory(
        name=f"{city} City",
        city=factories.CityFactory(country=country, name_en=city, name_ko=city),
        approval_status=ApprovalStatus.PENDING,
    )


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ({"language": "tr"}, "tr"),  # chosen
        ({"language": "", "role": "sme"}, "ko"),
        ({"language": "", "role": "staff"}, "ko"),
        ({"language": "", "role": "admin"}, "en"),
        ({"language": "", "role": "buyer", "country": ("TH", "Thailand", "Khon Kaen")}, "th"),
        ({"language": "", "role": "buyer", "country": ("TR", "Türkiye", "Gaziantep")}, "tr"),
        ({"language": "", "role": "buyer", "country": ("VN", "Vietnam", "Hanoi")}, "en"),
        ({"language": "de", "role": "sme"}, "ko"),  # a language the portal does not offer
    ],
)
def test_the_language_of_a_recipient(member, expected):
    role = member.get("role", "sme")
    if role == "buyer":
        user = factories.BuyerMemberFactory(buyer_organisation=_country_buyer(*member["country"]))
    else:
        user = {
            "sme": factories.SmeMemberFactory,
            "staff": factories.CentreStaffFactory,
            "admin": factories.AdminFactory,
        }[role]()
    user.language = member["language"]

    assert language_of(user) == expected


def _subject_in(language, status_label):
    with translation.override(language):
        return translation.gettext(REVIEW_SUBJECT) % {"status": translation.gettext(status_label)}


def test_each_member_reads_the_review_decision_in_their_language(django_capture_on_commit_callbacks):
    buyer = _country_buyer("TH", "Thailand", "Udon Thani")
    factories.BuyerMemberFactory(buyer_organisation=buyer, email="somchai@udon.example", language="")
    factories.BuyerMemberFactory(buyer_organisation=buyer, email="ayse@udon.example", language="tr")
    factories.BuyerMemberFactory(buyer_organisation=buyer, email="nok@udon.example", language="")

    with translation.override("ko"), django_capture_on_commit_callbacks(execute=True):  # a Korean reviewer
        organisation_review(organisation=buyer, approve=True)

    sent = sorted((message.subject, tuple(message.to)) for message in mail.outbox)
    assert sent == sorted(
        [
            (_subject_in("th", "Approved"), ("somchai@udon.example", "nok@udon.example")),
            (_subject_in("tr", "Approved"), ("ayse@udon.example",)),
        ]
    )
    assert _subject_in("th", "Approved") != REVIEW_SUBJECT % {"status": "Approved"}  # really Thai
    assert "อนุมัติ" in _subject_in("th", "Approved") or "ได้รับการอนุมัติ" in _subject_in("th", "Approved")


def test_a_password_reset_reaches_a_turkish_buyer_in_turkish(client, django_capture_on_commit_callbacks):
    buyer = _country_buyer("TR", "Türkiye", "Bursa")
    factories.BuyerMemberFactory(buyer_organisation=buyer, email="mehmet@bursa.example", language="")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "mehmet@bursa.example"}, HTTP_ACCEPT_LANGUAGE="en")

    (message,) = mail.outbox
    msgid = (
        "Hello %(user)s,\n\nSomeone asked to reset the password of your account on the K-Smart City export "
        "portal. If it was you, choose a new password here:"
    )
    with translation.override("tr"):
        turkish = translation.gettext(msgid)
    assert message.to == ["mehmet@bursa.example"]
    assert turkish != msgid
    assert message.body.startswith(turkish.split("%(user)s")[0])
    assert turkish.split("%(user)s")[1][:40] in message.body


def test_a_booking_reaches_each_side_in_its_language_with_its_calendar(
    roadshow, sme_owner, buyer, django_capture_on_commit_callbacks
):
    """The Bangkok roadshow (tests/consultations/conftest.py): the Korean company's member and the Thai
    buyer's member chose no language, the interpreter has no account."""
    from portal.accounts.models import User
    from tests.consultations.conftest import book, by_recipient, calendar_of

    User.objects.filter(pk__in=[sme_owner.pk, buyer.pk]).update(language="")

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):  # English staff
        book(roadshow, interpreter=roadshow.soyeon)

    messages = by_recipient()
    subjects = {address: message.subject for address, message in messages.items()}
    template = "Meeting booked at %(event)s: %(sme)s and %(buyer)s, %(date)s"
    for address, language in [("sme_owner@example.com", "ko"), ("buyer@example.com", "th")]:
        with translation.override(language):
            words = max(re.split(r"%\(\w+\)s", translation.gettext(template)), key=len).strip()
        assert words and words not in template, language  # translated
        assert words in subjects[address], (address, subjects[address])
    assert subjects["soyeon@interpret.example"].startswith("Meeting booked at")  # the default: English
    _calendar, vevent = calendar_of(messages["buyer@example.com"])
    with translation.override("th"):
        thai_table = translation.gettext("Table %(table)s, %(venue)s, %(city)s").split("%(")[0]
    assert thai_table.strip() and not thai_table.startswith("Table")
    assert str(vevent["LOCATION"]).startswith(thai_table)  # the .ics in Thai too
