"""Collection: the pages where municipalities publish calls (sources), what the watcher saw there (snapshots), and the
new items it found (candidates, pre-filled, each field with the text it came from) for the team to enter and check."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagu.municipalities.models import Municipality


class Source(models.Model):
    class Kind(models.TextChoices):
        TENDER = "tender", _("入札・契約")
        PROPOSAL = "proposal", _("プロポーザル")
        DESIGNATED_MANAGER = "designated_manager", _("指定管理者")
        GRANT = "grant", _("補助金・助成金")
        RESULTS = "results", _("入札結果・選定結果")
        OTHER = "other", _("その他")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField("ページのURL", max_length=1000)
    kind = models.CharField("種類", max_length=30, choices=Kind.choices, default=Kind.OTHER)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    active = models.BooleanField("見守る", default=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_checked_at = models.DateTimeField("最後に見た時刻", null=True, blank=True)
    last_changed_at = models.DateTimeField("最後に変わった時刻", null=True, blank=True)
    last_error = models.CharField("最後のエラー", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "情報源"
        verbose_name_plural = "情報源"
        constraints = [models.UniqueConstraint(fields=["municipality", "url"], name="source_once_per_municipality")]

    def __str__(self) -> str:
        return f"{self.municipality} {self.url}"


class Snapshot(models.Model):
    """A page as the watcher found it when it changed: kept so an entry can be checked against its source."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    url = models.URLField(max_length=1000)
    fetched_at = models.DateTimeField()
    content_type = models.CharField(max_length=100)
    encoding = models.CharField(max_length=30, blank=True)
    sha256 = models.CharField(max_length=64)
    text = models.TextField("本文（テキスト）")

    class Meta:
        verbose_name = "スナップショット"
        verbose_name_plural = "スナップショット"
        ordering = ["-fetched_at"]


class Candidate(models.Model):
    """A new item the watcher found, pre-filled for entry: `fields` maps a field to {"value", "evidence"}."""

    class Status(models.TextChoices):
        NEW = "new", _("未入力")
        ENTERED = "entered", _("入力済み")
        DISMISSED = "dismissed", _("対象外")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="candidates")  # none: typed or pasted in by a person
    snapshot = models.ForeignKey(Snapshot, on_delete=models.SET_NULL, null=True, related_name="candidates")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="candidates")
    url = models.URLField("リンク先", max_length=1000, blank=True)
    title = models.CharField("件名", max_length=500)
    fields = models.JSONField("読み取った項目", default=dict)
    key = models.CharField(max_length=64)  # what makes it the same item next time (link, or title)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    found_at = models.DateTimeField()
    element = models.ForeignKey("workshare.WorkElement", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="candidates")  # the collection project's unit for its municipality
    needs_double_entry = models.BooleanField("二重入力する", default=False)
    gold = models.JSONField("正解（確認用レコード）", null=True, blank=True)  # known answers: entries are scored against them

    class Meta:
        verbose_name = "候補"
        verbose_name_plural = "候補"
        ordering = ["-found_at"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="candidate_once")]


class Entry(models.Model):
    """One person's entry of a candidate (the first, or a blind second one for double entry)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="entries")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fields = models.JSONField("入力した項目")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "入力"
        verbose_name_plural = "入力"
        constraints = [models.UniqueConstraint(fields=["candidate", "entered_by"], name="entry_once_per_person")]


class GoldScore(models.Model):
    """How an entry of a gold record matched the known answers: seen only by the person and coordinators."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="gold_score")
    fields_total = models.PositiveSmallIntegerField()
    fields_right = models.PositiveSmallIntegerField()
