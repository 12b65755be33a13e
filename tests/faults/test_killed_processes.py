"""Kill a real process mid-way with SIGKILL (no clean-up runs) and look at what it left behind: nothing half-written.

Each test works on its own database outside the test database — a SQLite file, or a PostgreSQL database when the
suite runs on PostgreSQL — migrated by the real `tsunagu migrate`, and drives the real commands."""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.notices.test_import_notices import HEADER, row

BIN = Path(sys.executable).parent
ROWS = 12_000


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture
def own_database(tmp_path):
    """(environment for the commands, a function that runs SQL and returns the first column of the first row,
    a function that says whether an import is writing right now)."""
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var"), "DEBUG": "1", "TSUNAGU_TESTING": "0"}
    env.pop("PYTEST_CURRENT_TEST", None)
    pg = _postgres_url()
    if pg:
        import psycopg

        parts = urlsplit(pg)
        admin = dict(host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password)
        name = "tsunagu_fault_test"
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = parts._replace(path=f"/{name}").geturl()

        def scalar(sql: str):
            with psycopg.connect(dbname=name, **admin) as conn:
                return conn.execute(sql).fetchone()[0]

        def writing() -> bool:  # another backend holds a write lock on the notices table
            return bool(scalar("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                               "WHERE c.relname = 'notices_notice' AND l.mode = 'RowExclusiveLock'"))
    else:
        import sqlite3

        database = tmp_path / "var" / "fault.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{database}"

        def scalar(sql: str):
            with sqlite3.connect(database) as conn:
                return conn.execute(sql).fetchone()[0]

        def writing() -> bool:  # WAL mode: uncommitted pages pile up in the -wal file
            wal = database.with_name(database.name + "-wal")
            return wal.exists() and wal.stat().st_size > 2_000_000
    subprocess.run([str(BIN / "tsunagu"), "migrate", "--noinput", "-v0"], env=env, check=True)
    yield env, scalar, writing
    if pg:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _kill_when(process: subprocess.Popen, ready, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, "the process finished before it could be killed mid-way: make its work larger"
        assert time.monotonic() < deadline, "the process never started writing"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def test_an_import_killed_mid_way_leaves_no_row_and_a_rerun_imports_the_whole_file(own_database, tmp_path):
    env, scalar, writing = own_database
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for i in range(ROWS):
            out.writerow(row(**{"管理ID": f"K{i}", "案件名": f"子育て支援アプリ運用業務 {i}", "概要": "説明" * 50}))
    command = [str(BIN / "tsunagu"), "import_notices", str(path), "--batch-size", "500"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_when(process, writing)
    assert process.returncode == -signal.SIGKILL
    assert scalar("SELECT count(*) FROM notices_notice") == 0
    assert scalar("SELECT count(*) FROM notices_noticerevision") == 0
    assert scalar("SELECT count(*) FROM search_indexchange") == 0
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    assert scalar("SELECT count(*) FROM notices_notice") == ROWS
