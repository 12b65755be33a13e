"""The facts follow every write of a notice or an award, inside the writer's transaction (as the search index does)."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver

from tsunagu.notices.models import Notice
from tsunagu.notices.signals import notices_changed, notices_deleted

from .facts import facts_delete, facts_rebuild, facts_refresh
from .models import NoticeFact


@receiver(notices_changed)
def _refresh_changed(sender, ids, **kwargs) -> None:
    facts_refresh(notice_ids=ids)


@receiver(notices_deleted)
def _delete_deleted(sender, ids, **kwargs) -> None:
    facts_delete(notice_ids=ids)


@receiver(post_migrate)
def _build_missing_facts(sender, **kwargs) -> None:
    """Notices stored before this app existed get their facts when `tsunagu migrate` first installs it."""
    if sender.name != "tsunagu.insights" or NoticeFact.objects.exists() or not Notice.objects.exists():
        return
    count = facts_rebuild()
    if kwargs.get("verbosity", 1):
        print(f"分析用の集計表を作りました（{count}件）。")  # noqa: T201 (migrate's own output)
