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
    slack_webhook_url = forms.CharField(label=_("チームの Slack の Incoming Webhook URL（チームのスレッドをチャンネルにも流します）"),
                                        required=False, max_length=500)


class SeriesForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("団体"), queryset=None)
    title = forms.CharField(label=_("名前"), initial="お悩み相談会", max_length=100)
    weekday = forms.TypedChoiceField(label=_("曜日"), coerce=int, choices=[(i, d) for i, d in enumerate("月火水木金土日")])
    interval_weeks = forms.TypedChoiceField(label=_("間隔"), coerce=int, initial=2,
                                            choices=[(1, _("毎週")), (2, _("隔週")), (3, _("3週ごと")), (4, _("4週ごと"))])
    starts_on = forms.DateField(label=_("初回"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("最終回（なければ続く）"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("開始"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("終了"), widget=forms.TimeInput(attrs={"type": "time"}))
    video_url = forms.URLField(label=_("ビデオ通話のURL"), required=False, assume_scheme="https")

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from tsunagu.accounts.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])


class WorryForm(forms.Form):
    text = forms.CharField(label=_("相談したいこと（名前は残りません）"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class MeetingNoteForm(forms.Form):
    text = forms.CharField(label=_("みんなのメモ"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
