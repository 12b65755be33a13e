"""Closed sets shared by several apps."""

from django.db import models


class TaxBasis(models.TextChoices):
    INCLUDED = "included", "税込"
    EXCLUDED = "excluded", "税抜"
    UNKNOWN = "unknown", "不明"
