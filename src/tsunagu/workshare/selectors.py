"""Work-sharing reads: the board, a member's week, statements."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from tsunagu.accounts.models import AvailabilityWindow

from .models import PaymentRule, Project, Submission, Terms, TeamMember, TimeEntry, WorkElement

BOARD_SORTS = {"due": ["due_on", "id"], "status": ["status", "due_on", "id"], "title": ["title", "id"],
               "hours": ["-estimated_hours", "id"]}


def board_elements(project: Project, *, status: str = "", person=None, sort: str = "due") -> QuerySet[WorkElement]:
    elements = project.elements.select_related("primary", "backup").prefetch_related("skills")
    if status in WorkElement.Status.values:
        elements = elements.filter(status=status)
    if person is not None:
        elements = elements.filter(Q(primary=person) | Q(backup=person))
    return elements.order_by(*BOARD_SORTS.get(sort, BOARD_SORTS["due"]))


@dataclass
class MemberWeek:
    member: TeamMember
    planned_hours: Decimal  # open work they hold as primary, due this week or overdue
    cap: int
    window_hours: float

    @property
    def over_cap(self) -> bool:
        return self.planned_hours > self.cap


def week_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = today - datetime.timedelta(days=today.weekday())
    return start, start + datetime.timedelta(days=6)


def active_members(project: Project) -> list[TeamMember]:
    return list(project.team.filter(active=True).select_related("user", "user__profile").order_by("user__username"))


def weekly_cap(member: TeamMember) -> int:
    """The hours a week a member gives: what they offered, within their profile's cap."""
    profile = getattr(member.user, "profile", None)
    return min(member.offered_hours, profile.weekly_hour_cap) if profile else member.offered_hours


def window_hours(members: list[TeamMember]) -> dict[int, float]:
    """Each member's hours in their weekly availability windows (one query for the team)."""
    hours: dict[int, float] = {m.user_id: 0.0 for m in members}
    for window in AvailabilityWindow.objects.filter(user_id__in=hours):
        hours[window.user_id] += window.hours
    return hours


def member_weeks(project: Project, *, today: datetime.date | None = None) -> list[MemberWeek]:
    """Each member's planned hours this week (unfinished elements they hold, due by Sunday) against their cap."""
    today = today or timezone.localdate()
    _monday, sunday = week_bounds(today)
    members = active_members(project)
    planned = dict(project.elements.filter(primary__in=[m.user_id for m in members], due_on__lte=sunday)
                   .exclude(status=WorkElement.Status.ACCEPTED).values_list("primary").annotate(h=Sum("estimated_hours")))
    windows = window_hours(members)
    return [MemberWeek(member=m, planned_hours=planned.get(m.user_id) or Decimal(0), cap=weekly_cap(m),
                       window_hours=windows[m.user_id]) for m in members]


@dataclass
class StatementLine:
    label: str
    quantity: Decimal
    unit_yen: int
    amount_yen: int


@dataclass
class Statement:
    worker: object
    month: str
    lines: list[StatementLine]

    @property
    def total_yen(self) -> int:
        return sum(line.amount_yen for line in self.lines)


def _yen(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def worker_statement(project: Project, worker, *, year: int, month: int) -> Statement:
    """What the published payment rule pays this worker for this month: accepted elements (points: 1 point per
    estimated hour), logged hours, standby as a backup on accepted elements."""
    terms: Terms = project.current_terms()
    start = datetime.date(year, month, 1)
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    lines: list[StatementLine] = []
    if terms is None:
        return Statement(worker=worker, month=f"{year}-{month:02d}", lines=lines)
    accepted = project.elements.filter(status=WorkElement.Status.ACCEPTED, accepted_at__date__gte=start,
                                       accepted_at__date__lte=end)
    if terms.payment_rule in (PaymentRule.POINTS, PaymentRule.MIXED):
        points = accepted.filter(primary=worker).aggregate(p=Sum("estimated_hours"))["p"] or Decimal(0)
        if points:
            lines.append(StatementLine("受け入れた作業要素のポイント", points, terms.points_yen, _yen(points * terms.points_yen)))
    if terms.payment_rule == PaymentRule.MIXED and terms.standby_yen_per_element:
        standby = accepted.filter(backup=worker).count()
        if standby:
            lines.append(StatementLine("バックアップ待機の手当", Decimal(standby), terms.standby_yen_per_element,
                                       standby * terms.standby_yen_per_element))
    if terms.payment_rule == PaymentRule.HOURLY:
        minutes = TimeEntry.objects.filter(element__project=project, user=worker, worked_on__gte=start,
                                           worked_on__lte=end).aggregate(m=Sum("minutes"))["m"] or 0
        if minutes:
            hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
            lines.append(StatementLine("作業時間", hours, terms.hourly_rate_yen, _yen(hours * terms.hourly_rate_yen)))
    return Statement(worker=worker, month=f"{year}-{month:02d}", lines=lines)


@dataclass
class ProjectCost:
    workers_yen: int
    fee_yen: int
    change_requests_yen: int
    budget_yen: int

    @property
    def total_yen(self) -> int:
        return self.workers_yen + self.fee_yen + self.change_requests_yen

    @property
    def remaining_yen(self) -> int:
        return self.budget_yen - self.total_yen


def project_cost(project: Project, *, months: list[tuple[int, int]]) -> ProjectCost:
    """The owner's cost against the budget: every worker's statements, the coordinator's fee (shown openly) and
    the approved change requests."""
    terms = project.current_terms()
    workers = {m.user for m in project.team.select_related("user")}
    paid = sum(worker_statement(project, w, year=y, month=m).total_yen for w in workers for y, m in months)
    fee = _yen(Decimal(paid) * terms.coordinator_fee_percent / 100) if terms else 0
    changes = project.elements.filter(change_requests__status="approved").aggregate(p=Sum("change_requests__price_yen"))["p"] or 0
    return ProjectCost(workers_yen=paid, fee_yen=fee, change_requests_yen=changes, budget_yen=project.budget_yen)


def pending_reviews(project: Project) -> QuerySet[Submission]:
    return Submission.objects.filter(element__project=project, decision=Submission.Decision.PENDING).select_related(
        "element", "submitted_by")
