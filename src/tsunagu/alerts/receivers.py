"""Every written notice (created, updated, awarded) is noted for the matcher, inside the writer's transaction."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tsunagu.notices.models import Award, Notice
from tsunagu.notices.signals import notices_changed

from .models import NoticeChange


def _record(ids) -> None:
    NoticeChange.objects.bulk_create([NoticeChange(notice_id=pk) for pk in dict.fromkeys(ids)], batch_size=2000)


@receiver(notices_changed)
def _notices_written(sender, ids, **kwargs) -> None:
    _record(ids)  # the importer, the demo generator and award imports


@receiver(post_save, sender=Notice)
def _notice_saved(sender, instance: Notice, **kwargs) -> None:
    _record([instance.pk])  # collection publishing, corrections, the admin


@receiver(post_save, sender=Award)
def _award_saved(sender, instance: Award, **kwargs) -> None:
    _record([instance.notice_id])  # 結果公表 for the notice's followers
