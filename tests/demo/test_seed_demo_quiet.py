"""`manage.py seed_demo` writes 2022's history through the services without mailing anybody about it."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_seed_demo_sends_no_e_mail_once_committed(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())

    assert mailoutbox == []
