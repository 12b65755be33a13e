from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Membership, Skill, User, WorkerSkill

from .models import PaymentRule, Terms, WorkElement

DATE = forms.DateInput(attrs={"type": "date"})


class ProjectRequestForm(forms.Form):
    title = forms.CharField(label=_("案件名"), max_length=200)
    background = forms.CharField(label=_("背景"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    goal = forms.CharField(label=_("目的"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deliverable = forms.CharField(label=_("納品物"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("納期"), widget=DATE)
    budget_yen = forms.IntegerField(label=_("予算（円）"), min_value=1, max_value=10**12)
    coordinator = forms.ModelChoiceField(label=_("相談するコーディネーター"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = User.objects.filter(
            memberships__role=Membership.Role.COORDINATOR, is_active=True).distinct().order_by("username")


class TermsForm(forms.ModelForm):
    class Meta:
        model = Terms
        fields = ["acceptance_criteria", "revision_rounds", "review_window_days", "change_request_definition",
                  "payment_rule", "points_yen", "hourly_rate_yen", "standby_yen_per_element", "coordinator_fee_percent"]
        widgets = {"acceptance_criteria": forms.Textarea(attrs={"rows": 3}),
                   "change_request_definition": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        rule = data.get("payment_rule")
        if rule in (PaymentRule.POINTS, PaymentRule.MIXED) and not data.get("points_yen"):
            self.add_error("points_yen", _("ポイントで支払うときは1ポイントの金額を入れてください。"))
        if rule == PaymentRule.HOURLY and not data.get("hourly_rate_yen"):
            self.add_error("hourly_rate_yen", _("時間で支払うときは時間単価を入れてください。"))
        return data


class TeamAddForm(forms.Form):
    username = forms.CharField(label=_("ユーザー名"), max_length=150)
    offered_hours = forms.IntegerField(label=_("週に出せる時間"), min_value=1, max_value=80)

    def clean_username(self):
        user = User.objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("そのユーザー名の人はいません。"))
        return user


class ElementForm(forms.Form):
    title = forms.CharField(label=_("作業要素"), max_length=200)
    instructions = forms.CharField(label=_("手順"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    skills = forms.ModelMultipleChoiceField(label=_("必要なスキル"), queryset=Skill.objects.all(), required=False)
    estimated_hours = forms.DecimalField(label=_("見込み時間"), min_value=0.1, max_digits=5, decimal_places=1)
    due_on = forms.DateField(label=_("期限"), widget=DATE)
    checklist = forms.CharField(label=_("受け入れチェックリスト（1行に1項目）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    group_key = forms.CharField(label=_("まとまり（同じ人が続けて担当）"), required=False, max_length=100)
    depends_on = forms.ModelMultipleChoiceField(label=_("先に終わっている必要があるもの"), queryset=WorkElement.objects.none(),
                                                required=False)

    def __init__(self, *args, project=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["depends_on"].queryset = project.elements.order_by("due_on", "id")

    def clean_checklist(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["checklist"].splitlines() if line.strip()]


class IntakeForm(forms.Form):
    notes = forms.CharField(label=_("相談の記録"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class FeedbackForm(forms.Form):
    text = forms.CharField(label=_("チームへのフィードバック（個人ではなくチームに届きます）"), widget=forms.Textarea(attrs={"rows": 3}))


class MunicipalityTemplateForm(forms.Form):
    lg_codes = forms.CharField(label=_("団体コード（空白・改行区切り）"), widget=forms.Textarea(attrs={"rows": 3}))
    title_pattern = forms.CharField(label=_("作業要素の名前"), initial="{municipality}の公募情報を集める {period}", max_length=200)
    periods = forms.CharField(label=_("期間（空白区切り、なくても可）"), required=False)
    skills = forms.ModelMultipleChoiceField(label=_("必要なスキル"), queryset=Skill.objects.all(), required=False)
    estimated_hours = forms.DecimalField(label=_("1つあたりの見込み時間"), min_value=0.1, max_digits=5, decimal_places=1)
    due_on = forms.DateField(label=_("期限"), widget=DATE)
    checklist = forms.CharField(label=_("受け入れチェックリスト（1行に1項目）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_lg_codes(self) -> list[str]:
        codes = self.cleaned_data["lg_codes"].split()
        bad = [c for c in codes if not (c.isdigit() and len(c) == 6)]
        if bad:
            raise forms.ValidationError(_("団体コードは6桁の数字です：%(codes)s") % {"codes": "、".join(bad)})
        return list(dict.fromkeys(codes))

    def clean_periods(self) -> list[str]:
        return self.cleaned_data["periods"].split()

    def clean_checklist(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["checklist"].splitlines() if line.strip()]


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("進み具合"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class HandoffForm(forms.Form):
    note = forms.CharField(label=_("引き継ぎメモ"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    partial_work = forms.CharField(label=_("途中までの作業"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SubmitForm(forms.Form):
    checklist_done = forms.MultipleChoiceField(label=_("チェックリスト"), required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("提出メモ"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, element: WorkElement, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist_done"].choices = [(item, item) for item in element.checklist]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("結果"), choices=[("accept", _("受け入れる")), ("revise", _("修正を頼む"))],
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label=_("コメント"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    price_yen = forms.IntegerField(label=_("変更依頼になる場合の費用（円）"), required=False, min_value=0, max_value=100_000_000,
                                   initial=0)
    extra_days = forms.IntegerField(label=_("変更依頼になる場合に延ばす日数"), required=False, min_value=0, max_value=365, initial=0)


class TimeEntryForm(forms.Form):
    worked_on = forms.DateField(label=_("日付"), widget=DATE)
    minutes = forms.IntegerField(label=_("分"), min_value=1, max_value=24 * 60)
    memo = forms.CharField(label=_("メモ"), required=False, max_length=200)


class BoardFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), required=False, choices=[("", _("すべて")), *WorkElement.Status.choices])
    mine = forms.BooleanField(label=_("自分の担当だけ"), required=False)
    sort = forms.ChoiceField(label=_("並び順"), required=False,
                             choices=[("due", _("期限順")), ("status", _("状態順")), ("title", _("名前順")), ("hours", _("時間の多い順"))])


SKILL_LEVELS = [(0, _("なし")), *WorkerSkill.Level.choices]


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("表示名（チームに見える名前）"), max_length=100)
    photo = forms.ImageField(label=_("写真（顔がわかるもの。位置情報などは消して保存します）"), required=False)
    introduction = forms.CharField(label=_("自己紹介"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    region = forms.CharField(label=_("地域"), required=False, max_length=100)
    phone = forms.RegexField(label=_("電話番号（至急のメッセージのときだけ、チームとコーディネーターに見えます）"), required=False,
                             regex=r"^[0-9+() -]{6,30}$", error_messages={"invalid": _("電話番号は数字と + ( ) - で書いてください。")})
    weekly_hour_cap = forms.IntegerField(label=_("週の上限時間"), min_value=1, max_value=80)
    windows = forms.CharField(label=_("作業できる時間帯（1行に1つ、例：月 9:30-14:00）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for skill in Skill.objects.all():  # one level per skill of the coordinators' list
            self.fields[f"skill_{skill.pk}"] = forms.TypedChoiceField(label=skill.name, choices=SKILL_LEVELS, coerce=int,
                                                                      initial=0, required=False)

    def skill_levels(self) -> dict[int, int]:
        return {int(name.removeprefix("skill_")): value or 0 for name, value in self.cleaned_data.items()
                if name.startswith("skill_")}


class NotesForm(forms.Form):
    notes = forms.CharField(label=_("コーディネーターだけが見るメモ"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SkillForm(forms.Form):
    name = forms.CharField(label=_("スキル"), max_length=100)
    description = forms.CharField(label=_("説明"), required=False, max_length=300)


class BoardImportForm(forms.Form):
    file = forms.FileField(label=_("ファイル（CSV または XLSX）"), required=False)
    url = forms.URLField(label=_("または公開シートの CSV のURL"), required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError(_("ファイルを選ぶか、URLを入れてください。"))
        return data


class RecruitmentForm(forms.Form):
    message = forms.CharField(label=_("呼びかけ"), widget=forms.Textarea(attrs={"rows": 3}))
    skills = forms.ModelMultipleChoiceField(label=_("求めるスキル"), queryset=Skill.objects.all(), required=False)
    hours_per_week = forms.IntegerField(label=_("1人あたり週の時間（目安）"), min_value=1, max_value=80)
    closes_on = forms.DateField(label=_("締切"), widget=DATE)


class ApplicationForm(forms.Form):
    offered_hours = forms.IntegerField(label=_("週に出せる時間"), min_value=1, max_value=80)
    note = forms.CharField(label=_("ひとこと（できる曜日や時間帯など）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
