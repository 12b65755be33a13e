"""Fetch-with-permission for notices and import runs: the one place that decides 404 or 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import ImportRun, Notice
from .selectors import notice_detail_queryset


def access_notice(user, notice_id: int) -> Notice:
    """Notices are public: anyone may read one that exists."""
    try:
        return notice_detail_queryset().get(pk=notice_id)
    except Notice.DoesNotExist:
        raise Http404 from None


def can_see_provenance(user) -> bool:
    """Who entered a notice and from which file is the team's business (coordinators), not the public's."""
    return user.is_authenticated and user.is_coordinator


def access_import_run(user, run_id: int, *, need: str = "view") -> ImportRun:
    """Coordinators see and confirm every run (the team shares the work); others get 403."""
    if not (user.is_authenticated and user.is_coordinator):
        raise PermissionDenied
    try:
        return ImportRun.objects.visible_to(user).select_related("created_by").get(pk=run_id)
    except ImportRun.DoesNotExist:
        raise Http404 from None
