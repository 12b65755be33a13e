"""Who may see and do what in work sharing: the one place for object-level checks.

- anonymous: nothing (login first);
- the owner: their projects; the coordinators of the project's NPO: its projects; workers: the projects of their
  teams. Anyone else gets 404, as if the project did not exist (its name is not theirs to know).
- `need="coordinate"`: only the NPO's coordinators (403 for the others who can see the project)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Project, WorkElement
from .services import is_coordinator_of


def access_project(user, project_id: int, *, need: str = "view") -> Project:
    project = Project.objects.visible_to(user).select_related("organisation", "owner", "coordinator").filter(pk=project_id).first()
    if project is None:
        raise Http404("project")
    if need == "coordinate" and not is_coordinator_of(user, project):
        raise PermissionDenied
    return project


def access_element(user, element_id: int) -> WorkElement:
    element = (WorkElement.objects.visible_to(user).select_related("project__organisation", "project__owner", "primary", "backup")
               .filter(pk=element_id).first())
    if element is None:
        raise Http404("element")
    return element
