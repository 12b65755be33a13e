from django import template
from django.utils.translation import gettext as _

from tsunagu.insights.charts import bar_chart

register = template.Library()


@register.simple_tag
def distribution_chart(distribution, title: str):
    """A distribution's bins as bars; the description says what the bars add up to and what is left out."""
    rows = [(b.label, b.count) for b in distribution.buckets]
    desc = _("%(total)s件を区分ごとに数えた横棒グラフ（値のないもの %(unknown)s件は含みません）。") % {
        "total": f"{distribution.counted:,}", "unknown": f"{distribution.unknown:,}"}
    return bar_chart(rows, title=title, desc=desc)


@register.simple_tag
def breakdown_chart(breakdown, title: str, limit: int = 12):
    """The largest rows of a breakdown (公募の件数) as bars."""
    rows = [(b.label, b.notices) for b in breakdown[:limit]]
    desc = _("公募の件数の多い順に最大%(limit)s項目を示す横棒グラフ。") % {"limit": limit}
    return bar_chart(rows, title=title, desc=desc)
