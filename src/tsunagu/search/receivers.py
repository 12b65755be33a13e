"""The index follows every write of a notice, inside the writer's transaction."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver

from tsunagu.notices.models import Notice
from tsunagu.notices.signals import notices_changed, notices_deleted

from .index import search_index_notices, search_index_remove


@receiver(notices_changed)
def _index_changed(sender, ids, **kwargs) -> None:
    search_index_notices(ids=ids)


@receiver(notices_deleted)
def _remove_deleted(sender, ids, **kwargs) -> None:
    search_index_remove(ids=ids)


@receiver(post_migrate)
def _build_a_missing_index(sender, **kwargs) -> None:
    """After an upgrade the embedded index may be new (its schema changed) or absent: `tsunagu migrate` builds it."""
    from . import engine
    from .index import search_index_rebuild, uses_embedded_engine

    if sender.name != "tsunagu.search" or not uses_embedded_engine() or not Notice.objects.exists():
        return
    if not engine.index_is_built():
        count = search_index_rebuild()
        if kwargs.get("verbosity", 1):
            print(f"検索索引を作りました（{count}件）。")  # noqa: T201 (migrate's own output)
