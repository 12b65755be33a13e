"""The people of a work-sharing project, for tests: an NPO and its coordinator, an owner, two workers in the
team and one outside it, a project with agreed terms (2 revision rounds, 7 days, points)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.factories import UserFactory
from tsunagu.accounts.models import Membership, Organisation, Skill, WorkerSkill
from tsunagu.workshare import services
from tsunagu.workshare.models import Project, PaymentRule, WorkElement

TODAY = datetime.date(2026, 6, 1)  # a Monday


@dataclass
class Cast:
    npo: Organisation
    coordinator: object
    owner: object
    worker: object  # in the team
    second: object  # in the team
    outsider: object  # a worker of the NPO, not in this team
    project: Project
    entry: Skill
    research: Skill

    def element(self, **kwargs) -> WorkElement:
        defaults = {"title": "千代田区の公募情報を集める", "estimated_hours": Decimal("2"), "due_on": TODAY + datetime.timedelta(days=10),
                    "checklist": ["出典URLを書いた", "二重チェックした"], "today": TODAY}
        return services.element_create(project=self.project, by=self.coordinator, **{**defaults, **kwargs})

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def cast(db, time_machine) -> Cast:
    time_machine.move_to(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC))
    npo = Organisation.objects.create(name="NPO法人つなぐ", kind=Organisation.Kind.COORDINATING)
    coordinator = UserFactory(username="coord", display_name="佐藤（コーディネーター）", email="coord@example.jp")
    owner = UserFactory(username="owner", display_name="田中（発注者）", email="owner@example.jp")
    worker = UserFactory(username="worker", display_name="鈴木", email="worker@example.jp")
    second = UserFactory(username="second", display_name="高橋", email="second@example.jp")
    outsider = UserFactory(username="outsider", display_name="伊藤", email="outsider@example.jp")
    Membership.objects.create(organisation=npo, user=coordinator, role=Membership.Role.COORDINATOR)
    entry = Skill.objects.create(name="データ入力")
    research = Skill.objects.create(name="Web調査")
    for person in (worker, second, outsider):
        Membership.objects.create(organisation=npo, user=person, role=Membership.Role.WORKER)
        WorkerSkill.objects.create(user=person, skill=entry)
    WorkerSkill.objects.create(user=worker, skill=research)
    project = services.project_request(owner=owner, coordinator=coordinator, title="自治体公募データベースの構築",
                                       deliverable="自治体ごとの公募一覧（出典つき）", deadline=TODAY + datetime.timedelta(days=60),
                                       budget_yen=110_000, today=TODAY)
    terms = services.terms_propose(project=project, by=coordinator, acceptance_criteria="出典URLがあり二重チェック済み",
                                   revision_rounds=2, review_window_days=7, change_request_definition="対象自治体の追加",
                                   payment_rule=PaymentRule.POINTS, points_yen=2500, coordinator_fee_percent=Decimal("10"))
    services.terms_confirm(terms=terms, by=coordinator)
    services.terms_confirm(terms=terms, by=owner)
    services.team_add(project=project, by=coordinator, worker=worker, offered_hours=10)
    services.team_add(project=project, by=coordinator, worker=second, offered_hours=6)
    return Cast(npo=npo, coordinator=coordinator, owner=owner, worker=worker, second=second, outsider=outsider,
                project=Project.objects.get(pk=project.pk), entry=entry, research=research)
