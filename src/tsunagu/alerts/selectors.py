"""Reads of alerts for the pages, the feeds and the API."""

from django.db.models import Count, Max

from tsunagu.notices.models import Notice

from .models import AlertMatch, Follow, FollowAlert, SavedSearch


def saved_searches_of(user):
    return (SavedSearch.objects.visible_to(user).annotate(match_count=Count("matches"), last_match=Max("matches__matched_at"))
            .order_by("name", "pk"))


def recent_alerts(user, *, limit: int = 30) -> tuple[list[AlertMatch], list[FollowAlert]]:
    """The latest matches of a person's saved searches and changes of the notices they follow."""
    matches = list(AlertMatch.objects.filter(saved_search__user=user)
                   .select_related("saved_search", "notice__municipality__prefecture", "email_delivery")[:limit])
    changes = list(FollowAlert.objects.filter(follow__user=user)
                   .select_related("follow__notice__municipality__prefecture", "delivery")[:limit])
    return matches, changes


def followed_notices(user):
    """A person's followed notices with their status, deadlines first."""
    return (Follow.objects.visible_to(user).select_related("notice__municipality__prefecture")
            .order_by("notice__submission_deadline", "notice__application_deadline", "-pk"))


def saved_search_matches(saved_search: SavedSearch, *, limit: int = 50) -> list[AlertMatch]:
    return list(saved_search.matches.select_related("notice__municipality__prefecture").order_by("-matched_at", "-pk")[:limit])


def followed_for_calendar(user) -> list[Notice]:
    return [f.notice for f in Follow.objects.filter(user=user).select_related("notice__municipality__prefecture")]


def is_following(user, notice_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and Follow.objects.filter(user=user, notice_id=notice_id).exists()
