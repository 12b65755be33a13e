"""Charts drawn on the server as SVG: horizontal bars, because labels in Japanese stay readable on a 390 px phone
where vertical bars would need rotated text. Each chart has a <title> and <desc> (screen readers announce them)
and sits beside a table of the same numbers, so nothing is only in the picture."""

import itertools

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 340  # user units; the SVG scales to its container (max-width in site.css)
LABEL_WIDTH = 120
ROW = 22
BAR = 14
_ids = itertools.count(1)


def bar_chart(rows: list[tuple[str, int]], *, title: str, desc: str) -> SafeString:
    """One bar per (label, count), the longest bar the largest count, the count written after each bar."""
    chart_id = f"chart-{next(_ids)}"
    peak = max((n for _label, n in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 56  # room for the count after the longest bar
    height = ROW * len(rows) + 4
    bars = format_html_join("", (
        '<g transform="translate(0 {})"><text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="#0a6e5c"></rect>'
        '<text x="{}" y="{}" font-size="12">{}</text></g>'
    ), (
        (i * ROW + 2, LABEL_WIDTH - 6, ROW - 8, _shorten(label), LABEL_WIDTH, (ROW - BAR) // 2, round(span * n / peak, 1),
         BAR, LABEL_WIDTH + round(span * n / peak, 1) + 4, ROW - 8, f"{n:,}")
        for i, (label, n) in enumerate(rows)
    ))
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" aria-labelledby="{}-t {}-d" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        WIDTH, height, chart_id, chart_id, chart_id, title, chart_id, desc, bars,
    )


def _shorten(label: str, limit: int = 9) -> str:
    """The chart's label column is narrow; the table beside it has the whole label."""
    return label if len(label) <= limit else label[: limit - 1] + "…"
