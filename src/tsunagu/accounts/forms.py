from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tsunagu.core.security import client_address

from .models import Membership, Organisation
from .throttling import login_failure_record, login_is_locked, login_success_record


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refusing after repeated failures (accounts/throttling.py)."""

    def clean(self):
        username = self.data.get("username", "")
        address = client_address(self.request) if self.request else ""
        if login_is_locked(username=username, address=address):
            raise forms.ValidationError(
                _("ログインの失敗が続いたため、%(minutes)s分間はログインできません。時間をおいてお試しいただくか、"
                  "パスワードを再設定してください。") % {"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60},
                code="locked")
        try:
            data = super().clean()
        except forms.ValidationError:
            login_failure_record(username=username, address=address)
            raise
        login_success_record(username=username, address=address)
        return data


class InvitationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("団体"), queryset=Organisation.objects.none())
    email = forms.EmailField(label=_("招待する人のメールアドレス"))
    role = forms.ChoiceField(label=_("役割"), choices=Membership.Role.choices, initial=Membership.Role.WORKER)

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])


class NewPasswordForm(forms.Form):
    """A new password typed twice (Django's validators run in the service that sets it)."""

    password1 = forms.CharField(label=_("パスワード"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("パスワード（確認）"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("パスワードが一致しません。"))
        return data


class SignUpForm(NewPasswordForm):
    username = forms.RegexField(label=_("ユーザー名（半角英数字）"), regex=r"^[A-Za-z0-9_.-]{3,30}$", max_length=30,
                                error_messages={"invalid": _("ユーザー名は半角英数字と _ . - で3〜30文字にしてください。")})
    display_name = forms.CharField(label=_("表示名（チームに見える名前）"), max_length=100)
    field_order = ["username", "display_name", "password1", "password2"]


class LeaveForm(forms.Form):
    password = forms.CharField(label=_("確認のためパスワード"), widget=forms.PasswordInput, strip=False)
    confirm = forms.BooleanField(label=_("退会すると元に戻せないことを理解しました"))


class RegisterForm(NewPasswordForm):
    email = forms.EmailField(label=_("メールアドレス"), max_length=150)
    field_order = ["email", "password1", "password2"]


class ConfirmForm(forms.Form):
    password = forms.CharField(label=_("パスワード"), widget=forms.PasswordInput, strip=False)
