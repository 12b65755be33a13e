"""Who builds the database: coordinators and workers of an NPO (owners and the public only read it). The one place
for collection's permission checks."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tsunagu.accounts.models import Membership
from tsunagu.municipalities.models import Municipality

from .models import Candidate


def can_collect(user) -> bool:
    return user.is_authenticated and (user.is_superuser or Membership.objects.filter(
        user=user, role__in=[Membership.Role.COORDINATOR, Membership.Role.WORKER]).exists())


def require_collector(user) -> None:
    if not can_collect(user):
        raise PermissionDenied


def access_candidate(user, candidate_id: int) -> Candidate:
    require_collector(user)
    candidate = Candidate.objects.filter(pk=candidate_id).select_related("municipality__prefecture", "source", "snapshot").first()
    if candidate is None:
        raise Http404("candidate")
    return candidate


def access_municipality_for_entry(user, lg_code: str) -> Municipality:
    require_collector(user)
    municipality = Municipality.objects.filter(lg_code=lg_code).select_related("prefecture").first()
    if municipality is None:
        raise Http404("municipality")
    return municipality
