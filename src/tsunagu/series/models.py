"""A recurring call (the same call across years) and its editions, with the predicted next edition.

Membership is kept in step with every write of a notice (see receivers.py), so every notice belongs to exactly
one series; a series of one edition is just a call that hasn't recurred (yet). Pages show series of two or more.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tsunagu.municipalities.models import Municipality
from tsunagu.notices.models import Notice, NoticeKind


class CallSeriesQuerySet(models.QuerySet):
    def recurring(self) -> "CallSeriesQuerySet":
        """Series with two or more editions: calls that did recur."""
        return self.filter(edition_count__gte=2)


class CallSeries(models.Model):
    """The editions of one call in the same municipality and department: equal titles once year and round
    markers are removed (`notice_series_key`), or, where a title differs a little, the same description."""

    class Part(models.TextChoices):
        EARLY = "early", _("上旬")
        MIDDLE = "middle", _("中旬")
        LATE = "late", _("下旬")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="call_series")
    department = models.CharField("担当課", max_length=200, blank=True)
    key = models.CharField("シリーズキー", max_length=500)  # notice_series_key of the first edition linked
    description_key = models.CharField("概要キー", max_length=40, blank=True)  # see linking.description_key
    title = models.CharField("案件名（最新回）", max_length=500)
    kind = models.CharField("公募種別（最新回）", max_length=30, choices=NoticeKind.choices)
    edition_count = models.PositiveIntegerField("回数", default=0)
    first_published_on = models.DateField("初回公告日", null=True, blank=True)
    last_published_on = models.DateField("最新回公告日", null=True, blank=True)

    # The next edition, estimated from the past ones (None: fewer than two fiscal years to go on).
    predicted_fiscal_year = models.PositiveIntegerField("予定年度", null=True, blank=True)
    predicted_on = models.DateField("公告予定日（推定）", null=True, blank=True)
    predicted_from = models.DateField("公告予定期間（から）", null=True, blank=True)
    predicted_to = models.DateField("公告予定期間（まで）", null=True, blank=True)
    predicted_budget_yen = models.BigIntegerField("予定額（推定）", null=True, blank=True)
    predicted_budget_low = models.BigIntegerField("予定額の下限（推定）", null=True, blank=True)
    predicted_budget_high = models.BigIntegerField("予定額の上限（推定）", null=True, blank=True)
    basis_years = models.PositiveIntegerField("推定に使った年度数", default=0)
    basis_month = models.PositiveSmallIntegerField("例年の公告月", null=True, blank=True)
    basis_part = models.CharField("例年の公告時期", max_length=10, choices=Part.choices, blank=True)

    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = CallSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["-last_published_on", "-id"]
        verbose_name = "公募シリーズ"
        verbose_name_plural = "公募シリーズ"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "department", "key"], name="series_unique_key"),
            models.CheckConstraint(
                condition=Q(predicted_on__isnull=True)
                | Q(predicted_from__lte=models.F("predicted_on"), predicted_to__gte=models.F("predicted_on")),
                name="series_prediction_window_holds_the_date",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "department", "description_key"], name="series_description_idx"),
            models.Index(fields=["predicted_on"], name="series_predicted_on_idx"),  # upcoming: soonest first
            models.Index(fields=["edition_count"], name="series_edition_count_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("series:detail", args=[self.pk])

    @property
    def has_prediction(self) -> bool:
        return self.predicted_on is not None

    @property
    def basis_text(self) -> str:
        """Why the window is where it is, e.g. 「過去4回: 毎年5月上旬に公告」."""
        if not self.has_prediction:
            return ""
        return _("過去%(years)d回: 毎年%(month)d月%(part)sに公告") % {
            "years": self.basis_years, "month": self.basis_month, "part": self.get_basis_part_display(),
        }


class SeriesEdition(models.Model):
    """One notice as an edition of its series (every notice has exactly one)."""

    series = models.ForeignKey(CallSeries, on_delete=models.CASCADE, related_name="editions")
    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="series_edition")

    class Meta:
        verbose_name = "シリーズの回"
        verbose_name_plural = "シリーズの回"

    def __str__(self) -> str:
        return f"{self.series_id}: {self.notice_id}"
