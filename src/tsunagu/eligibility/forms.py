from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.core.errors import DomainError
from tsunagu.municipalities.selectors import municipality_resolve
from tsunagu.notices.models import NoticeKind

from .models import OrganisationType, RegistrationCategory
from .selectors import AREA_ALL, AREA_NEAR


def _resolve(value: str):
    """A 団体コード (6 or 5 digits) or a name (「千代田区」「東京都千代田区」); a domain error becomes a form error."""
    text = value.strip()
    try:
        if text.isdigit():
            return municipality_resolve(code=text)
        return municipality_resolve(name=text)
    except DomainError as exc:
        raise forms.ValidationError(exc.message) from None


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("団体名"), max_length=200, required=False)
    org_type = forms.ChoiceField(label=_("団体の種類"), choices=OrganisationType.choices)
    location = forms.CharField(label=_("所在地（市区町村名または団体コード）"), max_length=40,
                               help_text=_("本店・主たる事務所のある市区町村。例：千代田区、東京都千代田区、131016"))
    member_count = forms.IntegerField(label=_("構成員の人数"), min_value=1, max_value=1_000_000, required=False)
    years_active = forms.IntegerField(label=_("活動年数"), min_value=0, max_value=200, required=False)

    def clean_location(self):
        return _resolve(self.cleaned_data["location"])


class RegistrationForm(forms.Form):
    body = forms.CharField(label=_("登録先の自治体（名前または団体コード）"), max_length=40,
                           help_text=_("都道府県の名簿なら都道府県名（例：東京都）"))
    category = forms.ChoiceField(label=_("区分"), choices=RegistrationCategory.choices, required=False)
    valid_until = forms.DateField(label=_("有効期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_body(self):
        return _resolve(self.cleaned_data["body"])


class FitFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("公募種別"), required=False, choices=[("", _("すべて")), *NoticeKind.choices])
    area = forms.ChoiceField(label=_("範囲"), required=False,
                             choices=[(AREA_NEAR, _("所在地の都道府県と登録先")), (AREA_ALL, _("全国"))])
    all = forms.BooleanField(label=_("条件に合わない公募も表示"), required=False)
