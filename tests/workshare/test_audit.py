"""The audit log: who changed terms, team, assignments, reviews, change requests and time, in the same transaction."""

import pytest
from django.urls import reverse

from tests.cast import TODAY
from tsunagu.core.errors import DomainError
from tsunagu.core.models import AuditEntry
from tsunagu.workshare import services

pytestmark = pytest.mark.django_db


def actions(project, after: int):
    return [(e.actor.username if e.actor else None, e.action)
            for e in AuditEntry.objects.filter(project_id=project.pk, pk__gt=after).order_by("id")]


def test_terms_pay_and_reviews_leave_a_record_of_who_did_what(cast):
    start = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    terms = services.terms_propose(project=cast.project, by=cast.coordinator, acceptance_criteria="新しい基準",
                                   revision_rounds=1, review_window_days=5, change_request_definition="追加",
                                   payment_rule="points", points_yen=3000)
    services.terms_confirm(terms=terms, by=cast.owner)
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    services.time_entry_add(element=element, by=cast.worker, worked_on=TODAY, minutes=45, today=TODAY)
    services.terms_confirm(terms=terms, by=cast.coordinator)
    submission = services.element_submit(element=element, by=cast.worker, checklist_done=element.checklist)
    services.submission_accept(submission=submission, by=cast.owner)
    assert actions(cast.project, start) == [
        ("coord", "terms.propose"), ("owner", "terms.confirm"), ("coord", "element.assign"), ("worker", "time.add"),
        ("coord", "terms.confirm"), ("owner", "submission.accepted")]
    proposed = AuditEntry.objects.get(action="terms.propose", target_id=terms.pk)
    assert proposed.changes["points_yen"][1] == 3000 and proposed.changes["acceptance_criteria"][1] == "新しい基準"
    assigned = AuditEntry.objects.get(action="element.assign", target_id=element.pk)
    assert assigned.changes == {"primary": [None, str(cast.worker)], "backup": [None, str(cast.second)]}
    assert AuditEntry.objects.get(action="time.add").summary.endswith("45分")


def test_a_refused_change_leaves_no_record(cast):
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError):
        services.terms_propose(project=cast.project, by=cast.worker, acceptance_criteria="x", revision_rounds=1,
                               review_window_days=5, change_request_definition="", payment_rule="points")
    assert AuditEntry.objects.count() == before


def test_the_audit_page_lists_the_entries_for_the_owner(client, cast):
    services.team_add(project=cast.project, by=cast.coordinator, worker=cast.outsider, offered_hours=3)
    client.force_login(cast.owner)
    page = client.get(reverse("workshare:audit", args=[cast.project.pk])).content.decode()
    assert "チームに（週3時間）" in page and str(cast.coordinator) in page
