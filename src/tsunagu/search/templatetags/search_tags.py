from django import template

from tsunagu.search.highlight import highlight

register = template.Library()


@register.simple_tag
def marked(text: str, query, around: int | None = None):
    """{% marked notice.title query %}: the text with the query's terms marked (a snippet with `around`)."""
    if not query:  # no search (or a page without one)
        return text
    return highlight(text or "", query, around=around)
