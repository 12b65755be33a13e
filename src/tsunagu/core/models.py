from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who changed what, and when, in the records that money and trust hang on: terms, team, assignments, reviews,
    change requests, time. Written by the service that makes the change, in its transaction; never edited."""

    at = models.DateTimeField("日時", default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")  # None: the system (e.g. acceptance after the review window)
    action = models.CharField("操作", max_length=60)
    target_type = models.CharField("対象の種類", max_length=60)
    target_id = models.BigIntegerField("対象のID")
    project_id = models.BigIntegerField("プロジェクト", null=True, blank=True, db_index=True)
    summary = models.CharField("内容", max_length=300)
    changes = models.JSONField("変更", default=dict, blank=True)  # {field: [old, new]}

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "操作記録"
        verbose_name_plural = "操作記録"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"
