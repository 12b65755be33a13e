"""Public sign-up for searchers (saving searches and following notices needs an account; searching doesn't).

An account starts inactive and is opened by the link mailed to its address, on which the person enters the
password they chose: so nobody opens an account with someone else's address, and alerts only ever go to an
address its owner confirmed. Answers never say whether an address is registered."""

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError
from tsunagu.core.notify import notify_address

from .models import User


class ConfirmationTokens(PasswordResetTokenGenerator):
    """Valid until the account is opened or its password changes (PASSWORD_RESET_TIMEOUT, 3 days by default)."""

    key_salt = "tsunagu.accounts.registration"

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{user.pk}{user.password}{user.is_active}{timestamp}{user.email}"


confirmation_tokens = ConfirmationTokens()


@transaction.atomic
def searcher_register(*, email: str, password: str, confirm_url) -> None:
    """Mail a confirmation link (`confirm_url(uidb64, token)` builds it) to a new address; an address that already
    has an open account gets a note to log in instead. Raises DomainError for a password the validators refuse."""
    email = User.objects.normalize_email(email).strip().lower()
    if not email or len(email) > 150:
        raise DomainError(_("メールアドレスを書いてください。"), field="email")
    existing = User.objects.filter(email__iexact=email).order_by("-is_active", "pk").first()
    candidate = existing if existing is not None and not existing.is_active else User(username=email, email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password1") from None
    if existing is not None and existing.is_active:
        notify_address(address=email, subject=_("【つなぐ】このメールアドレスは登録済みです"),
                       body=_("このメールアドレスのアカウントはもうあります。ログインしてください。パスワードを忘れたときは、"
                              "ログインの画面から再設定できます。心当たりがなければ、このメールは無視してください。"))
        return
    if existing is None and User.objects.filter(username__iexact=email).exists():
        raise DomainError(_("このメールアドレスでは登録できません。別のアドレスを使ってください。"), field="email")
    user = existing or User(username=email, email=email, role=User.Role.MEMBER, is_active=False)
    user.set_password(password)  # a second sign-up before confirming replaces the first (and its link)
    user.save()
    link = confirm_url(urlsafe_base64_encode(force_bytes(user.pk)), confirmation_tokens.make_token(user))
    notify_address(address=email, subject=_("【つなぐ】メールアドレスの確認"),
                   body=_("次のリンクを開いて、登録のときのパスワードを入れると登録が終わります：%(url)s\n"
                          "心当たりがなければ、このメールは無視してください。") % {"url": link})


def registration_open(uidb64: str, token: str) -> User:
    """The account a confirmation link names, while the link is valid."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or user.is_active or not confirmation_tokens.check_token(user, token):
        raise DomainError(_("この確認のリンクは使えません（期限切れか、もう使われています）。もう一度登録するか、ログインしてください。"))
    return user


@transaction.atomic
def registration_confirm(*, uidb64: str, token: str, password: str) -> User:
    user = registration_open(uidb64, token)
    if not user.check_password(password):
        raise DomainError(_("パスワードが違います。登録のときに決めたパスワードを入れてください。"), field="password")
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
