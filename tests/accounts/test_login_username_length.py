"""A login with a username longer than django-axes can store is refused like any wrong login.

Found by the fuzzing (tests/test_fuzzing.py): axes recorded the failure with the whole typed username in
its 255-character column, which PostgreSQL refused, so the login page answered 500. Needs
`AXES_USERNAME_CALLABLE = "portal.accounts.lockout.login_username"` in the settings.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from portal.common.security import login_username


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["x" * 300, "홍수" * 5000])
def test_a_login_with_a_username_too_long_to_record_is_refused_with_the_usual_message(client, username):
    response = client.post(reverse("login"), {"username": username, "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"][0].startswith("Please enter a correct username")
    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username == username[:255]
    assert AccessFailureLog.objects.get().username == username[:255]


def test_the_recorded_username_has_no_nul_byte_and_is_none_when_none_was_typed(rf):
    request = rf.post("/accounts/login/", {"username": "sme\x00owner"})

    assert login_username(request) == "smeowner"
    assert login_username(request, {"username": "buyer"}) == "buyer"
    assert login_username(rf.post("/accounts/login/", {})) is None
