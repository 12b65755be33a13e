"""Prefectures and municipalities (団体コード).

A *local government* (地方公共団体) is a prefecture or a municipality: 47 + 1,741 = 1,788 rows of
`Municipality`, the buyers of Kōbo. Designated-city wards (行政区) are not local governments; they are
kept as `Ward`, a sub-unit of their city.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Prefecture(models.Model):
    code = models.CharField("都道府県コード", max_length=2, unique=True)  # "01".."47"
    lg_code = models.CharField("団体コード", max_length=6, unique=True)
    name = models.CharField("名称", max_length=10, unique=True)  # 東京都
    short_name = models.CharField("略称", max_length=10)  # 東京
    kana = models.CharField("かな", max_length=20)
    name_en = models.CharField("英語名", max_length=20)

    class Meta:
        ordering = ["code"]
        verbose_name = "都道府県"
        verbose_name_plural = "都道府県"

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    class Level(models.TextChoices):
        PREFECTURE = "prefecture", _("都道府県")
        DESIGNATED_CITY = "designated_city", _("政令指定都市")
        CITY = "city", _("市")
        SPECIAL_WARD = "special_ward", _("特別区")
        TOWN = "town", _("町")
        VILLAGE = "village", _("村")

    lg_code = models.CharField("団体コード", max_length=6, unique=True)
    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField("名称", max_length=30)  # 千代田区, or 東京都 for the prefecture itself
    kana = models.CharField("かな", max_length=60, blank=True)
    level = models.CharField("種別", max_length=20, choices=Level.choices)
    latitude = models.FloatField("緯度", null=True, blank=True)
    longitude = models.FloatField("経度", null=True, blank=True)
    website_url = models.URLField("公式サイト", max_length=300, blank=True)

    class Meta:
        ordering = ["lg_code"]
        verbose_name = "自治体"
        verbose_name_plural = "自治体"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lg_code__regex=r"^[0-9]{6}$"), name="municipality_lg_code_six_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """「東京都千代田区」; a prefecture is just its own name."""
        if self.level == self.Level.PREFECTURE:
            return self.name
        return f"{self.prefecture.name}{self.name}"


class Ward(models.Model):
    """A designated-city ward (行政区), e.g. 札幌市中央区: a sub-unit of its city."""

    lg_code = models.CharField("団体コード", max_length=6, unique=True)
    city = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="wards")
    name = models.CharField("名称", max_length=30)  # 中央区
    kana = models.CharField("かな", max_length=60, blank=True)
    latitude = models.FloatField("緯度", null=True, blank=True)
    longitude = models.FloatField("経度", null=True, blank=True)
    website_url = models.URLField("公式サイト", max_length=300, blank=True)

    class Meta:
        ordering = ["lg_code"]
        verbose_name = "行政区"
        verbose_name_plural = "行政区"

    def __str__(self) -> str:
        return f"{self.city.name}{self.name}"
