"""Small builders for the alerts tests."""

import datetime

from tests.factories import NoticeFactory, UserFactory
from tsunagu.alerts import services
from tsunagu.alerts.models import NoticeChange


def searcher(**kwargs):
    return UserFactory(email=kwargs.pop("email", None) or f"searcher{UserFactory._meta.model.objects.count()}@example.jp", **kwargs)


def saved(user, query_string: str, *, name: str = "観光の公募", frequency: str = "instant", **kwargs):
    return services.saved_search_create(user=user, name=name, query_string=query_string, frequency=frequency, **kwargs)


def notice(**kwargs):
    """A notice stored now (after the saved searches of the test), deadline in a month unless given."""
    kwargs.setdefault("published_on", datetime.date(2026, 6, 1))
    kwargs.setdefault("submission_deadline", datetime.date(2026, 7, 1))
    return NoticeFactory(**kwargs)


def pending_changes() -> int:
    return NoticeChange.objects.count()
