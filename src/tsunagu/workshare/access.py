"""Who may see and do what in work sharing: the one place for object-level checks.

- anonymous: nothing (login first);
- the owner: their projects; the coordinators of the project's NPO: its projects; workers: the projects of their
  teams. Anyone else gets 404, as if the project did not exist (its name is not theirs to know).
- `need="coordinate"`: only the NPO's coordinators (403 for the others who can see the project).
- `need="audit"`: the owner and the NPO's coordinators (the audit log holds everyone's time: not for workers)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from tsunagu.accounts.models import User

from .models import Project, Recruitment, WorkElement
from .services import is_coordinator_of


def access_project(user, project_id: int, *, need: str = "view") -> Project:
    project = Project.objects.visible_to(user).select_related("organisation", "owner", "coordinator").filter(pk=project_id).first()
    if project is None:
        raise Http404("project")
    if need == "coordinate" and not is_coordinator_of(user, project):
        raise PermissionDenied
    if need == "audit" and not may_read_audit(user, project):
        raise PermissionDenied
    return project


def may_read_audit(user, project: Project) -> bool:
    return user.pk == project.owner_id or is_coordinator_of(user, project)


def access_element(user, element_id: int) -> WorkElement:
    element = (WorkElement.objects.visible_to(user).select_related("project__organisation", "project__owner", "primary", "backup")
               .filter(pk=element_id).first())
    if element is None:
        raise Http404("element")
    return element


def access_person(viewer, user_id: int) -> User:
    """A person's profile: oneself, the people one shares a project with, and the workers of an NPO one
    coordinates. Anyone else: 404."""
    person = User.objects.select_related("profile").filter(pk=user_id, is_active=True).first()
    if person is None or not viewer.is_authenticated:
        raise Http404("person")
    if viewer.pk == person.pk or viewer.is_superuser:
        return person
    coordinates = person.memberships.filter(organisation__memberships__user=viewer,
                                            organisation__memberships__role="coordinator").exists()
    shares = Project.objects.visible_to(viewer).filter(
        Q(owner=person) | Q(coordinator=person) | Q(team__user=person, team__active=True)).exists()
    if not (coordinates or shares):
        raise Http404("person")
    return person


def recruitments_open_to(user):
    """Calls for members a worker may answer: those of the organisations they are a worker of."""
    organisations = user.memberships.filter(role="worker").values("organisation")
    return Recruitment.objects.filter(project__organisation__in=organisations).select_related("project")


def access_recruitment(user, recruitment_id: int) -> Recruitment:
    call = recruitments_open_to(user).filter(pk=recruitment_id).first()
    if call is None:
        raise Http404("recruitment")
    return call


def statement_readers(user, project: Project) -> tuple[list, bool]:
    """(the workers whose statements this person may read, whether they may read the project's cost): everyone and the
    cost for coordinators, the cost for the owner, one's own statement for a worker."""
    coordinating = is_coordinator_of(user, project)
    members = [m.user for m in project.team.select_related("user")]
    workers = members if coordinating else [u for u in members if u.pk == user.pk]
    return workers, coordinating or user.pk == project.owner_id
