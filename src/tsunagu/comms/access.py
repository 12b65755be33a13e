"""Who may read what in comms: the one place for its object-level checks (projects and elements go through
workshare's access functions)."""

from django.http import Http404

from tsunagu.workshare.access import access_project

from .meetings import coordinates, series_visible_to
from .messaging import can_read, thread_members
from .models import Attachment, MeetingSeries

__all__ = ["access_attachment", "access_direct_peer", "access_series", "coordinates"]


def access_direct_peer(user, project_id: int, other_id: int):
    """(project, the other person) for a direct-message thread: both must be on the project's threads."""
    project = access_project(user, project_id)
    other = next((u for u in thread_members(project) if u.pk == other_id and u.pk != user.pk), None)
    if other is None:
        raise Http404("person")
    return project, other


def access_attachment(user, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.filter(pk=attachment_id).select_related("message__project").first()
    if attachment is None or not can_read(user, attachment.message):
        raise Http404("attachment")
    return attachment


def access_series(user, series_id: int) -> MeetingSeries:
    series = series_visible_to(user).filter(pk=series_id).select_related("organisation").first()
    if series is None:
        raise Http404("meeting")
    return series
