"""The health check: 200 while every dependency answers, 503 with Retry-After naming the one that does not."""

import logging
from unittest import mock

import pytest
import redis
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_storage_and_cache_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "up", "storage": "up", "cache": "up"}


@pytest.mark.django_db
def test_healthz_leaves_no_file_behind_in_the_upload_storage(client):
    from django.core.files.storage import default_storage

    client.get("/healthz")

    assert default_storage.listdir("healthz") == ([], [])


def assert_unavailable(response, *down):
    """A 503 with Retry-After that names `down` as down and every other dependency up."""
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    parts = {name: "down" if name in down else "up" for name in ("database", "storage", "cache")}
    assert response.json() == {"status": "unavailable", **parts, "down": list(down)}


def test_healthz_names_the_database_when_it_cannot_connect(client, caplog):
    failing = mock.MagicMock()
    failing.cursor.side_effect = OperationalError("could not connect to server")

    with mock.patch("portal.views.connection", failing), caplog.at_level(logging.WARNING, "portal.views"):
        response = client.get("/healthz")

    assert_unavailable(response, "database")
    assert [r.getMessage() for r in caplog.records if r.name == "portal.views"] == [
        "Health check: database unavailable: could not connect to server"
    ]


def test_healthz_names_the_database_when_the_query_fails(client):
    failing = mock.MagicMock()
    failing.cursor.return_value.__enter__.return_value.execute.side_effect = OperationalError("server closed")

    with mock.patch("portal.views.connection", failing):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


@pytest.mark.django_db
def test_healthz_names_the_upload_storage_when_it_cannot_be_written(client, caplog):
    with (
        mock.patch("portal.views.default_storage.save", side_effect=PermissionError("read-only file system")),
        caplog.at_level(logging.WARNING, "portal.views"),
    ):
        response = client.get("/healthz")

    assert_unavailable(response, "storage")
    assert "Health check: upload storage unavailable: read-only file system" in caplog.messages


def test_healthz_names_both_when_both_are_down(client):
    failing = mock.MagicMock()
    failing.cursor.side_effect = OperationalError("could not connect to server")

    with (
        mock.patch("portal.views.connection", failing),
        mock.patch("portal.views.default_storage.save", side_effect=OSError("no space left on device")),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["database", "storage"]


@pytest.mark.django_db
def test_healthz_names_the_cache_when_redis_cannot_be_reached(client, caplog):
    refused = redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with (
        mock.patch("portal.views.cache.set", side_effect=refused),
        caplog.at_level(logging.WARNING, "portal.views"),
    ):
        response = client.get("/healthz")

    assert_unavailable(response, "cache")
    assert [r.getMessage() for r in caplog.records if r.name == "portal.views"] == [
        "Health check: cache unavailable: Error 111 connecting to 127.0.0.1:6379. Connection refused."
    ]
