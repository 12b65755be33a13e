"""Series membership follows every write of a notice, inside the writer's transaction (notices/signals.py)."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver

from tsunagu.notices.models import Notice
from tsunagu.notices.signals import notices_changed, notices_deleted

from .models import SeriesEdition
from .services import series_link, series_unlink


@receiver(notices_changed)
def _link_changed(sender, ids, **kwargs) -> None:
    series_link(notice_ids=ids)


@receiver(notices_deleted)
def _unlink_deleted(sender, ids, **kwargs) -> None:
    series_unlink(notice_ids=ids)


@receiver(post_migrate)
def _link_existing_notices(sender, **kwargs) -> None:
    """Notices stored before this app (an upgrade) join their series on `tsunagu migrate`."""
    from .services import series_link_all

    if sender.name != "tsunagu.series" or not Notice.objects.exists() or SeriesEdition.objects.exists():
        return
    changed = series_link_all()
    if kwargs.get("verbosity", 1):
        print(f"公募をシリーズに結び付けました（{changed}件）。")  # noqa: T201 (migrate's own output)
