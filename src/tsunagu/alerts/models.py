"""Saved searches and follows, the alerts they produce, and how those alerts were delivered."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tsunagu.notices.models import Notice


class Frequency(models.TextChoices):
    INSTANT = "instant", _("すぐに")
    DAILY = "daily", _("毎朝（7時）にまとめて")
    WEEKLY = "weekly", _("毎週月曜の朝にまとめて")


class OwnedQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OwnedQuerySet":
        """A person's own rows only: saved searches, follows and tokens are nobody else's business."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class SavedSearch(models.Model):
    """A search (the canonical query string of the search page) that tells its owner about new matching notices."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField("名前", max_length=100)
    query_string = models.CharField("検索条件", max_length=2000, blank=True)
    frequency = models.CharField("頻度", max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    email_on = models.BooleanField("メールで受け取る", default=True)
    slack_webhook_url = models.URLField("Slack の Webhook URL", max_length=500, blank=True)
    paused = models.BooleanField("一時停止", default=False)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "保存した検索"
        verbose_name_plural = "保存した検索"

    def __str__(self) -> str:
        return self.name


class Follow(models.Model):
    """A person follows a notice: its 訂正, 中止, deadline changes and results are told to them.

    `seen` is the notice as last told (deadlines, cancellation, award ids, last revision id): a change is what
    differs from it, so each change is told once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="+")
    seen = models.JSONField(default=dict)
    email_on = models.BooleanField("変更をメールで受け取る", default=True)
    created_at = models.DateTimeField("フォロー日時", auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "フォロー"
        verbose_name_plural = "フォロー"
        constraints = [models.UniqueConstraint(fields=["user", "notice"], name="follow_once_per_notice")]


class Channel(models.TextChoices):
    EMAIL = "email", _("メール")
    SLACK = "slack", _("Slack")


class Delivery(models.Model):
    """One message (a mail or a Slack post) carrying alerts: its alerts point at it, so a retry sends the same
    message again and an alert is never carried twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("送信待ち")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("失敗")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_deliveries")
    channel = models.CharField("経路", max_length=10, choices=Channel.choices)
    saved_search = models.ForeignKey(SavedSearch, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField("頻度", max_length=10, choices=Frequency.choices)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("試行回数", default=0)
    deliver_after = models.DateTimeField("送信予定")
    sent_at = models.DateTimeField("送信日時", null=True, blank=True)
    last_error = models.CharField("最後のエラー", max_length=500, blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "アラートの送信"
        verbose_name_plural = "アラートの送信"
        constraints = [models.CheckConstraint(condition=Q(channel="email") | Q(saved_search__isnull=False),
                                              name="alert_slack_delivery_has_saved_search")]


class AlertMatch(models.Model):
    """A notice that matched a saved search: at most once per pair, whatever happens to the notice later."""

    # No index of its own: the unique (saved_search, notice) index serves lookups by saved search, and a day's
    # matches can be hundreds of thousands of rows, each index a cost.
    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="matches", db_index=False)
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="+")
    matched_at = models.DateTimeField("一致日時", auto_now_add=True)
    email_delivery = models.ForeignKey(Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="matches")
    slack_delivery = models.ForeignKey(Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="slack_matches")

    class Meta:
        ordering = ["-matched_at", "-id"]
        verbose_name = "検索の一致"
        verbose_name_plural = "検索の一致"
        constraints = [models.UniqueConstraint(fields=["saved_search", "notice"], name="alert_match_once_per_notice")]


class FollowAlert(models.Model):
    """One change of a followed notice, told once (`key` names the change)."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("訂正")
        CANCELLED = "cancelled", _("中止")
        DEADLINE = "deadline", _("締切の変更")
        AWARDED = "awarded", _("結果公表")

    follow = models.ForeignKey(Follow, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=100)
    detail = models.CharField("内容", max_length=500, blank=True)
    created_at = models.DateTimeField("日時", auto_now_add=True)
    delivery = models.ForeignKey(Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_alerts")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "フォローした公募の変更"
        verbose_name_plural = "フォローした公募の変更"
        constraints = [models.UniqueConstraint(fields=["follow", "key"], name="follow_alert_once_per_change")]


class NoticeChange(models.Model):
    """A notice written since the matcher last ran, recorded in the writer's own transaction (so no write is
    missed, whatever order concurrent transactions commit in); the matcher consumes these rows."""

    notice_id = models.BigIntegerField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "未照合の公募"
        verbose_name_plural = "未照合の公募"


class FeedToken(models.Model):
    """The secret in a person's feed URLs (saved-search Atom, followed-deadline iCalendar); a new one revokes the old."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_feed_token")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once, when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名前", max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)  # shown in the list so a person can tell tokens apart
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    last_used_at = models.DateTimeField("最後に使った日時", null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "APIトークン"
        verbose_name_plural = "APIトークン"
