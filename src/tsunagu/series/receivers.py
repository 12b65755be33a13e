"""Series membership follows every write of a notice, inside the writer's transaction (the same hooks as the
search index): bulk writers send `notices_changed`/`notices_deleted`; single saves through the ORM are covered by
post_save, and deletions through the ORM by the cascade to the notice's edition (post_delete of SeriesEdition)."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from tsunagu.notices.models import Notice
from tsunagu.notices.signals import notices_changed, notices_deleted

from .models import SeriesEdition
from .services import series_link, series_refresh, series_unlink


@receiver(notices_changed)
def _link_changed(sender, ids, **kwargs) -> None:
    series_link(notice_ids=ids)


@receiver(notices_deleted)
def _unlink_deleted(sender, ids, **kwargs) -> None:
    series_unlink(notice_ids=ids)


@receiver(post_save, sender=Notice)
def _link_saved(sender, instance: Notice, raw: bool = False, **kwargs) -> None:
    if not raw:  # loaddata: fixtures bring their own rows
        series_link(notice_ids=[instance.pk])


@receiver(post_delete, sender=SeriesEdition)
def _edition_gone(sender, instance: SeriesEdition, **kwargs) -> None:
    # A notice deleted through the ORM takes its edition with it (cascade): its series counts one fewer.
    series_refresh(series_ids=[instance.series_id])


@receiver(post_migrate)
def _link_existing_notices(sender, **kwargs) -> None:
    """Notices stored before this app (an upgrade) join their series on `tsunagu migrate`."""
    from .services import series_link_all

    if sender.name != "tsunagu.series" or not Notice.objects.exists() or SeriesEdition.objects.exists():
        return
    changed = series_link_all()
    if kwargs.get("verbosity", 1):
        print(f"公募をシリーズに結び付けました（{changed}件）。")  # noqa: T201 (migrate's own output)
