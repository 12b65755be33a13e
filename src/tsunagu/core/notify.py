"""Telling people that something happened: a mail after the commit (never for a change that rolled back).
The comms app will route these through each person's channel and quiet hours; callers won't change."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def notify(*, recipients, subject: str, body: str) -> None:
    addresses = sorted({r.email for r in recipients if r is not None and getattr(r, "email", "")})
    if not addresses:
        return
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "tsunagu@localhost")
    transaction.on_commit(lambda: send_mail(subject, body, sender, addresses, fail_silently=True))


def notify_address(*, address: str, subject: str, body: str) -> None:
    """The same, to an address that has no account yet (an invitation)."""
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "tsunagu@localhost")
    transaction.on_commit(lambda: send_mail(subject, body, sender, [address], fail_silently=True))
