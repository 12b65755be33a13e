from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.municipalities.models import Prefecture
from tsunagu.notices.models import NoticeKind, NoticeStatus

SORT_CHOICES = [("relevance", _("関連度順")), ("deadline", _("締切が近い順")), ("newest", _("新しい順")), ("budget", _("上限額の大きい順"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=500,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("例：子育て 福祉 -入札")}))
    kind = forms.ChoiceField(label=_("公募種別"), required=False, choices=[("", _("すべて")), *NoticeKind.choices])
    prefecture = forms.ChoiceField(label=_("都道府県"), required=False)
    status = forms.ChoiceField(label=_("状態"), required=False,
                               choices=[("", _("すべて")), ("closing_soon", _("締切間近（7日以内）")), *NoticeStatus.choices])
    sort = forms.ChoiceField(label=_("並び順"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", _("全国")), *Prefecture.objects.values_list("code", "name")]
