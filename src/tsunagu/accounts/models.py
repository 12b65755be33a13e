from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person using Tsunagu. The platform role drives navigation and coarse permissions;
    per-project roles come with work sharing."""

    class Role(models.TextChoices):
        MEMBER = "member", _("一般")
        OWNER = "owner", _("発注者")
        COORDINATOR = "coordinator", _("コーディネーター")
        WORKER = "worker", _("ワーカー")

    display_name = models.CharField("表示名", max_length=100, blank=True)
    role = models.CharField("役割", max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = "ユーザー"
        verbose_name_plural = "ユーザー"

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and (self.role == self.Role.COORDINATOR or self.is_staff)


class Organisation(models.Model):
    """A coordinating NPO or an owner's organisation (団体). Not a supplier in award results (notices.Organisation)."""

    class Kind(models.TextChoices):
        COORDINATING = "coordinating", _("コーディネート団体（NPO）")
        OWNER = "owner", _("発注者の団体")

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    members = models.ManyToManyField(User, through="Membership", related_name="organisations")

    class Meta:
        verbose_name = "団体"
        verbose_name_plural = "団体"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in an organisation: a coordinator of the NPO, a worker registered with it, an owner."""

    class Role(models.TextChoices):
        OWNER = "owner", _("発注者")
        COORDINATOR = "coordinator", _("コーディネーター")
        WORKER = "worker", _("ワーカー")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("役割", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "所属"
        verbose_name_plural = "所属"
        constraints = [models.UniqueConstraint(fields=["organisation", "user", "role"], name="membership_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} / {self.organisation} / {self.get_role_display()}"


class Skill(models.Model):
    """One entry of the skill taxonomy the coordinators maintain (データ入力, Web調査, 表計算, 執筆, ...)."""

    name = models.CharField("スキル", max_length=100, unique=True)
    description = models.CharField("説明", max_length=300, blank=True)

    class Meta:
        verbose_name = "スキル"
        verbose_name_plural = "スキル"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What the team sees of a person: face, name, introduction, region, weekly cap (skills and hours beside it)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    photo = models.ImageField("写真", upload_to="profiles/", blank=True)
    introduction = models.TextField("自己紹介", blank=True)
    region = models.CharField("地域", max_length=100, blank=True)
    weekly_hour_cap = models.PositiveSmallIntegerField("週の上限時間", default=10)
    phone = models.CharField("電話番号（至急のときだけチームに見えます）", max_length=30, blank=True)

    class Meta:
        verbose_name = "プロフィール"
        verbose_name_plural = "プロフィール"
        constraints = [models.CheckConstraint(condition=models.Q(weekly_hour_cap__lte=80), name="profile_cap_at_most_80")]

    def __str__(self) -> str:
        return f"{self.user} のプロフィール"


class WorkerSkill(models.Model):
    class Level(models.IntegerChoices):
        BASIC = 1, _("基本")
        PRACTISED = 2, _("実務経験あり")
        EXPERT = 3, _("得意")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="holders")
    level = models.PositiveSmallIntegerField("レベル", choices=Level.choices, default=Level.BASIC)

    class Meta:
        verbose_name = "ワーカーのスキル"
        verbose_name_plural = "ワーカーのスキル"
        constraints = [models.UniqueConstraint(fields=["user", "skill"], name="worker_skill_once")]


class AvailabilityWindow(models.Model):
    """A weekly time window a person can work in (月〜金 9:30–14:00 is five windows)."""

    class Weekday(models.IntegerChoices):
        MON = 0, _("月")
        TUE = 1, _("火")
        WED = 2, _("水")
        THU = 3, _("木")
        FRI = 4, _("金")
        SAT = 5, _("土")
        SUN = 6, _("日")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField("曜日", choices=Weekday.choices)
    starts_at = models.TimeField("開始")
    ends_at = models.TimeField("終了")

    class Meta:
        verbose_name = "作業できる時間帯"
        verbose_name_plural = "作業できる時間帯"
        ordering = ["weekday", "starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")),
                                              name="availability_starts_before_it_ends")]

    @property
    def hours(self) -> float:
        start = self.starts_at.hour * 60 + self.starts_at.minute
        end = self.ends_at.hour * 60 + self.ends_at.minute
        return (end - start) / 60


class Invitation(models.Model):
    """Sign-up is by invitation: a coordinator invites an e-mail address into their organisation with a role."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("メールアドレス")
    role = models.CharField("役割", max_length=20, choices=Membership.Role.choices)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("有効期限")
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "招待"
        verbose_name_plural = "招待"


class PrivateNote(models.Model):
    """What one organisation's coordinators note about a person (childcare days, how they like to be contacted).
    Per organisation: the coordinators of another NPO the person also works with never see it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="private_notes")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="private_notes")
    text = models.TextField("コーディネーターだけが見るメモ", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "コーディネーターのメモ"
        verbose_name_plural = "コーディネーターのメモ"
        constraints = [models.UniqueConstraint(fields=["organisation", "person"], name="private_note_once")]
