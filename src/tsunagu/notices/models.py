"""Calls (公募) and their results (落札結果), aligned with OCDS names where OCDS has them.

Notice ≈ OCDS tender, Award ≈ OCDS award, Organisation ≈ OCDS party (supplier/tenderer).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from tsunagu.core.choices import TaxBasis
from tsunagu.municipalities.models import Municipality


class NoticeKind(models.TextChoices):
    PROPOSAL = "proposal", _("公募型プロポーザル")
    PLANNING_COMPETITION = "planning_competition", _("企画競争")
    OPEN_TENDER = "open_tender", _("一般競争入札")
    SELECTIVE_TENDER = "selective_tender", _("指名競争入札")
    NEGOTIATED = "negotiated", _("随意契約")
    DESIGNATED_MANAGER = "designated_manager", _("指定管理者")
    GRANT = "grant", _("補助金・助成金")
    COLLABORATION = "collaboration", _("協働事業提案")
    OTHER = "other", _("その他")


class NoticeStatus(models.TextChoices):
    PLANNED = "planned", _("予定")
    OPEN = "open", _("募集中")
    CLOSED = "closed", _("締切")
    AWARDED = "awarded", _("結果公表")
    CANCELLED = "cancelled", _("中止")


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportRunQuerySet":
        """Coordinators and staff see every run (the team shares the data); nobody else sees any."""
        if user.is_authenticated and getattr(user, "is_coordinator", False):
            return self
        return self.none()


class ImportRun(models.Model):
    """One import of one file: from the command line or uploaded by a coordinator."""

    class Kind(models.TextChoices):
        NOTICES = "notices", _("公募情報")
        AWARDS = "awards", _("落札結果")

    class Status(models.TextChoices):
        PENDING = "pending", _("待機中")
        CHECKING = "checking", _("確認中")
        CHECKED = "checked", _("確認済み")
        IMPORTING = "importing", _("取り込み中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")
        CANCELLED = "cancelled", _("取り消し")

    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    status = models.CharField("状態", max_length=20, choices=Status.choices, default=Status.PENDING)
    dry_run = models.BooleanField("確認のみ", default=False)
    file = models.FileField("ファイル", upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField("ファイル名", max_length=255)
    sheet = models.CharField("シート名", max_length=100, blank=True)
    language = models.CharField("言語", max_length=10, default="ja")  # the uploader's: the report is written in it
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    started_at = models.DateTimeField("開始日時", null=True, blank=True)
    finished_at = models.DateTimeField("終了日時", null=True, blank=True)
    rows_total = models.PositiveIntegerField("行数", null=True, blank=True)
    rows_processed = models.PositiveIntegerField("処理済み行数", default=0)
    created = models.PositiveIntegerField("新規", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("変更なし", default=0)
    rejected = models.PositiveIntegerField("不正", default=0)
    errors = models.JSONField("エラー", default=list, blank=True)
    errors_truncated = models.BooleanField(default=False)
    error_file = models.FileField("エラーファイル", upload_to="import-errors/%Y/%m/", blank=True)
    failure = models.TextField("失敗理由", blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "取り込み"
        verbose_name_plural = "取り込み"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.CHECKED, self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED}

    @property
    def can_confirm(self) -> bool:
        """Checked and waiting, or a real import that failed part-way and can carry on."""
        return self.status == self.Status.CHECKED or (self.status == self.Status.FAILED and not self.dry_run)

    @property
    def progress_percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, round(100 * self.rows_processed / self.rows_total))


class Provenance(models.Model):
    """Who and what put a record here: every record keeps it."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField("出典", max_length=300, blank=True)  # "import:file.csv", "web", "demo"
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField("デモデータ", default=False)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        abstract = True


class NoticeQuerySet(models.QuerySet):
    def with_status(self, today: datetime.date | None = None) -> "NoticeQuerySet":
        """Annotate `current_status` in SQL with the same rule as `Notice.status_on`."""
        today = today or timezone.localdate()
        # GREATEST ignores NULLs on PostgreSQL but not on SQLite: coalesce both sides so it is the same on both.
        last_deadline = Greatest(
            Coalesce("submission_deadline", "application_deadline"),
            Coalesce("application_deadline", "submission_deadline"),
        )
        return self.annotate(
            final_deadline=last_deadline,
            has_award=Exists(Award.objects.filter(notice=OuterRef("pk"))),
        ).annotate(
            current_status=Case(
                When(cancelled=True, then=Value(NoticeStatus.CANCELLED.value)),
                When(has_award=True, then=Value(NoticeStatus.AWARDED.value)),
                When(published_on__gt=today, then=Value(NoticeStatus.PLANNED.value)),
                When(final_deadline__lt=today, then=Value(NoticeStatus.CLOSED.value)),
                default=Value(NoticeStatus.OPEN.value),
                output_field=models.CharField(),
            ),
        )


class Notice(Provenance):
    """A published call (公募): tender, proposal competition, designated-manager call, grant call, ..."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="notices")
    department = models.CharField("担当課", max_length=200, blank=True)
    external_id = models.CharField("管理ID", max_length=100, blank=True)
    fingerprint = models.CharField("同一性キー", max_length=40, db_index=True)
    title = models.CharField("案件名", max_length=500)
    title_key = models.CharField("案件名（正規化）", max_length=500)  # notice_title_key(title)
    description = models.TextField("概要", blank=True)
    kind = models.CharField("公募種別", max_length=30, choices=NoticeKind.choices)
    categories = models.JSONField("分野", default=list, blank=True)

    published_on = models.DateField("公告日")
    enquiry_deadline = models.DateField("質問締切", null=True, blank=True)
    enquiry_deadline_time = models.TimeField("質問締切時刻", null=True, blank=True)
    application_deadline = models.DateField("参加申込締切", null=True, blank=True)
    application_deadline_time = models.TimeField("参加申込締切時刻", null=True, blank=True)
    submission_deadline = models.DateField("提出期限", null=True, blank=True)
    submission_deadline_time = models.TimeField("提出期限時刻", null=True, blank=True)

    budget_yen = models.BigIntegerField("上限額（円）", null=True, blank=True)
    budget_tax_basis = models.CharField("税区分", max_length=10, choices=TaxBasis.choices, default=TaxBasis.UNKNOWN)
    budget_text = models.CharField("上限額（原文）", max_length=200, blank=True)
    contract_period = models.CharField("契約期間", max_length=300, blank=True)
    eligibility = models.TextField("参加資格", blank=True)
    npo_eligible = models.BooleanField("NPO参加可", null=True, blank=True)
    source_url = models.URLField("URL", max_length=1000, blank=True)
    notes = models.TextField("備考", blank=True)
    cancelled = models.BooleanField("中止", default=False)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = "公募"
        verbose_name_plural = "公募"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "external_id"],
                condition=~Q(external_id=""),
                name="notice_unique_external_id_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["municipality", "fingerprint"],
                condition=Q(external_id=""),
                name="notice_unique_fingerprint_without_external_id",
            ),
            models.CheckConstraint(condition=Q(budget_yen__gte=0) | Q(budget_yen__isnull=True), name="notice_budget_non_negative"),
        ]
        indexes = [
            models.Index(fields=["published_on"], name="notice_published_on_idx"),
            models.Index(fields=["kind", "published_on"], name="notice_kind_published_idx"),
            models.Index(fields=["municipality", "title_key"], name="notice_municipality_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("notices:detail", args=[self.pk])

    @property
    def last_deadline(self) -> datetime.date | None:
        dates = [d for d in (self.application_deadline, self.submission_deadline) if d]
        return max(dates) if dates else None

    def status_on(self, today: datetime.date, *, has_award: bool) -> str:
        """予定 before publication, 募集中 until the last deadline, then 締切; results and cancellation win."""
        if self.cancelled:
            return NoticeStatus.CANCELLED
        if has_award:
            return NoticeStatus.AWARDED
        if self.published_on > today:
            return NoticeStatus.PLANNED
        last = self.last_deadline
        if last is not None and last < today:
            return NoticeStatus.CLOSED
        return NoticeStatus.OPEN

    @property
    def status(self) -> str:
        annotated = getattr(self, "current_status", None)
        if annotated is not None:
            return annotated
        return self.status_on(timezone.localdate(), has_award=self.awards.exists())

    @property
    def status_label(self) -> str:
        return NoticeStatus(self.status).label

    @property
    def kind_label(self) -> str:
        """`get_kind_display` for lists: it translates every choice to find one, this only the one."""
        return NoticeKind(self.kind).label

    @property
    def fiscal_year(self) -> int:
        """年度 of publication: April to March."""
        return self.published_on.year if self.published_on.month >= 4 else self.published_on.year - 1


class NoticeRevision(models.Model):
    """One change to a notice: who, when, from where, and each field's old and new value."""

    class Kind(models.TextChoices):
        CREATED = "created", _("登録")
        UPDATED = "updated", _("更新")
        CORRECTION = "correction", _("訂正公告")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    changed_at = models.DateTimeField("日時", default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField("出典", max_length=300, blank=True)
    changes = models.JSONField("変更内容", default=dict)  # {field: [old, new]}, values as JSON-ready text
    note = models.TextField("メモ", blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "公募の変更履歴"
        verbose_name_plural = "公募の変更履歴"

    def __str__(self) -> str:
        return f"{self.notice_id} {self.get_kind_display()} {self.changed_at:%Y-%m-%d %H:%M}"


class Organisation(Provenance):
    """A supplier or bidder. `normalized_name` makes 株式会社A, (株)A and ㈱Ａ one organisation."""

    name = models.CharField("名称", max_length=300)
    normalized_name = models.CharField("正規化名称", max_length=300)
    corporate_number = models.CharField("法人番号", max_length=13, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "事業者"
        verbose_name_plural = "事業者"
        constraints = [
            models.UniqueConstraint(
                fields=["normalized_name"],
                condition=Q(corporate_number__isnull=True),
                name="organisation_unique_name_without_corporate_number",
            ),
            models.CheckConstraint(
                condition=Q(corporate_number__isnull=True) | Q(corporate_number__regex=r"^[0-9]{13}$"),
                name="organisation_corporate_number_13_digits",
            ),
        ]
        indexes = [models.Index(fields=["normalized_name"], name="organisation_norm_name_idx")]

    def __str__(self) -> str:
        return self.name


class Award(Provenance):
    """A result (落札結果・選定結果): who won a notice, at what price, against how many."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="awards")
    winner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="awards")
    amount_yen = models.BigIntegerField("落札金額（円）", null=True, blank=True)
    amount_tax_basis = models.CharField("落札金額の税区分", max_length=10, choices=TaxBasis.choices, default=TaxBasis.UNKNOWN)
    estimated_value_yen = models.BigIntegerField("予定価格（円）", null=True, blank=True)
    estimated_value_tax_basis = models.CharField(
        "予定価格の税区分", max_length=10, choices=TaxBasis.choices, default=TaxBasis.UNKNOWN
    )
    bidders = models.PositiveIntegerField("応札者数", null=True, blank=True)
    awarded_on = models.DateField("決定日", null=True, blank=True)
    score = models.DecimalField("評価点", max_digits=8, decimal_places=2, null=True, blank=True)
    notes = models.TextField("備考", blank=True)

    class Meta:
        ordering = ["notice", "id"]
        verbose_name = "落札結果"
        verbose_name_plural = "落札結果"
        constraints = [
            models.UniqueConstraint(fields=["notice", "winner"], name="award_unique_winner_per_notice"),
            models.CheckConstraint(condition=Q(amount_yen__gte=0) | Q(amount_yen__isnull=True), name="award_amount_non_negative"),
            models.CheckConstraint(
                condition=Q(estimated_value_yen__gt=0) | Q(estimated_value_yen__isnull=True),
                name="award_estimated_value_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.winner}"

    @property
    def award_ratio(self) -> Decimal | None:
        """落札率 = amount / estimated value, only when both are on the same known tax basis (else None)."""
        if self.amount_yen is None or not self.estimated_value_yen:
            return None
        if self.amount_tax_basis != self.estimated_value_tax_basis or self.amount_tax_basis == TaxBasis.UNKNOWN:
            return None
        return (Decimal(self.amount_yen) / Decimal(self.estimated_value_yen)).quantize(Decimal("0.0001"))
