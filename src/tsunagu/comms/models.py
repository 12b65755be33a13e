"""Notifications that respect each person's hours: one row per event for a person (the in-app list), one delivery
per channel they enabled, due when their hours allow (urgent: at once). Deliveries are recorded (sent / failed)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ELEMENT = "element", _("新しい作業要素・担当")
    HANDOFF = "handoff", _("引き継ぎ")
    REVIEW = "review", _("提出と確認の結果")
    MESSAGE = "message", _("メッセージ")
    MEETING = "meeting", _("相談会のお知らせ")
    TEAM = "team", _("チームと募集")
    GENERAL = "general", _("その他のお知らせ")


class Channel(models.TextChoices):
    EMAIL = "email", _("メール")
    SLACK = "slack", _("Slack")


class Preference(models.Model):
    """How a person wants to be told: channels on or off, per kind; digest times (their quiet hours are the time
    outside their availability windows)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference")
    email_on = models.BooleanField("メールで受け取る", default=True)
    slack_on = models.BooleanField("Slack で受け取る", default=False)
    slack_webhook_url = models.URLField("Slack の Incoming Webhook URL", blank=True, max_length=500)
    digest_times = models.JSONField("まとめて受け取る時刻", default=list, blank=True)  # ["09:30", "13:00"]
    kinds_off = models.JSONField("受け取らない種類", default=list, blank=True)

    class Meta:
        verbose_name = "通知の設定"
        verbose_name_plural = "通知の設定"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("種類", max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    subject = models.CharField("件名", max_length=300)
    body = models.TextField("本文", blank=True)
    url = models.CharField("リンク", max_length=500, blank=True)
    urgent = models.BooleanField("至急", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    show_after = models.DateTimeField("一覧に出る時刻", null=True, blank=True)  # a reminder waits for its day
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "お知らせ"
        verbose_name_plural = "お知らせ"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待ち")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("失敗")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    deliver_after = models.DateTimeField("送る時刻（これより後）")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "配信"
        verbose_name_plural = "配信"
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")]
        indexes = [models.Index(fields=["status", "deliver_after"])]


DEFAULT_CHARTER = (
    "・読んだら返事をしなくて大丈夫です（既読スルーOK）。「読みました」を押すだけでも伝わります。\n"
    "・返事がほしいときは、期日を書きます。期日の日に、その人の作業できる時間にお知らせが届きます。\n"
    "・本当に急ぐときだけ「至急」にして、電話をかけてください。至急の使用はコーディネーターに見えます。\n"
    "・作業できる時間の外に届いたお知らせは、その人の時間が始まるまで待ちます。"
)


class Charter(models.Model):
    """The team's response rules, shown at the top of every thread of the project; the coordinator edits them."""

    project = models.OneToOneField("workshare.Project", on_delete=models.CASCADE, related_name="charter")
    text = models.TextField("連絡のルール", default=DEFAULT_CHARTER)
    slack_webhook_url = models.URLField("チームの Slack の Incoming Webhook URL", blank=True, max_length=500)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "連絡のルール"
        verbose_name_plural = "連絡のルール"


class Message(models.Model):
    """One message in a project's thread or a work element's; it says what it asks of the reader."""

    class Intent(models.TextChoices):
        FYI = "fyi", _("お知らせ（返事はいりません）")
        REPLY = "reply", _("返事がほしい（期日まで）")
        URGENT = "urgent", _("至急（電話してください）")

    project = models.ForeignKey("workshare.Project", on_delete=models.CASCADE, related_name="messages")
    element = models.ForeignKey("workshare.WorkElement", on_delete=models.CASCADE, null=True, blank=True, related_name="messages")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="direct_messages")  # a direct message between two people of the team
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="messages")
    body = models.TextField("本文")
    intent = models.CharField("求めること", max_length=10, choices=Intent.choices, default=Intent.FYI)
    reply_by = models.DateField("返事の期日", null=True, blank=True)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "メッセージ"
        verbose_name_plural = "メッセージ"
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(intent="reply", reply_by__isnull=False) | ~Q(intent="reply"),
                                              name="message_reply_has_a_date")]


class Acknowledgement(models.Model):
    """「読みました」: pressed, not inferred. Nobody sees who merely opened a message."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="acknowledged_once")]


class MeetingSeries(models.Model):
    """A recurring, agenda-free consultation meeting (定例お悩み相談会) of an organisation: every week or every other
    week on one weekday, with a video-call link. Coming is optional; nobody has to answer."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="meeting_series")
    title = models.CharField("名前", max_length=100, default="お悩み相談会")
    weekday = models.PositiveSmallIntegerField("曜日", choices=[(i, d) for i, d in enumerate("月火水木金土日")])
    interval_weeks = models.PositiveSmallIntegerField("間隔（週）", default=2)
    starts_on = models.DateField("初回")
    until = models.DateField("最終回（なければ続く）", null=True, blank=True)
    start_time = models.TimeField("開始")
    end_time = models.TimeField("終了")
    video_url = models.URLField("ビデオ通話のURL", blank=True)
    description = models.TextField("説明", blank=True, default="議題はありません。困っていること、話したいことを何でもどうぞ。")
    skipped = models.JSONField("お休みの日", default=list, blank=True)  # ISO dates
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "相談会"
        verbose_name_plural = "相談会"
        constraints = [models.CheckConstraint(condition=Q(start_time__lt=models.F("end_time")), name="meeting_starts_before_it_ends"),
                       models.CheckConstraint(condition=Q(interval_weeks__gte=1, interval_weeks__lte=4), name="meeting_interval_1_to_4")]

    def __str__(self) -> str:
        return self.title


class MeetingMaybe(models.Model):
    """「行くかも」: optional, never required."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="maybes")
    on = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "on", "user"], name="maybe_once")]


class Worry(models.Model):
    """The anonymous worries box: no author is stored, on purpose."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="worries")
    on = models.DateField()
    text = models.TextField("相談したいこと")
    created_at = models.DateTimeField(auto_now_add=True)


class MeetingNote(models.Model):
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="notes")
    on = models.DateField()
    text = models.TextField("メモ", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "on"], name="meeting_note_once")]


class CalendarToken(models.Model):
    """The secret part of a person's private calendar feed; making a new one revokes the old link."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)


ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                    ".csv": "text/csv", ".txt": "text/plain",
                    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class Attachment(models.Model):
    """A file on a message, served only to the people of its thread (never from a public URL)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)


class MeetingReminder(models.Model):
    """That the reminder for one meeting date went out (so it goes once)."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="reminders")
    on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "on"], name="meeting_reminded_once")]


class TeamPost(models.Model):
    """A team thread's message on its way to the team's Slack channel: sent by the delivery round, retried, recorded."""

    project = models.ForeignKey("workshare.Project", on_delete=models.CASCADE, related_name="team_posts")
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Delivery.Status.choices, default=Delivery.Status.PENDING)
    deliver_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
