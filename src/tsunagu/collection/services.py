"""Registering the pages the watcher looks at."""

from django.db import transaction
from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError
from tsunagu.municipalities.models import Municipality

from .models import Source


@transaction.atomic
def source_add(*, by, lg_code: str, url: str, kind: str) -> Source:
    municipality = Municipality.objects.filter(lg_code=lg_code).first()
    if municipality is None:
        raise DomainError(_("団体コード %(code)s は自治体マスタにありません。") % {"code": lg_code}, field="lg_code")
    if Source.objects.filter(municipality=municipality, url=url).exists():
        raise DomainError(_("この情報源はもう登録されています。"), field="url")
    return Source.objects.create(municipality=municipality, url=url, kind=kind, added_by=by)
