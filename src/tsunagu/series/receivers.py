"""Series membership follows every write of a notice, inside the writer's transaction (the same hooks as the
search index): bulk writers send `notices_changed`/`notices_deleted`, single saves and deletions through the ORM
are covered by post_save/pre_delete."""

from django.db.models.signals import post_migrate, post_save, pre_delete
from django.dispatch import receiver

from tsunagu.notices.models import Notice
from tsunagu.notices.signals import notices_changed, notices_deleted

from .services import series_link, series_unlink


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


@receiver(pre_delete, sender=Notice)
def _unlink_one(sender, instance: Notice, **kwargs) -> None:
    # Before the cascade removes the edition row: afterwards nothing says which series lost an edition.
    series_unlink(notice_ids=[instance.pk])


@receiver(post_migrate)
def _link_existing_notices(sender, **kwargs) -> None:
    """Notices stored before this app (an upgrade) join their series on `tsunagu migrate`."""
    from .models import SeriesEdition
    from .services import series_link_all

    if sender.name != "tsunagu.series" or not Notice.objects.exists() or SeriesEdition.objects.exists():
        return
    changed = series_link_all()
    if kwargs.get("verbosity", 1):
        print(f"公募をシリーズに結び付けました（{changed}件）。")  # noqa: T201 (migrate's own output)
