import time

import pytest
from django.core.cache import cache
from django.db import OperationalError

from tests.conftest import ROLES
from tests.factories import NoticeFactory
from tsunagu.core.health import CHECKS, HEARTBEAT_KEY
from tsunagu.core.tasks import queue_heartbeat

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_the_health_endpoint_answers_everyone_200_when_database_queue_and_index_are_fine(client_as, role):
    NoticeFactory(title="観光プロモーション")
    queue_heartbeat.call_local()
    answer = client_as(role).get("/health/")
    assert answer.status_code == 200
    report = answer.json()
    assert report["ok"] and report["database"]["ok"] and report["queue"]["ok"] and report["search_index"]["ok"]
    assert answer["Cache-Control"].startswith("max-age=0")


def test_without_a_queue_worker_the_site_is_reported_unhealthy(client):
    cache.delete(HEARTBEAT_KEY)
    answer = client.get("/health/")
    assert answer.status_code == 503
    assert answer.json()["queue"]["ok"] is False and "run_huey" in answer.json()["queue"]["problem"]


def test_a_worker_silent_for_more_than_five_minutes_is_reported_stopped(client):
    cache.set(HEARTBEAT_KEY, time.time() - 301)
    assert client.get("/health/").json()["queue"]["problem"] == "the queue worker stopped"


def test_a_failing_database_is_reported_without_its_error_text(client, monkeypatch):
    queue_heartbeat.call_local()

    def broken():
        raise OperationalError("password=secret host=db.internal")

    monkeypatch.setitem(CHECKS, "database", broken)
    answer = client.get("/health/")
    assert answer.status_code == 503
    assert answer.json()["database"] == {"ok": False, "problem": "OperationalError"}
    assert b"secret" not in answer.content


@pytest.mark.parametrize("engine", ["tantivy", "database"])
def test_the_search_index_check_names_the_engine(client, settings, engine):
    settings.SEARCH_ENGINE = engine
    queue_heartbeat.call_local()
    assert client.get("/health/").json()["search_index"]["engine"] == engine


def test_the_health_endpoint_refuses_a_post(client):
    assert client.post("/health/").status_code == 405
