"""Accounts' tests: each request commits as it does in production, so the e-mails it enqueues go out."""

import pytest
from django.test import Client, TestCase


class CommittingClient(Client):
    """Runs what a request left for after its commit (e-mails on the task queue) when the request ends.

    In production every request commits before its answer; in a test the surrounding transaction never
    does, so without this nothing enqueued after the commit would run.
    """

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return CommittingClient()
