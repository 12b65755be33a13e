"""Telling people that something happened. The record is written in the caller's transaction (so nothing is told
about a change that rolled back) by the backend named in `settings.NOTIFICATION_BACKEND` (the comms app: in-app list,
mail and Slack within each person's hours), so apps below comms can notify without importing it."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string


def site_url() -> str:
    """The site's public address for links that leave it (mails, Slack, open-data packages): SITE_URL, or the local
    server of `make run` when it is not set."""
    return (settings.SITE_URL or "http://127.0.0.1:8000").rstrip("/")


def notify(*, recipients, subject: str, body: str, kind: str = "general", url: str = "", urgent: bool = False) -> None:
    backend = import_string(settings.NOTIFICATION_BACKEND)
    backend(recipients=[r for r in recipients if r is not None], subject=subject, body=body, kind=kind, url=url,
            urgent=urgent)


def notify_address(*, address: str, subject: str, body: str) -> None:
    """A mail to an address that has no account yet (an invitation): sent after the commit."""
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "tsunagu@localhost")
    transaction.on_commit(lambda: send_mail(subject, body, sender, [address], fail_silently=True))
