from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(value: Decimal | float | None, digits: int = 1) -> str:
    """0.9234 → "92.3%"; None stays empty."""
    if value is None:
        return ""
    return f"{float(value) * 100:.{digits}f}%"
