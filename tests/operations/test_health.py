"""/healthz: database and storage, nothing else, no sign-in."""

from unittest import mock

import pytest
from django.core.files.storage import storages


@pytest.mark.django_db
def test_healthz_reports_database_and_storage_ok_without_sign_in(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_leaves_no_probe_file_behind(client):
    client.get("/healthz")

    assert storages["default"].listdir("healthz") == ([], [])


@pytest.mark.django_db
def test_healthz_says_fail_without_the_reason_when_the_database_is_down(client, caplog):
    with mock.patch(
        "cspportal.health.connection.cursor",
        side_effect=RuntimeError("could not connect to server at 10.0.0.5 password=hunter2"),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {"database": "fail", "storage": "ok"}}
    assert b"10.0.0.5" not in response.content
    assert b"hunter2" not in response.content
    assert "Health check: the database is unreachable." in caplog.text


@pytest.mark.django_db
def test_healthz_says_fail_when_storage_cannot_be_written(client):
    with mock.patch.object(
        type(storages["default"]), "save", side_effect=OSError("disk full on /srv/media")
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {"database": "ok", "storage": "fail"}}
    assert b"/srv/media" not in response.content


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
