"""Markdown-lite for messages: **bold**, `code`, lines starting with "- " as a list, links, line breaks. The text is
escaped first, so nothing a person types can become markup beyond these."""

import re

from django import template
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe

register = template.Library()
BOLD = re.compile(r"\*\*(.+?)\*\*")
CODE = re.compile(r"`([^`]+)`")


def _inline(line: str) -> str:
    line = urlize(escape(line), nofollow=True, autoescape=False)
    line = BOLD.sub(r"<strong>\1</strong>", line)
    return CODE.sub(r"<code>\1</code>", line)


@register.filter
def lite(text: str) -> str:
    out, items = [], []
    for line in (text or "").splitlines():
        if line.startswith("- "):
            items.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        out.append(_inline(line) + "<br>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return mark_safe("".join(out).removesuffix("<br>"))  # noqa: S308 (every piece was escaped above)
