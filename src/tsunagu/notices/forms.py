from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportRun


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=ImportRun.Kind.choices, widget=forms.RadioSelect,
                             initial=ImportRun.Kind.NOTICES)
    file = forms.FileField(label=_("ファイル（CSV または XLSX）"))
    sheet = forms.CharField(label=_("シート名（XLSX、省略時は先頭）"), required=False, max_length=100)
