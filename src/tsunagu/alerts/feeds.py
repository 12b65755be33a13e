"""Feeds: Atom for any search (public, like the search), Atom per saved search and an iCalendar of followed
deadlines (private: read with the person's revocable feed token, no login)."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from icalendar import Calendar

from tsunagu.notices.calendar import add_notice_deadlines
from tsunagu.notices.models import Notice
from tsunagu.search.selectors import notice_search

from .criteria import criteria_of, describe
from .access import access_feed_user, access_saved_search
from .models import SavedSearch
from .selectors import followed_for_calendar, saved_search_matches

FEED_SIZE = 50


def _describe_notice(notice: Notice) -> str:
    deadline = notice.last_deadline.isoformat() if notice.last_deadline else _("なし")
    return _("%(place)s／%(kind)s／締切 %(deadline)s") % {
        "place": notice.municipality.full_name, "kind": notice.get_kind_display(), "deadline": deadline}


class _NoticeFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, notice: Notice) -> str:
        return notice.title

    def item_description(self, notice: Notice) -> str:
        return _describe_notice(notice)

    def item_link(self, notice: Notice) -> str:
        return notice.get_absolute_url()

    def item_pubdate(self, notice: Notice) -> datetime.datetime:
        return notice.created_at

    def item_updateddate(self, notice: Notice) -> datetime.datetime:
        return notice.updated_at


class SearchFeed(_NoticeFeed):
    """The newest notices of any search page URL: the same query string, the same results."""

    def get_object(self, request: HttpRequest) -> str:
        return request.GET.urlencode()

    def title(self, query_string: str) -> str:
        return _("つなぐ：%(what)s") % {"what": describe(query_string)}

    def link(self, query_string: str) -> str:
        return reverse("notices:list") + (f"?{query_string}" if query_string else "")

    def subtitle(self, query_string: str) -> str:
        return _("検索条件に合う公募の新着")

    def items(self, query_string: str) -> list[Notice]:
        criteria = criteria_of(query_string)
        return notice_search(text=criteria.text, filters=criteria.filters, sort="newest").notices[:FEED_SIZE]


class SavedSearchFeed(_NoticeFeed):
    """The notices a saved search alerted on, newest first."""

    def get_object(self, request: HttpRequest, token: str, saved_search_id: int) -> SavedSearch:
        return access_saved_search(access_feed_user(token), saved_search_id)

    def title(self, saved_search: SavedSearch) -> str:
        return _("つなぐ：%(name)s") % {"name": saved_search.name}

    def link(self, saved_search: SavedSearch) -> str:
        return reverse("notices:list") + (f"?{saved_search.query_string}" if saved_search.query_string else "")

    def subtitle(self, saved_search: SavedSearch) -> str:
        return describe(saved_search.query_string)

    def items(self, saved_search: SavedSearch) -> list[Notice]:
        return [m.notice for m in saved_search_matches(saved_search, limit=FEED_SIZE)]


def follows_calendar_view(request: HttpRequest, token: str) -> HttpResponse:
    user = access_feed_user(token)
    calendar = Calendar()
    calendar.add("prodid", "-//Tsunagu//follows//JA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("つなぐ：フォロー中の公募の締切"))
    stamp = timezone.now()
    for notice in followed_for_calendar(user):
        add_notice_deadlines(calendar, notice, url=request.build_absolute_uri(notice.get_absolute_url()), stamp=stamp)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
