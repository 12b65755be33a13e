"""The seed story of work sharing, end to end through the web pages (issue 4): an owner asks for a municipal-calls
database; the coordinator agrees terms (2 revision rounds, 7-day review window), creates one element per
municipality from the template, recruits two workers with different hours and applies the planner; one worker hands
an element to the other mid-way; a third revision request becomes a change request; the statements add up to the
budget."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tsunagu.accounts.models import Membership, Organisation, Skill, WorkerSkill
from tsunagu.workshare.models import Project, Submission, WorkElement

pytestmark = pytest.mark.django_db
CODES = ["131016", "131024", "131032", "131041"]  # 千代田区, 中央区, 港区, 新宿区


def _ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def test_an_owner_a_coordinator_and_two_workers_build_the_database_together(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 1, 0, tzinfo=datetime.UTC))
    npo = Organisation.objects.create(name="NPO法人つなぐ", kind=Organisation.Kind.COORDINATING)
    coordinator, owner = UserFactory(username="sato"), UserFactory(username="tanaka")
    mika, yui = UserFactory(username="mika"), UserFactory(username="yui")
    Membership.objects.create(organisation=npo, user=coordinator, role=Membership.Role.COORDINATOR)
    entry = Skill.objects.create(name="データ入力")
    for worker in (mika, yui):  # invited into the NPO as workers (tests/accounts/test_invitations.py)
        Membership.objects.create(organisation=npo, user=worker, role=Membership.Role.WORKER)
        WorkerSkill.objects.create(user=worker, skill=entry)

    # The owner asks, in plain words.
    client.force_login(owner)
    _ok(client.post(reverse("workshare:project_request"), {
        "title": "自治体公募データベースの構築", "background": "小さなNPOが公募を見落とす", "goal": "見落としをなくす",
        "deliverable": "自治体ごとの公募一覧（出典URLつき）", "deadline": "2026-07-31", "budget_yen": "24000",
        "coordinator": coordinator.pk}))
    project = Project.objects.get()

    # Terms: 2 revision rounds, a 7-day review window, 2,500 yen a point, 10% fee; both confirm.
    client.force_login(coordinator)
    _ok(client.post(reverse("workshare:terms_propose", args=[project.pk]), {
        "acceptance_criteria": "出典URLがあり二重チェック済み", "revision_rounds": "2", "review_window_days": "7",
        "change_request_definition": "対象自治体・項目の追加", "payment_rule": "points", "points_yen": "2500",
        "hourly_rate_yen": "0", "standby_yen_per_element": "0", "coordinator_fee_percent": "10"}))
    terms = project.terms.get()
    _ok(client.post(reverse("workshare:terms_confirm", args=[project.pk, terms.pk])))
    client.force_login(owner)
    _ok(client.post(reverse("workshare:terms_confirm", args=[project.pk, terms.pk])))
    assert project.current_terms() == terms

    # The team: two workers with different hours; elements from the template; the planner's suggestion applied.
    client.force_login(coordinator)
    _ok(client.post(reverse("workshare:team_add", args=[project.pk]), {"username": "mika", "offered_hours": "10"}))
    _ok(client.post(reverse("workshare:team_add", args=[project.pk]), {"username": "yui", "offered_hours": "4"}))
    _ok(client.post(reverse("workshare:elements_template", args=[project.pk]), {
        "lg_codes": " ".join(CODES), "title_pattern": "{municipality}の公募を集める", "periods": "", "skills": [entry.pk],
        "estimated_hours": "2", "due_on": "2026-06-30", "checklist": "出典URLを書いた\n二重チェックした"}))
    assert project.elements.count() == 4
    plan_page = _ok(client.get(reverse("workshare:plan", args=[project.pk])), 200)
    rows = plan_page.context["rows"]
    assert all(row["primary"] and row["backup"] and row["primary"] != row["backup"] for row in rows)
    form = {}
    for row in rows:
        form[f"primary-{row['element'].pk}"] = row["primary"]
        form[f"backup-{row['element'].pk}"] = row["backup"]
    _ok(client.post(reverse("workshare:plan", args=[project.pk]), form))

    # One worker hands an element to the other mid-way.
    handed = project.elements.filter(primary=mika).first() or project.elements.filter(primary=yui).first()
    holder, backup = handed.primary, handed.backup
    client.force_login(holder)
    _ok(client.post(reverse("workshare:element_progress", args=[handed.pk]), {"note": "半分まで入力しました"}))
    _ok(client.post(reverse("workshare:element_handoff", args=[handed.pk]),
                    {"note": "子どもが熱を出しました", "partial_work": "10件入力済み（出典つき）"}))
    handed.refresh_from_db()
    assert handed.primary == backup and handed.partial_work.startswith("10件")

    def submit(element):
        client.force_login(element.primary)
        _ok(client.post(reverse("workshare:element_submit", args=[element.pk]),
                        {"checklist_done": element.checklist, "note": "提出します"}))
        return Submission.objects.filter(element=element, decision="pending").get()

    # Two revision rounds, then a third request that becomes a change request the owner approves with its price.
    submission = submit(handed)
    client.force_login(owner)
    for comment in ("日付の書式をそろえてください", "URLを公式ページに"):
        _ok(client.post(reverse("workshare:submission_review", args=[submission.pk]), {"decision": "revise", "comment": comment}))
        handed.refresh_from_db()
        submission = submit(handed)
        client.force_login(owner)
    _ok(client.post(reverse("workshare:submission_review", args=[submission.pk]), {
        "decision": "revise", "comment": "区の外郭団体の公募も加えたい", "price_yen": "2000", "extra_days": "3"}))
    change = handed.change_requests.get()
    assert change.status == "proposed"
    _ok(client.post(reverse("workshare:change_decide", args=[change.pk]), {"approve": "yes"}))
    handed.refresh_from_db()
    assert handed.status == WorkElement.Status.REVISION_REQUESTED and handed.revision_rounds_used == 2
    submission = submit(handed)
    client.force_login(owner)
    _ok(client.post(reverse("workshare:submission_review", args=[submission.pk]), {"decision": "accept", "comment": "ありがとう"}))

    # Everything else is submitted and accepted.
    for element in project.elements.exclude(pk=handed.pk):
        submission = submit(element)
        client.force_login(coordinator)
        _ok(client.post(reverse("workshare:submission_review", args=[submission.pk]), {"decision": "accept", "comment": ""}))
    assert set(project.elements.values_list("status", flat=True)) == {"accepted"}

    # The statements add up to the budget: 8 points × 2,500 + the 10% fee + the 2,000-yen change = 24,000.
    page = _ok(client.get(reverse("workshare:statements", args=[project.pk, 2026, 6])), 200)
    cost = page.context["cost"]
    assert sum(s.total_yen for s in page.context["statements"]) == cost.workers_yen == 20_000
    assert (cost.fee_yen, cost.change_requests_yen, cost.total_yen) == (2_000, 2_000, 24_000)
    assert cost.total_yen == project.budget_yen and cost.remaining_yen == 0
