from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind, Message


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


class MessageForm(forms.Form):
    body = forms.CharField(label=_("本文（@ユーザー名 で宛先を示せます）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    intent = forms.ChoiceField(label=_("求めること"), choices=Message.Intent.choices, initial=Message.Intent.FYI,
                               widget=forms.RadioSelect)
    reply_by = forms.DateField(label=_("返事の期日（返事がほしいとき）"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CharterForm(forms.Form):
    text = forms.CharField(label=_("連絡のルール"), widget=forms.Textarea(attrs={"rows": 5}))
