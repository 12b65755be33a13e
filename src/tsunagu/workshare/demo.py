"""The local demo of work sharing: the demo accounts in an NPO, a municipal-calls collection project with agreed
terms, one element per Tokyo ward from the template, the planner's assignments and a few elements under way."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import AvailabilityWindow, Membership, Organisation, Profile, Skill, User, WorkerSkill

from . import services
from .models import PaymentRule, Project

DEMO_PROJECT_TITLE = "自治体公募データベースの構築（東京23区）"
SKILLS = ["データ入力", "Web調査", "表計算", "執筆", "デザイン", "翻訳", "経理"]


def _ward_codes() -> list[str]:
    from tsunagu.municipalities.models import Municipality

    return list(Municipality.objects.filter(lg_code__startswith="131", name__endswith="区").order_by("lg_code")
                .values_list("lg_code", flat=True)[:23])


@transaction.atomic
def demo_project_ensure(*, today: datetime.date | None = None) -> Project | None:
    """Build the demo project once (None when it exists already). Needs the demo accounts (ensure_demo_users)."""
    if Project.objects.filter(title=DEMO_PROJECT_TITLE).exists():
        return None
    today = today or timezone.localdate()
    people = {u.username: u for u in User.objects.filter(username__in=["coordinator", "owner", "worker", "worker2"])}
    if len(people) < 4:
        raise ValueError("the demo accounts are missing: run `tsunagu ensure_demo_users` first")
    npo, _created = Organisation.objects.get_or_create(name="NPO法人つなぐ（デモ）", kind=Organisation.Kind.COORDINATING)
    Membership.objects.get_or_create(organisation=npo, user=people["coordinator"], role=Membership.Role.COORDINATOR)
    skills = {name: Skill.objects.get_or_create(name=name)[0] for name in SKILLS}
    for username, weekly, windows, extra in (("worker", 10, [(0, 4, "09:30", "14:00")], ["Web調査"]),
                                             ("worker2", 6, [(1, 3, "10:00", "12:00"), (5, 5, "09:00", "12:00")], ["表計算"])):
        user = people[username]
        Membership.objects.get_or_create(organisation=npo, user=user, role=Membership.Role.WORKER)
        Profile.objects.update_or_create(user=user, defaults={
            "introduction": "子育て中です。平日の午前に作業できます。", "region": "東京都", "weekly_hour_cap": weekly})
        for first, last, start, end in windows:
            for day in range(first, last + 1):
                AvailabilityWindow.objects.get_or_create(user=user, weekday=day, starts_at=start, ends_at=end)
        for name in ["データ入力", *extra]:
            WorkerSkill.objects.get_or_create(user=user, skill=skills[name])
    coordinator, owner = people["coordinator"], people["owner"]
    project = services.project_request(
        owner=owner, coordinator=coordinator, title=DEMO_PROJECT_TITLE, background="小さなNPOが自治体の公募を見落としている",
        goal="23区の公募を毎週もれなく集める", deliverable="区ごとの公募一覧（出典URLつき、二重チェック済み）",
        deadline=today + datetime.timedelta(days=56), budget_yen=300_000, today=today)
    terms = services.terms_propose(project=project, by=coordinator, acceptance_criteria="出典URLがあり、二人目が確認済みであること",
                                   revision_rounds=2, review_window_days=7, change_request_definition="対象自治体や項目の追加",
                                   payment_rule=PaymentRule.MIXED, points_yen=2000, standby_yen_per_element=300)
    services.terms_confirm(terms=terms, by=coordinator)
    services.terms_confirm(terms=terms, by=owner)
    services.team_add(project=project, by=coordinator, worker=people["worker"], offered_hours=10)
    services.team_add(project=project, by=coordinator, worker=people["worker2"], offered_hours=6)
    elements = services.elements_from_municipalities(
        project=project, by=coordinator, lg_codes=_ward_codes(), title_pattern="{municipality}の公募情報を集める",
        estimated_hours=Decimal("1.5"), due_on=today + datetime.timedelta(days=14), skills=[skills["データ入力"]],
        checklist=["出典URLを書いた", "締切日を確認した", "二人目が確認した"], today=today)
    plan = services.plan_suggest(project=project, by=coordinator, today=today, time_limit=3)
    services.plan_apply(project=project, by=coordinator,
                        assignments={e.pk: (plan.primary.get(e.pk), plan.backup.get(e.pk)) for e in elements})
    for element in project.elements.filter(primary__isnull=False)[:3]:
        element.refresh_from_db()
        services.element_progress(element=element, by=element.primary, note="一覧ページを確認中です")
    return project
