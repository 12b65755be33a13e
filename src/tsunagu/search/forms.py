from urllib.parse import urlencode

from django import forms
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy as _


from tsunagu.municipalities.models import Municipality, Prefecture
from tsunagu.notices.models import NoticeKind, NoticeStatus

from .criteria import CLOSING_SOON, SearchFilters

SORT_CHOICES = [("relevance", _("関連度順")), ("deadline", _("締切が近い順")), ("newest", _("新しい順")), ("budget", _("上限額の大きい順"))]
NPO_CHOICES = [("", _("指定なし")), ("yes", _("NPO参加可のみ")), ("no", _("NPO参加不可のみ"))]


# The search form's widgets render through Jinja2 (Django's own widget templates for it): its filters draw about a
# hundred <option>s on every search, and Django's template language spent a third of the page's rendering on them.
# Only here: the admin's widgets have Django templates only. One renderer for the process (it holds the compiled
# templates).
_WIDGETS = Jinja2()


class SearchForm(forms.Form):
    """The search in the URL: every field is optional; an invalid value is ignored with a message, never a 500."""

    default_renderer = _WIDGETS

    q = forms.CharField(label=_("キーワード"), required=False, max_length=500,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("例：子育て 福祉 -入札")}))
    kind = forms.ChoiceField(label=_("公募種別"), required=False, choices=[("", _("すべて")), *NoticeKind.choices])
    prefecture = forms.ChoiceField(label=_("都道府県"), required=False)
    municipality = forms.RegexField(label=_("団体コード"), required=False, regex=r"^\d{6}$", widget=forms.HiddenInput)
    category = forms.CharField(label=_("分野"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状態"), required=False,
                               choices=[("", _("すべて")), (CLOSING_SOON, _("締切間近（7日以内）")), *NoticeStatus.choices])
    npo = forms.ChoiceField(label=_("NPO"), required=False, choices=NPO_CHOICES)
    deadline_from = forms.DateField(label=_("締切（から）"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    deadline_to = forms.DateField(label=_("締切（まで）"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    published_from = forms.DateField(label=_("公告日（から）"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    published_to = forms.DateField(label=_("公告日（まで）"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    budget_min = forms.IntegerField(label=_("上限額（円以上）"), required=False, min_value=0, max_value=10**15)
    budget_max = forms.IntegerField(label=_("上限額（円以下）"), required=False, min_value=0, max_value=10**15)
    sort = forms.ChoiceField(label=_("並び順"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", _("全国")), *Prefecture.objects.values_list("code", "name")]

    def filters(self) -> SearchFilters:
        """The valid fields as filters (an invalid field is left out and shown as an error on the form)."""
        if self.is_bound:
            self.is_valid()
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        npo = {"yes": True, "no": False}.get(data.get("npo") or "")
        return SearchFilters(
            kind=data.get("kind") or "", prefecture=data.get("prefecture") or "", municipality=data.get("municipality") or "",
            category=data.get("category") or "", status=data.get("status") or "", npo_eligible=npo,
            deadline_from=data.get("deadline_from"), deadline_to=data.get("deadline_to"),
            published_from=data.get("published_from"), published_to=data.get("published_to"),
            budget_min=data.get("budget_min"), budget_max=data.get("budget_max"),
        )

    def facet_links(self, facets: dict[str, dict[str, int]]) -> dict[str, list[dict]]:
        """Facet counts as links that add (or, when chosen, remove) that filter, keeping the rest of the URL."""
        names = {
            "kind": {k.value: str(k.label) for k in NoticeKind},
            "prefecture": dict(self.fields["prefecture"].choices),
            "status": {s.value: str(s.label) for s in NoticeStatus},
            "municipality": dict(Municipality.objects.filter(lg_code__in=facets.get("municipality", {}))
                                 .values_list("lg_code", "name")),
        }
        current = {k: v for k, v in (self.data.items() if self.is_bound else []) if v and k != "page"}
        links: dict[str, list[dict]] = {}
        for facet, counts in facets.items():
            items = []
            for value, count in sorted(counts.items(), key=lambda item: -item[1]):
                chosen = current.get(facet) == value
                params = {k: v for k, v in current.items() if k != facet}
                if not chosen:
                    params[facet] = value
                items.append({"label": names[facet].get(value, value), "count": count, "chosen": chosen,
                              "url": "?" + urlencode(params)})
            links[facet] = items
        return links



