"""Every work-sharing POST against the role matrix: who may do it, and that a refusal changes nothing."""

import pytest
from django.urls import reverse

from tests.cast import TODAY
from tests.conftest import ROLES
from tsunagu.workshare import services
from tsunagu.workshare.models import ChangeRequest, Handoff, Submission, TeamMember, Terms, TimeEntry, WorkElement


def _snapshot(cast):
    project = cast.project
    project.refresh_from_db()
    return (
        list(WorkElement.objects.order_by("pk").values_list("pk", "status", "primary", "backup", "progress_note")),
        Submission.objects.count(), list(Submission.objects.values_list("decision", flat=True)), TimeEntry.objects.count(),
        Terms.objects.count(), list(Terms.objects.values_list("owner_confirmed_at", "coordinator_confirmed_at")),
        list(TeamMember.objects.values_list("user", "active")), Handoff.objects.count(),
        list(ChangeRequest.objects.values_list("status", flat=True)), project.intake_notes, project.feedback.count(),
    )


def _held(cast):
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    return element


def _submitted(cast):
    element = _held(cast)
    return services.element_submit(element=element, by=cast.worker, checklist_done=element.checklist)


def _change(cast):
    submission = _submitted(cast)
    terms = cast.project.current_terms()
    element = submission.element
    element.revision_rounds_used = terms.revision_rounds
    element.save()
    return services.submission_request_revision(submission=submission, by=cast.owner, comment="範囲を広げたい", price_yen=1000)


def _new_terms(cast):
    return services.terms_propose(project=cast.project, by=cast.coordinator, acceptance_criteria="新", revision_rounds=1,
                                  review_window_days=5, change_request_definition="追加", payment_rule="points", points_yen=100)


# name: (set-up returning the url arguments, form data, expected status per role)
ACTIONS = {
    "element_progress": (lambda c: [_held(c).pk], {"note": "半分"}, {"worker": 302, "owner": 400, "coordinator": 400}),
    "element_handoff": (lambda c: [_held(c).pk], {"note": "休みます"}, {"worker": 302, "owner": 400, "coordinator": 400}),
    "element_submit": (lambda c: [_held(c).pk], {"checklist_done": ["出典URLを書いた", "二重チェックした"]},
                       {"worker": 302, "owner": 400, "coordinator": 400}),
    "time_entry": (lambda c: [_held(c).pk], {"worked_on": TODAY.isoformat(), "minutes": "30"},
                   {"worker": 302, "owner": 400, "coordinator": 400}),
    "submission_review": (lambda c: [_submitted(c).pk], {"decision": "accept", "comment": ""},
                          {"owner": 302, "coordinator": 302, "worker": 400}),
    "change_decide": (lambda c: [_change(c).pk], {"approve": "yes"}, {"owner": 302, "coordinator": 400, "worker": 400}),
    "terms_propose": (lambda c: [c.project.pk], {"acceptance_criteria": "基準", "revision_rounds": "1", "review_window_days": "7",
                                                  "change_request_definition": "追加", "payment_rule": "points", "points_yen": "100",
                                                  "hourly_rate_yen": "0", "standby_yen_per_element": "0", "coordinator_fee_percent": "10"},
                      {"owner": 302, "coordinator": 302, "worker": 400}),
    "terms_confirm": (lambda c: [c.project.pk, _new_terms(c).pk], {}, {"owner": 302, "coordinator": 302, "worker": 400}),
    "team_add": (lambda c: [c.project.pk], {"username": "outsider", "offered_hours": "5"},
                 {"coordinator": 302, "owner": 403, "worker": 403}),
    "element_create": (lambda c: [c.project.pk], {"title": "新しい作業", "estimated_hours": "1", "due_on": "2026-06-20"},
                       {"coordinator": 302, "owner": 403, "worker": 403}),
    "elements_template": (lambda c: [c.project.pk], {"lg_codes": "131016", "title_pattern": "{municipality}",
                                                      "estimated_hours": "1", "due_on": "2026-06-20"},
                          {"coordinator": 302, "owner": 403, "worker": 403}),
    "intake": (lambda c: [c.project.pk], {"notes": "電話で相談"}, {"coordinator": 302, "owner": 403, "worker": 403}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_answers_each_role_and_a_refusal_changes_nothing(client, cast, action, role):
    setup, data, expected = ACTIONS[action]
    args = setup(cast)
    before = _snapshot(cast)
    user = cast.user(role)
    if user:
        client.force_login(user)
    response = client.post(reverse(f"workshare:{action}", args=args), data)
    status = {"anonymous": 302, "outsider": 404}.get(role) or expected[role]
    assert response.status_code == status, response.content.decode()[:500]
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    if role == "anonymous" or status != 302:
        assert _snapshot(cast) == before
    else:
        assert _snapshot(cast) != before
