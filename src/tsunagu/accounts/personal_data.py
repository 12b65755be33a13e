"""A person's own data: everything that refers to them, to download; and leaving, which erases what is only theirs.

Both are derived from the models' relations to the user, so a new app's data is covered without a change here:
- rows whose relation to the user CASCADEs (profile, skills, hours, notifications, tokens, memberships, saved
  searches…) exist only for the person: exported, and deleted on erasure;
- rows whose relation PROTECTs (time entries, submissions, messages, terms…) are shared records that others rely on
  (pay, the team's history): exported, and kept on erasure under an anonymous name;
- SET_NULL relations (records the person entered in the public database) are exported and kept.
"""

import json

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError

# Never exported: the organisation's private notes about the person (coordinators' own notes, docs/workshare.md),
# and secrets (a token in a download could be replayed).
NOT_EXPORTED = {"accounts.privatenote"}
SECRET_FIELDS = {"password", "token", "token_hash", "key", "secret"}
KEPT_ON_ERASURE = {"admin.logentry"}  # the admin's own record of changes


def _relations():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, (models.ForeignKey, models.ManyToManyField)) and field.related_model is user_model \
                    and not field.auto_created:
                yield model, field


def _row(instance) -> dict:
    data = model_to_dict(instance)
    data["id"] = instance.pk
    return {k: (v.name if isinstance(v, FieldFile) else v) for k, v in data.items() if k not in SECRET_FIELDS}


def personal_data_export(*, user) -> str:
    """Everything that refers to the person, as JSON text (one key per kind of record)."""
    found: dict[str, list] = {"accounts.user": [_row(user)]}
    for model, field in _relations():
        label = model._meta.label_lower
        if label in NOT_EXPORTED:
            continue
        rows = model.objects.filter(**{field.name: user}).distinct()
        found.setdefault(f"{label} ({field.name})", []).extend(_row(r) for r in rows)
    found = {k: v for k, v in found.items() if v}
    return json.dumps({"exported_at": timezone.now(), "person": user.username, "records": found},
                      cls=DjangoJSONEncoder, ensure_ascii=False, indent=1, default=str)


def _unfinished_work(user) -> list[str]:
    from tsunagu.workshare.models import Project, WorkElement

    reasons = []
    held = (WorkElement.objects.filter(models.Q(primary=user) | models.Q(backup=user))
            .exclude(status=WorkElement.Status.ACCEPTED).count())
    if held:
        reasons.append(_("担当・バックアップの作業要素が%(n)s件あります（引き継ぐか、コーディネーターに外してもらってください）")
                       % {"n": held})
    running = (Project.objects.filter(models.Q(owner=user) | models.Q(coordinator=user))
               .exclude(status=Project.Status.DELIVERED).count())
    if running:
        reasons.append(_("発注者またはコーディネーターとして進行中のプロジェクトが%(n)s件あります") % {"n": running})
    return reasons


@transaction.atomic
def personal_data_erase(*, user, password: str) -> None:
    """Leave Tsunagu: after the password is checked and no unfinished work depends on the person, delete what is
    only theirs and keep shared records under 「退会した利用者」. The account can't sign in again."""
    if not user.check_password(password):
        raise DomainError(_("パスワードが違います。"), field="password")
    reasons = _unfinished_work(user)
    if reasons:
        raise DomainError(_("まだ退会できません：") + "／".join(reasons))
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    user = user_model.objects.get(pk=user.pk)  # the model itself, not the request's lazy wrapper
    photo = getattr(getattr(user, "profile", None), "photo", None)
    if photo:
        photo.delete(save=False)
    for model, field in _relations():
        label = model._meta.label_lower
        if isinstance(field, models.ManyToManyField):
            through = field.remote_field.through
            if through._meta.auto_created:  # e.g. mentions: the links go, the messages stay
                link = next(f.name for f in through._meta.fields if getattr(f, "related_model", None) is user_model)
                through.objects.filter(**{link: user}).delete()
            continue
        if field.remote_field.on_delete is models.CASCADE and label not in KEPT_ON_ERASURE:
            model.objects.filter(**{field.name: user}).delete()
    from tsunagu.workshare.models import TeamMember

    TeamMember.objects.filter(user=user).update(active=False)
    user.username = f"deleted-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.display_name = _("退会した利用者")
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
