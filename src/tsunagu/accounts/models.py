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
