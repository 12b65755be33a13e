"""The audit log: one call from each service that changes terms, team, assignments, reviews or pay."""

import datetime
from decimal import Decimal

from django.db import models

from .models import AuditEntry


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def audit_record(*, actor, action: str, target: models.Model, summary: str, project_id: int | None = None,
                 changes: dict | None = None) -> AuditEntry:
    """Record a change in the caller's transaction (it rolls back with the change). `changes`: {field: (old, new)}."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None, action=action, target_type=target._meta.label_lower,
        target_id=target.pk, project_id=project_id, summary=summary[:300],
        changes={field: [_plain(old), _plain(new)] for field, (old, new) in (changes or {}).items()})


def audit_entries_for_project(project_id: int):
    return AuditEntry.objects.filter(project_id=project_id).select_related("actor")
