"""Writes of alerts: saved searches, follows, tokens and unsubscribing."""

import hashlib
import secrets

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.comms.services import webhook_check
from tsunagu.core.errors import DomainError
from tsunagu.notices.models import Notice

from .criteria import canonical_query_string
from .matcher import follow_state_now
from .models import ApiToken, Delivery, FeedToken, Follow, Frequency, SavedSearch

MAX_SAVED_SEARCHES = 100  # per person: plenty for a person, a ceiling for a script
UNSUBSCRIBE_SALT = "tsunagu.alerts.unsubscribe"


def _checked(*, name: str, frequency: str, email_on: bool, slack_webhook_url: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("名前を書いてください。"), field="name")
    if len(name) > 100:
        raise DomainError(_("名前は100文字以内にしてください。"), field="name")
    if frequency not in Frequency.values:
        raise DomainError(_("頻度は「すぐに」「毎朝」「毎週」から選んでください。"), field="frequency")
    slack_webhook_url = webhook_check(slack_webhook_url) if (slack_webhook_url or "").strip() else ""
    if not email_on and not slack_webhook_url:
        raise DomainError(_("メールか Slack のどちらかで受け取るようにしてください。"), field="email_on")
    return name, slack_webhook_url


@transaction.atomic
def saved_search_create(*, user, name: str, query_string: str, frequency: str = Frequency.DAILY, email_on: bool = True,
                        slack_webhook_url: str = "", paused: bool = False) -> SavedSearch:
    """Save the conditions of a search page URL (stored canonical). Only notices stored from now on alert."""
    name, slack_webhook_url = _checked(name=name, frequency=frequency, email_on=email_on, slack_webhook_url=slack_webhook_url)
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise DomainError(_("保存できる検索は%(n)s件までです。使っていないものを削除してください。") % {"n": MAX_SAVED_SEARCHES})
    return SavedSearch.objects.create(user=user, name=name, query_string=canonical_query_string(query_string),
                                      frequency=frequency, email_on=email_on, slack_webhook_url=slack_webhook_url,
                                      paused=paused)


@transaction.atomic
def saved_search_update(*, saved_search: SavedSearch, name: str, query_string: str, frequency: str, email_on: bool,
                        slack_webhook_url: str, paused: bool = False) -> SavedSearch:
    name, slack_webhook_url = _checked(name=name, frequency=frequency, email_on=email_on, slack_webhook_url=slack_webhook_url)
    saved_search.name, saved_search.frequency, saved_search.paused = name, frequency, paused
    saved_search.query_string = canonical_query_string(query_string)
    saved_search.email_on, saved_search.slack_webhook_url = email_on, slack_webhook_url
    saved_search.save()
    return saved_search


@transaction.atomic
def saved_search_pause(*, saved_search: SavedSearch, paused: bool) -> SavedSearch:
    """A paused search records no alerts; resumed, it alerts on notices stored from then on."""
    saved_search.paused = paused
    saved_search.save(update_fields=["paused", "updated_at"])
    return saved_search


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch) -> None:
    saved_search.delete()


@transaction.atomic
def follow_set(*, user, notice: Notice, following: bool) -> Follow | None:
    """Follow (from the notice as it is now: only later changes are told) or stop following."""
    if not following:
        Follow.objects.filter(user=user, notice=notice).delete()
        return None
    follow, created = Follow.objects.get_or_create(user=user, notice=notice, defaults={"seen": follow_state_now(notice)})
    if not created and not follow.email_on:
        follow.email_on = True
        follow.save(update_fields=["email_on"])
    return follow


@transaction.atomic
def feed_token_renew(*, user) -> FeedToken:
    """A new secret for the person's feed URLs; the old URLs stop working at once."""
    token, _created = FeedToken.objects.update_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
    return token


def feed_token_for(user) -> FeedToken:
    return FeedToken.objects.filter(user=user).first() or feed_token_renew(user=user)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Returns the record and the token itself, which is shown once and never stored."""
    name = (name or "").strip()[:100]
    if not name:
        raise DomainError(_("トークンの名前を書いてください（例：業務用スクリプト）。"), field="name")
    if ApiToken.objects.filter(user=user).count() >= 10:
        raise DomainError(_("APIトークンは10個までです。使っていないものを取り消してください。"), field="name")
    value = "tsg_" + secrets.token_urlsafe(32)
    return ApiToken.objects.create(user=user, name=name, digest=token_digest(value), prefix=value[4:12]), value


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()


def api_token_user(value: str):
    """The active person a presented token belongs to, or None; notes when it was used."""
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(value or "")).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def unsubscribe_token(delivery: Delivery) -> str:
    return signing.dumps(delivery.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_open(token: str) -> Delivery:
    """The mail an unsubscribe link came in; a link that was altered or made up is refused."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise DomainError(_("この配信停止のリンクは正しくありません。メールのリンクをそのまま開いてください。")) from None
    delivery = Delivery.objects.filter(pk=pk).select_related("user").first()
    if delivery is None:
        raise DomainError(_("この配信停止のリンクは使えなくなりました。ログインして「アラート」のページから止めてください。"))
    return delivery


@transaction.atomic
def unsubscribe(*, delivery: Delivery) -> tuple[list[SavedSearch], list[Follow]]:
    """Stop the mails of what this mail carried: its saved searches' e-mail, and change mails of its followed
    notices. Returns what was stopped."""
    searches = list(SavedSearch.objects.filter(matches__email_delivery=delivery).distinct())
    follows = list(Follow.objects.filter(alerts__delivery=delivery).distinct())
    SavedSearch.objects.filter(pk__in=[s.pk for s in searches]).update(email_on=False, updated_at=timezone.now())
    Follow.objects.filter(pk__in=[f.pk for f in follows]).update(email_on=False)
    return searches, follows
