"""The real queue: a `tsunagu run_huey` process (not the in-memory queue of the other tests) sends what is due, and
after it is stopped and started again nothing is sent twice. PostgreSQL only: the worker is another process and
needs the test database on a server."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import UserFactory
from tsunagu.comms.models import Delivery, Notification

BIN = Path(sys.executable).parent


def _env(tmp_path, smtp_port: int) -> dict:
    db = connection.settings_dict
    return {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "VAR_DIR": str(tmp_path), "SECRET_KEY": "worker-test-secret", "DEBUG": "1", "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port), "REDIS_URL": "", "TSUNAGU_TESTING": ""}


def _enqueue(env) -> None:
    subprocess.run([str(BIN / "tsunagu"), "shell", "-c",
                    "from tsunagu.comms.tasks import deliveries_send_task; deliveries_send_task()"],
                   env=env, check=True, capture_output=True, timeout=60)


def _wait(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_process_delivers_once_even_across_a_restart(tmp_path, smtp_server, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker is another process: it needs the test database on a server")
    person = UserFactory(email="misaki@example.jp")
    notification = Notification.objects.create(user=person, subject="新しい作業要素があります")
    Delivery.objects.create(notification=notification, channel="email", deliver_after=notification.created_at)
    env = _env(tmp_path, settings.EMAIL_PORT)
    worker = subprocess.Popen([str(BIN / "tsunagu"), "run_huey", "--workers", "1"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _enqueue(env)
        assert _wait(lambda: Delivery.objects.get().status == "sent"), "the worker did not deliver"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    worker = subprocess.Popen([str(BIN / "tsunagu"), "run_huey", "--workers", "1"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _enqueue(env)  # a second round after the restart finds nothing due
        time.sleep(3)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert len(smtp_server) == 1 and smtp_server[0]["to"] == ["misaki@example.jp"]
