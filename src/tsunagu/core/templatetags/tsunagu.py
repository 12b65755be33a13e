from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(value: Decimal | float | None, digits: int = 1) -> str:
    """0.9234 → "92.3%"; None stays empty."""
    if value is None:
        return ""
    return f"{float(value) * 100:.{digits}f}%"


@register.filter
def ld_json(data: dict) -> str:
    """A JSON-LD <script> block; <, > and & are escaped so the data can't close the tag."""
    import json

    from django.utils.safestring import mark_safe

    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)
