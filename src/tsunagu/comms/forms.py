from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class PreferenceForm(forms.Form):
    email_on = forms.BooleanField(label=_("メールで受け取る"), required=False)
    slack_on = forms.BooleanField(label=_("Slack で受け取る"), required=False)
    slack_webhook_url = forms.CharField(label=_("Slack の Incoming Webhook URL"), required=False, max_length=500)
    digest_times = forms.CharField(label=_("静かな時間に来たお知らせをまとめて受け取る時刻（空白区切り、例：9:30 13:00）"),
                                   required=False)
    kinds_off = forms.MultipleChoiceField(label=_("受け取らない種類（至急は除く）"), choices=Kind.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def clean_digest_times(self) -> list[str]:
        return self.cleaned_data["digest_times"].replace("、", " ").split()
