from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Source


class SourceForm(forms.Form):
    lg_code = forms.RegexField(label=_("団体コード"), regex=r"^\d{6}$")
    url = forms.URLField(label=_("公募や入札の情報が載るページのURL"), max_length=1000, assume_scheme="https")
    kind = forms.ChoiceField(label=_("種類"), choices=Source.Kind.choices)


class EntryForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=500)
    kind = forms.ChoiceField(label=_("公募種別"), choices=[])
    published_on = forms.CharField(label=_("公告日（令和8年4月1日・2026/4/1 など）"), max_length=50)
    application_deadline = forms.CharField(label=_("参加申込締切"), required=False, max_length=50)
    submission_deadline = forms.CharField(label=_("提出期限"), required=False, max_length=50)
    budget_yen = forms.CharField(label=_("上限額（3,300,000円・330万円 など）"), required=False, max_length=50)
    department = forms.CharField(label=_("担当課"), required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from tsunagu.notices.models import NoticeKind

        self.fields["kind"].choices = NoticeKind.choices
