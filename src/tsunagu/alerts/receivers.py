"""Every written notice (created, updated, awarded) is noted for the matcher, inside the writer's transaction."""

from django.dispatch import receiver

from tsunagu.notices.signals import notices_changed

from .models import NoticeChange


def _record(ids) -> None:
    NoticeChange.objects.bulk_create([NoticeChange(notice_id=pk) for pk in dict.fromkeys(ids)], batch_size=2000)


@receiver(notices_changed)
def _notices_written(sender, ids, **kwargs) -> None:
    _record(ids)  # every write: imports, demo data, collection publishing, corrections, awards (結果公表)
