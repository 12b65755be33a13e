import os
from pathlib import Path

import pytest

# A git worktree elsewhere points at the folder with TSUNAGU_SHARED_DATA.
SHARED_DATA = Path(os.environ.get("TSUNAGU_SHARED_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data")


@pytest.fixture
def shared_data() -> Path:
    """The reference data folder beside the project (../shared/data); skip where a clone has none."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data folder {SHARED_DATA} is absent (only present beside the main checkout)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache holds API rate-limit counts: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _search_index_dir(settings, tmp_path):
    """Each test gets its own embedded search index: the database rolls back after a test, the index would not."""
    from tsunagu.search import engine

    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    yield
    engine.release_indexes()


@pytest.fixture(params=["tantivy", "database"])
def search_engine(request, settings) -> str:
    """Run a test with each search engine: the embedded index and the database's own (FTS5 or tsvector)."""
    settings.SEARCH_ENGINE = request.param
    return request.param


def is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def pytest_report_header(config):
    return f"DATABASE_URL={os.environ.get('DATABASE_URL', '(default SQLite)')}"


def _postgres_unreachable() -> str | None:
    """When the suite is pointed at PostgreSQL, say why the server can't be reached (None when it can)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password,
                        dbname="postgres", connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        return f"PostgreSQL at {parts.hostname}:{parts.port or 5432} does not answer ({str(exc).strip()[:120]})"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _postgres_unreachable()
    if reason is None:
        return
    if os.environ.get("TSUNAGU_REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError(f"{reason}; CI requires it (TSUNAGU_REQUIRE_POSTGRES=1)")
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "django_db" in item.keywords or any(f in getattr(item, "fixturenames", ()) for f in ("db", "client", "make_user")):
            item.add_marker(skip)


ROLES = ("owner", "coordinator", "worker", "outsider", "anonymous")


@pytest.fixture
def make_user(db):
    from tests.factories import UserFactory
    from tsunagu.accounts.models import User

    def make(role: str):
        if role == "anonymous":
            return None
        platform_role = {"owner": User.Role.OWNER, "coordinator": User.Role.COORDINATOR,
                         "worker": User.Role.WORKER, "outsider": User.Role.MEMBER}[role]
        return UserFactory(role=platform_role)

    return make


@pytest.fixture
def client_as(client, make_user):
    """A test client signed in with the given role of the matrix (anonymous: not signed in)."""

    def as_role(role: str):
        user = make_user(role)
        if user is not None:
            client.force_login(user)
        return client

    return as_role


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator")


@pytest.fixture
def write_csv(tmp_path):
    """Write rows (a list of lists; the first is the header) as a CSV file in the given encoding."""
    import csv

    def write(rows, name: str = "data.csv", encoding: str = "utf-8"):
        path = tmp_path / name
        with path.open("w", encoding=encoding, newline="") as f:
            csv.writer(f).writerows(rows)
        return path

    return write


from tests.cast import cast  # noqa: E402,F401  the work-sharing cast: an NPO, its coordinator, an owner, a team
from tests.servers import slack_server, smtp_server  # noqa: E402,F401  real SMTP and a Slack stand-in on loopback
