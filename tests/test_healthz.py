"""The health check: 200 while the database answers, 503 with Retry-After when it does not."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "up"}


def test_healthz_reports_unavailable_with_retry_after_when_the_database_fails(client, caplog):
    failing = mock.MagicMock()
    failing.cursor.side_effect = OperationalError("could not connect to server")

    with mock.patch("portal.views.connection", failing), caplog.at_level(logging.WARNING, "portal.views"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json() == {"status": "unavailable", "database": "down"}
    assert [r.getMessage() for r in caplog.records if r.name == "portal.views"] == [
        "Health check: database unavailable: could not connect to server"
    ]


def test_healthz_reports_unavailable_when_the_query_fails(client):
    failing = mock.MagicMock()
    failing.cursor.return_value.__enter__.return_value.execute.side_effect = OperationalError("server closed")

    with mock.patch("portal.views.connection", failing):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}
