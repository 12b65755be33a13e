import pytest
from django.core.management import CommandError, call_command

from tsunagu.accounts.services import demo_users_ensure
from tsunagu.workshare.demo import DEMO_PROJECT_TITLE
from tsunagu.workshare.models import Project, WorkElement

pytestmark = pytest.mark.django_db


def test_the_demo_project_is_built_once_with_a_planned_board(settings):
    settings.DEBUG = True
    demo_users_ensure()
    call_command("ensure_demo_project")
    call_command("ensure_demo_project")
    project = Project.objects.get(title=DEMO_PROJECT_TITLE)
    assert project.current_terms() is not None and project.elements.count() == 23
    assert not project.elements.filter(primary__isnull=True).exists()
    assert all(e.primary_id != e.backup_id for e in project.elements.all())
    assert project.elements.filter(status=WorkElement.Status.IN_PROGRESS).count() == 3


def test_the_demo_project_needs_debug_and_the_demo_accounts(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("ensure_demo_project")
    settings.DEBUG = True
    with pytest.raises(CommandError, match="ensure_demo_users"):
        call_command("ensure_demo_project")
