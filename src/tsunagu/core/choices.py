"""Closed sets shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaxBasis(models.TextChoices):
    INCLUDED = "included", _("税込")
    EXCLUDED = "excluded", _("税抜")
    UNKNOWN = "unknown", _("不明")


def canonical_label(choice: models.Choices) -> str:
    """The label in Japanese whatever language is active: the name written in files and exports
    (msgids are Japanese, so the Japanese text is the untranslated one)."""
    from django.utils import translation

    with translation.override(None):
        return str(choice.label)
