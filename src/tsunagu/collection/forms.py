from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Source


class SourceForm(forms.Form):
    lg_code = forms.RegexField(label=_("団体コード"), regex=r"^\d{6}$")
    url = forms.URLField(label=_("公募や入札の情報が載るページのURL"), max_length=1000, assume_scheme="https")
    kind = forms.ChoiceField(label=_("種類"), choices=Source.Kind.choices)
