"""A member's own settings (/accounts/settings/): the interface language (it wins over the cookie and the
browser's), the time zone of their agendas, and Buddhist-era years on Thai pages."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from portal.accounts.models import User
from portal.common import dates

pytestmark = pytest.mark.django_db

SETTINGS = "/accounts/settings/"


def test_a_member_chooses_korean_and_a_time_zone_and_the_next_page_is_in_korean(client, buyer):
    client.force_login(buyer)

    response = client.post(SETTINGS, {"language": "ko", "time_zone": "Asia/Bangkok", "buddhist_era": "on"})

    assert response.status_code == 302
    buyer.refresh_from_db()
    assert (buyer.language, buyer.time_zone, buyer.buddhist_era) == ("ko", "Asia/Bangkok", True)
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="ko">' in page
    with translation.override("ko"):
        assert translation.gettext("Your settings are saved.") in page  # in the language just chosen


def test_the_chosen_language_wins_over_the_cookie_and_the_browser(client, sme_owner):
    User.objects.filter(pk=sme_owner.pk).update(language="ko")
    client.force_login(sme_owner)
    client.cookies["django_language"] = "en"

    page = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="en-GB,en").content.decode()

    assert '<html lang="ko">' in page


def test_without_a_choice_the_browser_language_is_used(client, sme_owner):
    User.objects.filter(pk=sme_owner.pk).update(language="")
    client.force_login(sme_owner)

    page = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9").content.decode()

    assert '<html lang="ko">' in page


def test_the_language_switch_of_a_logged_in_member_is_saved_to_their_settings(client, sme_owner):
    User.objects.filter(pk=sme_owner.pk).update(language="ko")
    client.force_login(sme_owner)

    response = client.get("/language/en/?next=/accounts/")

    assert response.status_code == 302
    sme_owner.refresh_from_db()
    assert sme_owner.language == "en"
    assert '<html lang="en">' in client.get("/accounts/").content.decode()


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"language": "xx", "time_zone": "Asia/Seoul"}, "language", "Select a valid choice."),
        ({"language": "ko", "time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
        ({"language": "ko", "time_zone": "x" * 10_000}, "time_zone", "Select a valid choice."),
        ({"language": "ko"}, "time_zone", "This field is required."),
    ],
)
def test_bad_settings_are_refused_with_the_typed_values_kept(client, sme_owner, data, field, error):
    client.force_login(sme_owner)

    response = client.post(SETTINGS, data)

    assert response.status_code == 200
    assert error in response.context["form"].errors[field][0]
    sme_owner.refresh_from_db()
    assert (sme_owner.language, sme_owner.time_zone) == ("en", "Asia/Seoul")


def test_visitors_are_asked_to_log_in(client):
    response = client.get(SETTINGS)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _render(template, value):
    return Template(template).render(Context({"value": value}))


DAY = dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("language", "era", "template", "expected"),
    [
        ("th", True, "{{ value|date:'j/n/Y' }}", "6/12/2569"),
        ("th", True, "{{ value|date:'d.m.y' }}", "06.12.69"),
        ("th", True, r"{{ value|date:'\Y Y' }}", "Y 2569"),  # an escaped Y is a letter
        ("th", False, "{{ value|date:'j/n/Y' }}", "6/12/2026"),
        ("en", True, "{{ value|date:'j/n/Y' }}", "6/12/2026"),
        ("ko", True, "{{ value|date:'Y-m-d' }}", "2026-12-06"),
    ],
)
def test_years_are_in_the_buddhist_era_on_thai_pages_unless_turned_off(language, era, template, expected):
    token = dates.buddhist_era.set(era)
    try:
        with translation.override(language):
            assert _render(template, DAY) == expected
    finally:
        dates.buddhist_era.reset(token)


def test_a_named_format_on_a_thai_page_gets_the_buddhist_year():
    with translation.override("th"):
        rendered = _render("{{ value|date:'DATE_FORMAT' }}", DAY)
        gregorian = Template("{% load i18n %}{{ value|date:'DATE_FORMAT' }}")

    assert "2569" in rendered
    assert "2026" not in rendered
    assert gregorian  # the builtin replaced Django's filter for every template


def test_a_member_turns_buddhist_years_off(client, buyer):
    client.force_login(buyer)

    client.post(SETTINGS, {"language": "", "time_zone": "Asia/Bangkok"})

    buyer.refresh_from_db()
    assert buyer.buddhist_era is False  # an unticked box is "off"


def test_agendas_and_e_mails_write_buddhist_years_on_thai_text_too():
    from matching.consultations.booking.agendas import ZonedSpan

    span = ZonedSpan(dt.datetime(2026, 12, 6, 9, 30), dt.datetime(2026, 12, 6, 10), "Asia/Bangkok")
    with translation.override("th"):
        thai = span.date
    with translation.override("en"):
        english = span.date

    assert "2569" in thai and "2026" not in thai
    assert "2026" in english


def test_each_language_is_offered_in_its_own_name_marked_with_its_code(client, buyer):
    User.objects.filter(pk=buyer.pk).update(language="th")
    client.force_login(buyer)

    page = client.get(SETTINGS).content.decode()

    assert '<option value="en" lang="en">English</option>' in page
    assert '<option value="ko" lang="ko">한국어</option>' in page
    assert '<option value="tr" lang="tr">Türkçe</option>' in page
