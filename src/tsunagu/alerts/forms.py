from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("名前"), max_length=100)
    query_string = forms.CharField(label=_("検索条件"), required=False, max_length=2000, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(label=_("お知らせの頻度"), choices=Frequency.choices, initial=Frequency.DAILY,
                                  widget=forms.RadioSelect)
    email_on = forms.BooleanField(label=_("メールで受け取る"), required=False, initial=True)
    slack_webhook_url = forms.CharField(label=_("Slack の Incoming Webhook URL（任意）"), required=False, max_length=500,
                                        widget=forms.URLInput(attrs={"placeholder": "https://hooks.slack.com/services/…"}))
    paused = forms.BooleanField(label=_("一時停止する"), required=False)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("トークンの名前"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": _("例：業務用スクリプト")}))
