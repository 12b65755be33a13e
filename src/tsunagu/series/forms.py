from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.municipalities.models import Prefecture
from tsunagu.notices.models import NoticeKind


class UpcomingForm(forms.Form):
    prefecture = forms.ChoiceField(label=_("都道府県"), required=False)
    kind = forms.ChoiceField(label=_("公募種別"), required=False, choices=[("", _("すべて")), *NoticeKind.choices])
    month = forms.TypedChoiceField(
        label=_("公告予定の月"), required=False, coerce=int, empty_value=None,
        choices=[("", _("すべて"))] + [(m, _("%(m)d月") % {"m": m}) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", _("すべて")), *Prefecture.objects.values_list("code", "name")]
