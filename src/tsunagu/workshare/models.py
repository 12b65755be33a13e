"""Work sharing: a project from the owner's request to delivery, shared by a team on one board.

A project has agreed terms (versioned: acceptance criteria, the revision policy, the payment rule), work elements
(作業要素) each with a primary and a backup who are different people, submissions reviewed against the policy,
change requests for what goes beyond it, and time entries. The database holds the invariants (one holder per
element, primary ≠ backup, rounds within the policy)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Organisation, Skill


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProjectQuerySet":
        """Owners see their projects, coordinators their organisation's, workers the projects of their teams."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(owner=user) | Q(organisation__memberships__user=user, organisation__memberships__role="coordinator")
            | Q(team__user=user, team__active=True)
        ).distinct()


class Project(models.Model):
    class Status(models.TextChoices):
        INTAKE = "intake", _("相談中")
        AGREED = "agreed", _("条件合意済み")
        RUNNING = "running", _("進行中")
        DELIVERED = "delivered", _("納品済み")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="projects",
                                     verbose_name="コーディネート団体")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_projects",
                              verbose_name="発注者")
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coordinated_projects",
                                    verbose_name="コーディネーター")
    title = models.CharField("案件名", max_length=200)
    background = models.TextField("背景", blank=True)
    goal = models.TextField("目的", blank=True)
    deliverable = models.TextField("納品物")
    deadline = models.DateField("納期")
    budget_yen = models.PositiveBigIntegerField("予算（円）")
    intake_notes = models.TextField("相談の記録", blank=True)
    status = models.CharField("状態", max_length=20, choices=Status.choices, default=Status.INTAKE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "プロジェクト"
        verbose_name_plural = "プロジェクト"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def current_terms(self) -> "Terms | None":
        return self.terms.filter(owner_confirmed_at__isnull=False, coordinator_confirmed_at__isnull=False).first()


class PaymentRule(models.TextChoices):
    POINTS = "points", _("受け入れた作業要素ごとのポイント")
    HOURLY = "hourly", _("時間 × 単価")
    MIXED = "mixed", _("ポイントと時間の組み合わせ（待機の手当つき）")


class Terms(models.Model):
    """The written agreement between owner and coordinator; a new version for every change, both confirm."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="terms")
    version = models.PositiveSmallIntegerField("版")
    acceptance_criteria = models.TextField("受け入れ基準")
    revision_rounds = models.PositiveSmallIntegerField("含まれる修正の回数", default=2)
    review_window_days = models.PositiveSmallIntegerField("確認期間（日）", default=7)
    change_request_definition = models.TextField("修正ではなく変更依頼になるもの")
    payment_rule = models.CharField("支払いのルール", max_length=20, choices=PaymentRule.choices)
    points_yen = models.PositiveIntegerField("1ポイントの金額（円）", default=0)
    hourly_rate_yen = models.PositiveIntegerField("時間単価（円）", default=0)
    standby_yen_per_element = models.PositiveIntegerField("バックアップ待機の手当（作業要素ごと、円）", default=0)
    coordinator_fee_percent = models.DecimalField("コーディネート手数料（%）", max_digits=5, decimal_places=2, default=Decimal("10"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    owner_confirmed_at = models.DateTimeField("発注者の確認", null=True, blank=True)
    coordinator_confirmed_at = models.DateTimeField("コーディネーターの確認", null=True, blank=True)

    class Meta:
        verbose_name = "合意した条件"
        verbose_name_plural = "合意した条件"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="terms_version_once"),
            models.CheckConstraint(condition=Q(review_window_days__gte=1), name="terms_review_window_positive"),
            models.CheckConstraint(condition=Q(coordinator_fee_percent__gte=0, coordinator_fee_percent__lte=50),
                                   name="terms_fee_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.project} 第{self.version}版"

    @property
    def is_agreed(self) -> bool:
        return bool(self.owner_confirmed_at and self.coordinator_confirmed_at)


class TeamMember(models.Model):
    """A worker on a project's team, with the hours a week they offered when they joined."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="teams")
    offered_hours = models.PositiveSmallIntegerField("週に出せる時間")
    active = models.BooleanField("参加中", default=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "チームメンバー"
        verbose_name_plural = "チームメンバー"
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="team_member_once")]


class ElementQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ElementQuerySet":
        return self.filter(project__in=Project.objects.visible_to(user))


class WorkElement(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("未着手")
        CLAIMED = "claimed", _("担当決定")
        IN_PROGRESS = "in_progress", _("作業中")
        SUBMITTED = "submitted", _("提出済み")
        REVISION_REQUESTED = "revision_requested", _("修正依頼")
        ACCEPTED = "accepted", _("受け入れ")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="elements")
    title = models.CharField("作業要素", max_length=200)
    instructions = models.TextField("手順", blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="elements", verbose_name="必要なスキル")
    estimated_hours = models.DecimalField("見込み時間", max_digits=5, decimal_places=1)
    due_on = models.DateField("期限")
    checklist = models.JSONField("受け入れチェックリスト", default=list, blank=True)
    group_key = models.CharField("まとまり（同じ人が続けて担当）", max_length=100, blank=True)
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents",
                                        verbose_name="先に終わっている必要があるもの")
    primary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="primary_elements", verbose_name="担当")
    backup = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="backup_elements", verbose_name="バックアップ")
    status = models.CharField("状態", max_length=20, choices=Status.choices, default=Status.OPEN)
    revision_rounds_used = models.PositiveSmallIntegerField("使った修正の回数", default=0)
    progress_note = models.TextField("最新の進み具合", blank=True)
    partial_work = models.TextField("途中までの作業（引き継ぎ用）", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ElementQuerySet.as_manager()

    class Meta:
        verbose_name = "作業要素"
        verbose_name_plural = "作業要素"
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(primary__isnull=True) | Q(backup__isnull=True) | ~Q(primary=F("backup")),
                                   name="element_backup_is_another_person"),
            models.CheckConstraint(condition=Q(status="open") | Q(primary__isnull=False), name="element_held_has_a_primary"),
            models.CheckConstraint(condition=Q(estimated_hours__gt=0), name="element_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status != self.Status.ACCEPTED and self.due_on < today


class Submission(models.Model):
    element = models.ForeignKey(WorkElement, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("提出メモ", blank=True)
    checklist_done = models.JSONField("確認したチェック項目", default=list)
    submitted_at = models.DateTimeField(auto_now_add=True)
    review_due_at = models.DateTimeField("確認の期限（過ぎると自動で受け入れ）")

    class Decision(models.TextChoices):
        PENDING = "pending", _("確認待ち")
        ACCEPTED = "accepted", _("受け入れ")
        AUTO_ACCEPTED = "auto_accepted", _("確認期間が過ぎて自動で受け入れ")
        REVISION = "revision", _("修正依頼")

    decision = models.CharField("結果", max_length=20, choices=Decision.choices, default=Decision.PENDING)
    review_comment = models.TextField("確認のコメント", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "提出"
        verbose_name_plural = "提出"
        ordering = ["-submitted_at"]


class ChangeRequest(models.Model):
    """A request beyond the agreed revision rounds: the owner approves it with its price or time, or declines."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("発注者の承認待ち")
        APPROVED = "approved", _("承認")
        DECLINED = "declined", _("見送り")

    element = models.ForeignKey(WorkElement, on_delete=models.CASCADE, related_name="change_requests")
    description = models.TextField("変更の内容")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    price_yen = models.PositiveIntegerField("追加の費用（円）", default=0)
    extra_days = models.PositiveSmallIntegerField("延ばす日数", default=0)
    status = models.CharField("状態", max_length=20, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "変更依頼"
        verbose_name_plural = "変更依頼"


class Handoff(models.Model):
    """「続けられません」: the element went to the backup (or back to the pool) with a note. No blame is recorded."""

    element = models.ForeignKey(WorkElement, on_delete=models.CASCADE, related_name="handoffs")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField("引き継ぎメモ", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "引き継ぎ"
        verbose_name_plural = "引き継ぎ"


class TimeEntry(models.Model):
    element = models.ForeignKey(WorkElement, on_delete=models.CASCADE, related_name="time_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries")
    worked_on = models.DateField("日付")
    minutes = models.PositiveSmallIntegerField("分")
    memo = models.CharField("メモ", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "作業時間"
        verbose_name_plural = "作業時間"
        ordering = ["-worked_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(minutes__gt=0, minutes__lte=24 * 60), name="time_entry_minutes_in_a_day")]


class TeamFeedback(models.Model):
    """What the owner or coordinator says about the work, addressed to the whole team (no individual ratings)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="feedback")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("フィードバック")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "チームへのフィードバック"
        verbose_name_plural = "チームへのフィードバック"
        ordering = ["-created_at"]


class Recruitment(models.Model):
    """A call for workers the coordinator opens to the NPO's workers: the skills and hours the project needs."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="recruitments")
    message = models.TextField("呼びかけ")
    skills = models.ManyToManyField(Skill, blank=True, related_name="recruitments", verbose_name="求めるスキル")
    hours_per_week = models.PositiveSmallIntegerField("1人あたり週の時間（目安）")
    closes_on = models.DateField("締切")
    is_open = models.BooleanField("募集中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "メンバー募集"
        verbose_name_plural = "メンバー募集"
        ordering = ["-created_at"]


class Application(models.Model):
    """A worker's answer to a call: the hours a week they can give."""

    class Status(models.TextChoices):
        PENDING = "pending", _("検討中")
        ACCEPTED = "accepted", _("チームへ")
        DECLINED = "declined", _("今回は見送り")

    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="applications")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications")
    offered_hours = models.PositiveSmallIntegerField("週に出せる時間")
    note = models.TextField("ひとこと", blank=True)
    status = models.CharField("状態", max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "応募"
        verbose_name_plural = "応募"
        constraints = [models.UniqueConstraint(fields=["recruitment", "worker"], name="application_once"),
                       models.CheckConstraint(condition=Q(offered_hours__gte=1, offered_hours__lte=80),
                                              name="application_hours_in_range")]
