"""The rules of work sharing, service by service: each refusal says why in Japanese and changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from tsunagu.core.errors import DomainError
from tsunagu.workshare import services
from tsunagu.workshare.models import ChangeRequest, Handoff, Submission, Terms, TimeEntry, WorkElement
from tsunagu.workshare.selectors import project_cost, worker_statement

from tests.cast import TODAY


def test_terms_bind_the_team_only_once_both_sides_confirmed(cast):
    newer = services.terms_propose(project=cast.project, by=cast.owner, acceptance_criteria="基準", revision_rounds=3,
                                   review_window_days=5, change_request_definition="追加", payment_rule="hourly",
                                   hourly_rate_yen=1200)
    assert newer.version == 2 and cast.project.current_terms().version == 1
    services.terms_confirm(terms=newer, by=cast.owner)
    assert cast.project.current_terms().version == 1
    services.terms_confirm(terms=newer, by=cast.coordinator)
    assert cast.project.current_terms().version == 2


def test_a_worker_cannot_confirm_terms_and_an_old_version_cannot_be_confirmed(cast):
    terms = cast.project.terms.get(version=1)
    with pytest.raises(DomainError, match="発注者とコーディネーター"):
        services.terms_confirm(terms=terms, by=cast.worker)
    services.terms_propose(project=cast.project, by=cast.coordinator, acceptance_criteria="x", revision_rounds=1,
                           review_window_days=7, change_request_definition="y", payment_rule="points", points_yen=1)
    with pytest.raises(DomainError, match="新しい版"):
        services.terms_confirm(terms=terms, by=cast.owner)


def test_an_element_due_in_the_past_is_refused_on_its_field(cast):
    with pytest.raises(DomainError) as refused:
        cast.element(due_on=TODAY - datetime.timedelta(days=1))
    assert refused.value.field == "due_on" and not WorkElement.objects.exists()


def test_the_template_makes_one_element_per_municipality_and_period_grouped_by_municipality(cast):
    created = services.elements_from_municipalities(
        project=cast.project, by=cast.coordinator, lg_codes=["131016", "011002"], title_pattern="{municipality} {period}",
        periods=["2025年度", "2026年度"], estimated_hours=Decimal("1.5"), due_on=TODAY + datetime.timedelta(days=20), today=TODAY)
    assert [e.title for e in created] == ["東京都千代田区 2025年度", "東京都千代田区 2026年度", "北海道札幌市 2025年度", "北海道札幌市 2026年度"]
    assert [e.group_key for e in created] == ["131016", "131016", "011002", "011002"]


def test_the_template_names_the_codes_it_does_not_know(cast):
    with pytest.raises(DomainError, match="999999"):
        services.elements_from_municipalities(project=cast.project, by=cast.coordinator, lg_codes=["131016", "999999"],
                                              title_pattern="{municipality}", estimated_hours=Decimal(1),
                                              due_on=TODAY + datetime.timedelta(days=3), today=TODAY)
    assert not WorkElement.objects.exists()


def test_primary_and_backup_are_different_people_in_the_database_too(cast):
    element = cast.element()
    with pytest.raises(DomainError, match="別の人"):
        services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkElement.objects.filter(pk=element.pk).update(primary=cast.worker, backup=cast.worker, status="claimed")


def test_only_team_members_with_the_skills_can_claim_and_only_one_gets_it(cast):
    element = cast.element()
    with pytest.raises(DomainError, match="チームに入っていない"):
        services.element_claim(element_id=element.pk, worker=cast.outsider)
    skilled = cast.element(title="調査", skills=[cast.research])
    with pytest.raises(DomainError, match="Web調査"):
        services.element_claim(element_id=skilled.pk, worker=cast.second)
    services.element_claim(element_id=element.pk, worker=cast.worker)
    with pytest.raises(DomainError, match="ほかの人が担当"):
        services.element_claim(element_id=element.pk, worker=cast.second)
    element.refresh_from_db()
    assert element.primary == cast.worker and element.status == WorkElement.Status.CLAIMED


def test_i_cannot_continue_hands_the_element_and_the_partial_work_to_the_backup(cast):
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    services.element_progress(element=element, by=cast.worker, note="半分まで")
    with pytest.raises(DomainError, match="自分が担当"):
        services.element_handoff(element=element, by=cast.second)
    services.element_handoff(element=element, by=cast.worker, note="子どもが熱を出しました", partial_work="10件入力済み")
    element.refresh_from_db()
    assert (element.primary, element.backup, element.partial_work) == (cast.second, None, "10件入力済み")
    assert element.status == WorkElement.Status.IN_PROGRESS
    handoff = Handoff.objects.get()
    assert (handoff.from_user, handoff.to_user) == (cast.worker, cast.second)
    assert not hasattr(handoff, "rating") and not hasattr(handoff, "penalty")  # no blame is recorded


def test_a_handoff_without_a_backup_returns_the_element_to_the_pool_and_alerts_the_coordinator(cast, django_capture_on_commit_callbacks):
    element = cast.element()
    services.element_claim(element_id=element.pk, worker=cast.worker)
    with django_capture_on_commit_callbacks(execute=True):
        services.element_handoff(element=element, by=cast.worker, note="入院します")
    element.refresh_from_db()
    assert element.primary is None and element.status == WorkElement.Status.OPEN
    assert mail.outbox[-1].to == ["coord@example.jp"] and "バックアップのいない" in mail.outbox[-1].subject


def _submitted(cast) -> Submission:
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    return services.element_submit(element=element, by=cast.worker, checklist_done=element.checklist)


def test_a_submission_needs_every_checklist_item(cast):
    element = cast.element()
    services.element_claim(element_id=element.pk, worker=cast.worker)
    with pytest.raises(DomainError, match="二重チェックした") as refused:
        services.element_submit(element=element, by=cast.worker, checklist_done=["出典URLを書いた"])
    assert refused.value.field == "checklist_done" and not Submission.objects.exists()


def test_revision_rounds_run_out_and_the_next_request_becomes_a_change_request_for_the_owner(cast):
    submission = _submitted(cast)
    element = submission.element
    for round_number in (1, 2):
        services.submission_request_revision(submission=submission, by=cast.owner, comment=f"{round_number}回目の修正")
        element.refresh_from_db()
        assert element.revision_rounds_used == round_number and element.status == WorkElement.Status.REVISION_REQUESTED
        submission = services.element_submit(element=element, by=cast.worker, checklist_done=element.checklist)
    change = services.submission_request_revision(submission=submission, by=cast.owner, comment="対象を広げたい",
                                                  price_yen=5000, extra_days=3)
    assert isinstance(change, ChangeRequest) and change.status == ChangeRequest.Status.PROPOSED
    element.refresh_from_db()
    assert element.revision_rounds_used == 2 and element.status == WorkElement.Status.SUBMITTED
    with pytest.raises(DomainError, match="発注者だけ"):
        services.change_request_decide(change=change, by=cast.coordinator, approve=True)
    services.change_request_decide(change=change, by=cast.owner, approve=True)
    element.refresh_from_db()
    assert element.status == WorkElement.Status.REVISION_REQUESTED and element.due_on == TODAY + datetime.timedelta(days=13)


def test_an_accepted_submission_cannot_get_a_revision_request(cast):
    submission = _submitted(cast)
    services.submission_accept(submission=submission, by=cast.owner)
    with pytest.raises(DomainError, match="確認済み"):
        services.submission_request_revision(submission=submission, by=cast.owner, comment="やっぱり")


def test_a_worker_cannot_review(cast):
    submission = _submitted(cast)
    with pytest.raises(DomainError, match="発注者かコーディネーター"):
        services.submission_accept(submission=submission, by=cast.second)


def test_without_a_review_the_submission_is_accepted_when_the_window_closes_and_everyone_is_told(cast, time_machine,
                                                                                                  django_capture_on_commit_callbacks):
    submission = _submitted(cast)
    assert services.submissions_auto_accept() == 0
    time_machine.shift(datetime.timedelta(days=7, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.submissions_auto_accept() == 1
    submission.refresh_from_db()
    assert submission.decision == Submission.Decision.AUTO_ACCEPTED
    assert submission.element.status == WorkElement.Status.ACCEPTED
    told = {address for message in mail.outbox for address in message.to}
    assert {"owner@example.jp", "coord@example.jp", "worker@example.jp"} <= told


def test_time_goes_only_on_your_own_elements_and_never_over_a_day(cast):
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    other = cast.element(title="別の作業")
    with pytest.raises(DomainError, match="自分の担当ではない") as refused:
        services.time_entry_add(element=other, by=cast.worker, worked_on=TODAY, minutes=30, today=TODAY)
    assert refused.value.field == "element"
    services.time_entry_add(element=element, by=cast.worker, worked_on=TODAY, minutes=23 * 60, memo="入力", today=TODAY)
    with pytest.raises(DomainError, match="24時間"):
        services.time_entry_add(element=element, by=cast.worker, worked_on=TODAY, minutes=61, today=TODAY)
    assert TimeEntry.objects.count() == 1


def test_statements_pay_points_for_accepted_elements_and_the_cost_shows_the_fee(cast):
    first, second = _submitted(cast), None
    services.submission_accept(submission=first, by=cast.owner)
    element = cast.element(title="二つ目", estimated_hours=Decimal("4"))
    services.element_assign(element=element, by=cast.coordinator, primary=cast.second, backup=cast.worker)
    second = services.element_submit(element=element, by=cast.second, checklist_done=element.checklist)
    services.submission_accept(submission=second, by=cast.coordinator)
    assert worker_statement(cast.project, cast.worker, year=2026, month=6).total_yen == 2 * 2500
    assert worker_statement(cast.project, cast.second, year=2026, month=6).total_yen == 4 * 2500
    cost = project_cost(cast.project, months=[(2026, 6)])
    assert (cost.workers_yen, cost.fee_yen, cost.total_yen) == (15_000, 1_500, 16_500)


def test_a_worker_leaving_hands_their_elements_on(cast):
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    backed = cast.element(title="二つ目")
    services.element_assign(element=backed, by=cast.coordinator, primary=cast.second, backup=cast.worker)
    affected = services.team_leave(project=cast.project, by=cast.coordinator, worker=cast.worker)
    element.refresh_from_db()
    backed.refresh_from_db()
    assert element.primary == cast.second and backed.backup is None and {e.pk for e in affected} == {element.pk, backed.pk}


def test_terms_with_a_review_window_of_zero_are_refused(cast):
    with pytest.raises(DomainError) as refused:
        services.terms_propose(project=cast.project, by=cast.coordinator, acceptance_criteria="x", revision_rounds=1,
                               review_window_days=0, change_request_definition="y", payment_rule="points", points_yen=1)
    assert refused.value.field == "review_window_days" and Terms.objects.count() == 1


def test_the_queue_worker_runs_the_auto_acceptance(cast, time_machine):
    from tsunagu.workshare.tasks import submissions_auto_accept_task

    submission = _submitted(cast)
    time_machine.shift(datetime.timedelta(days=8))
    submissions_auto_accept_task.call_local()
    submission.refresh_from_db()
    assert submission.decision == Submission.Decision.AUTO_ACCEPTED


def test_an_element_waits_for_the_elements_it_depends_on(cast):
    first = cast.element(title="一覧を作る")
    second = services.element_create(project=cast.project, by=cast.coordinator, title="一覧を確かめる", estimated_hours=Decimal(1),
                                     due_on=TODAY + datetime.timedelta(days=12), depends_on=[first], today=TODAY)
    services.element_assign(element=second, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    with pytest.raises(DomainError, match="一覧を作る"):
        services.element_submit(element=second, by=cast.worker, checklist_done=[])
    services.element_assign(element=first, by=cast.coordinator, primary=cast.second, backup=cast.worker)
    submission = services.element_submit(element=first, by=cast.second, checklist_done=first.checklist)
    services.submission_accept(submission=submission, by=cast.owner)
    assert services.element_submit(element=second, by=cast.worker, checklist_done=[]).element == second


def test_feedback_goes_to_the_whole_team_and_workers_cannot_give_it(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_give(project=cast.project, by=cast.owner, text="丁寧な出典で助かりました")
    assert {address for message in mail.outbox for address in message.to} == {"worker@example.jp", "second@example.jp"}
    with pytest.raises(DomainError):
        services.feedback_give(project=cast.project, by=cast.worker, text="自分たちで")


def test_handed_in_work_cannot_be_handed_off_and_work_under_way_keeps_a_person(cast):
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=None)
    services.element_progress(element=element, by=cast.worker, note="途中")
    with pytest.raises(DomainError, match="担当は外せません"):
        services.element_assign(element=element, by=cast.coordinator, primary=None, backup=None)
    services.element_assign(element=element, by=cast.coordinator, primary=cast.second, backup=None)
    assert Handoff.objects.get().to_user == cast.second  # a coordinator's reassignment is recorded like a handoff
    services.element_submit(element=element, by=cast.second, checklist_done=element.checklist)
    with pytest.raises(DomainError, match="提出済み"):
        services.element_handoff(element=element, by=cast.second)


def test_the_plan_keeps_work_under_way_with_its_person(cast):
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.second, backup=None)
    services.element_progress(element=element, by=cast.second, note="途中")
    plan = services.plan_suggest(project=cast.project, by=cast.coordinator, today=TODAY, time_limit=2)
    assert plan.primary[element.pk] == cast.second.pk
    services.plan_apply(project=cast.project, by=cast.coordinator, assignments={element.pk: (None, cast.worker.pk)})
    element.refresh_from_db()
    assert (element.primary, element.backup) == (cast.second, cast.worker)


def test_someone_who_left_no_longer_sees_the_project_nor_logs_time_after_leaving(cast, time_machine):
    from tsunagu.workshare.models import Project

    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    services.team_leave(project=cast.project, by=cast.coordinator, worker=cast.worker)
    assert not Project.objects.visible_to(cast.worker).exists()
    services.time_entry_add(element=element, by=cast.worker, worked_on=TODAY, minutes=30, today=TODAY)  # before leaving
    time_machine.shift(datetime.timedelta(days=2))
    with pytest.raises(DomainError, match="自分の担当ではない"):
        services.time_entry_add(element=element, by=cast.worker, worked_on=TODAY + datetime.timedelta(days=2), minutes=30,
                                today=TODAY + datetime.timedelta(days=2))


def test_only_the_npos_workers_can_join_a_team(cast):
    from tests.factories import UserFactory

    stranger = UserFactory(username="stranger")
    with pytest.raises(DomainError, match="先に招待") as refused:
        services.team_add(project=cast.project, by=cast.coordinator, worker=stranger, offered_hours=5)
    assert refused.value.field == "username"


def test_braces_in_a_template_title_are_text(cast):
    created = services.elements_from_municipalities(
        project=cast.project, by=cast.coordinator, lg_codes=["131016"], title_pattern="{municipality}の{x} {0} {",
        estimated_hours=Decimal(1), due_on=TODAY + datetime.timedelta(days=3), today=TODAY)
    assert created[0].title == "東京都千代田区の{x} {0} {"
