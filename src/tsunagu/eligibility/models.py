"""A searcher's own organisation profile: what a call's 参加資格 is checked against on 「応募できそうな公募」."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagu.municipalities.models import Municipality


class OrganisationType(models.TextChoices):
    NPO = "npo", _("NPO法人（特定非営利活動法人）")
    GENERAL_ASSOCIATION = "general_association", _("一般社団法人・一般財団法人")
    PUBLIC_INTEREST = "public_interest", _("公益社団法人・公益財団法人")
    SOCIAL_WELFARE = "social_welfare", _("社会福祉法人")
    COMPANY = "company", _("株式会社・合同会社など")
    COOPERATIVE = "cooperative", _("協同組合・企業組合")
    VOLUNTARY = "voluntary", _("任意団体（法人格なし）")
    SOLE_PROPRIETOR = "sole_proprietor", _("個人事業主")

    @classmethod
    def corporations(cls) -> set[str]:
        """Types with 法人格."""
        return {cls.NPO, cls.GENERAL_ASSOCIATION, cls.PUBLIC_INTEREST, cls.SOCIAL_WELFARE, cls.COMPANY, cls.COOPERATIVE}

    @classmethod
    def non_profits(cls) -> set[str]:
        return {cls.NPO, cls.GENERAL_ASSOCIATION, cls.PUBLIC_INTEREST, cls.SOCIAL_WELFARE, cls.VOLUNTARY}


class RegistrationCategory(models.TextChoices):
    ANY = "", _("区分なし・全般")
    SERVICES = "services", _("役務（業務委託）")
    GOODS = "goods", _("物品")
    CONSULTING = "consulting", _("測量・建設コンサルタント等")
    WORKS = "works", _("建設工事")


class EligibilityProfile(models.Model):
    """One per user: the organisation they apply as (or themselves, as 個人事業主)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="eligibility_profile")
    name = models.CharField("団体名", max_length=200, blank=True)
    org_type = models.CharField("団体の種類", max_length=30, choices=OrganisationType.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="所在地（本店・主たる事務所）"
    )
    member_count = models.PositiveIntegerField("構成員の人数", null=True, blank=True)
    years_active = models.PositiveIntegerField("活動年数", null=True, blank=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "応募資格プロフィール"
        verbose_name_plural = "応募資格プロフィール"

    def __str__(self) -> str:
        return self.name or str(self.user)


class Registration(models.Model):
    """入札参加資格 (a place on a body's 競争入札参加資格者名簿), per body and category."""

    profile = models.ForeignKey(EligibilityProfile, on_delete=models.CASCADE, related_name="registrations")
    body = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="登録先の自治体")
    category = models.CharField("区分", max_length=20, choices=RegistrationCategory.choices, blank=True)
    valid_until = models.DateField("有効期限", null=True, blank=True)

    class Meta:
        ordering = ["body__lg_code", "category"]
        verbose_name = "入札参加資格"
        verbose_name_plural = "入札参加資格"
        constraints = [
            models.UniqueConstraint(fields=["profile", "body", "category"], name="registration_unique_per_body_category"),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.get_category_display()}"


