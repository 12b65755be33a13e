"""Facts for analytics: one narrow row per notice, per award and per (notice, 分野), kept in step with every write.

Why a copy: analytics read every matching notice (a broad search is a fifth of a million notices). The notice
rows are wide (descriptions, eligibility text), so scanning them reads most of the database, and counting awards
by a notice's kind would join two large tables; these rows hold only what is filtered on and counted, already
derived with the one definition of each value (`Notice.fiscal_year`,
`Notice.last_deadline`, `Award.award_ratio`), so SQLite and PostgreSQL count the same integers. They are written
in the writer's own transaction (`insights.receivers`), never by a cascade: their keys are the records' ids
without database constraints, so deleting a record never has to visit its facts one by one; and `tsunagu rebuild_insights --check` compares them with
the records.
"""

from django.db import models

from tsunagu.municipalities.models import Municipality
from tsunagu.notices.models import Award, Notice, Organisation


class NoticeDimensions(models.Model):
    """What a search filters on, copied from the notice onto each fact, so every count is one table read through an
    index that starts with the filter and holds the counted column (SQLite then counts index entries in order
    instead of joining and sorting rows: a broad count costs ~0.1 µs a notice)."""

    kind = models.CharField(max_length=30)
    prefecture = models.CharField(max_length=2)  # 01..47
    municipality = models.ForeignKey(Municipality, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()  # 年度 of publication (Notice.fiscal_year)
    published_on = models.DateField()
    final_deadline = models.DateField(null=True)  # Notice.last_deadline
    budget_yen = models.BigIntegerField(null=True)
    npo_eligible = models.BooleanField(null=True)
    cancelled = models.BooleanField(default=False)
    results = models.PositiveSmallIntegerField(default=0)  # awards (落札結果) of the notice

    class Meta:
        abstract = True


class NoticeFact(NoticeDimensions):
    """What analytics count about one notice (公募)."""

    notice = models.OneToOneField(Notice, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    budget_bin = models.PositiveSmallIntegerField(null=True)  # index into insights.bins.BUDGET_BINS; null: no 上限額
    bidders = models.PositiveIntegerField(null=True)  # 応札者数 given with its results (the largest if several)

    class Meta:
        indexes = [
            # In GROUP BY order: a kind's notices are counted by 年度, prefecture and budget in one ordered pass.
            models.Index(fields=["kind", "fiscal_year", "prefecture", "budget_bin", "results"], name="fact_kind_cube_idx"),
            models.Index(fields=["kind", "bidders", "results"], name="fact_kind_bidders_idx"),
            # A prefecture (with or without a kind) and a kind with a 公告日 range, each holding every counted column:
            # the page's common drill-downs read one index range instead of looking each notice up.
            models.Index(fields=["prefecture", "kind", "fiscal_year", "budget_bin", "results", "bidders"],
                         name="fact_prefecture_kind_idx"),
            models.Index(fields=["kind", "published_on", "fiscal_year", "prefecture", "budget_bin", "results", "bidders"],
                         name="fact_kind_published_idx"),
            models.Index(fields=["municipality", "fiscal_year"], name="fact_municipality_idx"),
            models.Index(fields=["published_on"], name="fact_published_idx"),
        ]


class AwardFact(NoticeDimensions):
    """What analytics count about one award (落札結果), with its notice's dimensions."""

    class Missing(models.TextChoices):
        """Why an award has no 落札率: the order of `Award.award_ratio`'s own checks."""

        NONE = "", ""
        NO_AMOUNT = "no_amount", "落札金額がない"
        NO_ESTIMATE = "no_estimate", "予定価格がない"
        BASIS_UNKNOWN = "basis_unknown", "税区分が不明"
        BASIS_DIFFERS = "basis_differs", "税込・税抜が揃わない"

    award = models.OneToOneField(Award, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    notice = models.ForeignKey(NoticeFact, on_delete=models.DO_NOTHING, db_constraint=False, related_name="awards")
    winner = models.ForeignKey(Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    amount_yen = models.BigIntegerField(null=True)
    ratio = models.PositiveIntegerField(null=True)  # 落札率 in parts per 10,000 (Award.award_ratio × 10,000)
    ratio_missing = models.CharField(max_length=20, choices=Missing.choices, blank=True)
    awarded_on = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "ratio", "ratio_missing"], name="awardfact_kind_ratio_idx"),
            models.Index(fields=["kind", "winner", "amount_yen", "ratio"], name="awardfact_kind_winner_idx"),
            # As on NoticeFact, holding what the 落札率 and winner counts read; and by notice for ids from the search.
            models.Index(fields=["prefecture", "kind", "winner", "ratio", "ratio_missing", "amount_yen"],
                         name="awardfact_prefecture_kind_idx"),
            models.Index(fields=["kind", "published_on", "winner", "ratio", "ratio_missing", "amount_yen"],
                         name="awardfact_kind_published_idx"),
            models.Index(fields=["winner", "ratio"], name="awardfact_winner_idx"),
            models.Index(fields=["notice", "winner", "ratio", "ratio_missing", "amount_yen"], name="awardfact_notice_idx"),
            models.Index(fields=["municipality"], name="awardfact_municipality_idx"),
        ]


class CategoryFact(NoticeDimensions):
    """One 分野 of one notice (a notice has several or none), with the notice's dimensions."""

    notice = models.ForeignKey(NoticeFact, on_delete=models.DO_NOTHING, db_constraint=False, related_name="categories")
    category = models.TextField()  # as stored: 分野 have no length limit

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "category"], name="categoryfact_unique")]
        indexes = [
            models.Index(fields=["kind", "category", "results"], name="categoryfact_kind_idx"),
            models.Index(fields=["category", "notice"], name="categoryfact_category_idx"),
            models.Index(fields=["prefecture", "kind", "category", "results"], name="categoryfact_prefecture_idx"),
            models.Index(fields=["kind", "published_on", "category", "results"], name="categoryfact_published_idx"),
            models.Index(fields=["notice", "category", "results"], name="categoryfact_notice_idx"),
            models.Index(fields=["municipality"], name="categoryfact_municipality_idx"),
        ]
