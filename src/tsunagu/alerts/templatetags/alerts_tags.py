"""The alerts' buttons on other apps' pages: 「この条件を保存」 and the feed links on the search results,
「フォロー」 on a notice's page. They live here so those pages need only include them."""

from django import template

from ..selectors import is_following

register = template.Library()


@register.inclusion_tag("alerts/_search_actions.html", takes_context=True)
def search_alert_actions(context) -> dict:
    request = context["request"]
    return {"query_string": request.GET.urlencode(), "user": request.user}


@register.inclusion_tag("alerts/_follow_button.html", takes_context=True)
def follow_button(context, notice) -> dict:
    request = context["request"]
    return {"notice": notice, "following": is_following(request.user, notice.pk), "user": request.user,
            "next": request.get_full_path()}
