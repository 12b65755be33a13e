"""Sign-up by invitation: only a coordinator brings people in, each with a role in their organisation."""

import datetime
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError
from tsunagu.core.notify import notify_address

from .models import Invitation, Membership, Organisation, User

INVITATION_DAYS = 14


def coordinated_organisations(user) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__user=user, memberships__role=Membership.Role.COORDINATOR).distinct())


@transaction.atomic
def invitation_create(*, organisation: Organisation, by, email: str, role: str, accept_url) -> Invitation:
    """`accept_url(token)` builds the link mailed to the person (after the commit)."""
    if organisation not in coordinated_organisations(by):
        raise DomainError(_("招待できるのは、その団体のコーディネーターだけです。"), field="organisation")
    if role not in Membership.Role.values:
        raise DomainError(_("役割を選んでください。"), field="role")
    invitation = Invitation.objects.create(organisation=organisation, email=email.strip().lower(), role=role,
                                           token=secrets.token_urlsafe(32), invited_by=by,
                                           expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS))
    notify_address(address=invitation.email, subject=_("%(org)s から「つなぐ」への招待が届きました") % {"org": organisation},
                   body=_("次のリンクから%(days)s日以内に登録してください：%(url)s")
                   % {"days": INVITATION_DAYS, "url": accept_url(invitation.token)})
    return invitation


def invitation_open(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise DomainError(_("この招待のリンクは正しくありません。招待したコーディネーターに確かめてください。"))
    if invitation.accepted_at is not None:
        raise DomainError(_("この招待はもう使われています。ログインしてください。"))
    if invitation.expires_at < timezone.now():
        raise DomainError(_("この招待の有効期限が切れました。コーディネーターにもう一度招待してもらってください。"))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, username: str, display_name: str, password: str) -> User:
    Invitation.objects.select_for_update().filter(token=token).first()  # two sign-ups at once: one waits
    invitation = invitation_open(token)  # checked again under the lock
    if User.objects.filter(username=username).exists():
        raise DomainError(_("このユーザー名は使われています。別の名前にしてください。"), field="username")
    user = User(username=username, display_name=display_name, email=invitation.email,
                role={"owner": User.Role.OWNER, "coordinator": User.Role.COORDINATOR}.get(invitation.role, User.Role.WORKER))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password1") from None
    user.set_password(password)
    user.save()
    Membership.objects.get_or_create(organisation=invitation.organisation, user=user, role=invitation.role)
    invitation.accepted_by, invitation.accepted_at = user, timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return user
