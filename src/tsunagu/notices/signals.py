"""What notices announce to the apps that keep data derived from them (the search index, the analytics facts, call
series, the alert matcher), without knowing who listens. Every write of a notice reaches them as one of two signals,
inside the writer's transaction:

- bulk writers (the importer, the demo generator, award imports) send them themselves;
- single saves and deletions through the ORM (collection publishing, corrections, the admin, an award saved or
  removed) are translated here, in one place, so a listener never wires Django's model signals itself.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import Signal, receiver

notices_changed = Signal()  # kwargs: ids (created or updated, or their results changed)
notices_deleted = Signal()  # kwargs: ids, sent before the rows go


def connect_model_signals() -> None:
    from .models import Award, Notice

    @receiver(post_save, sender=Notice, weak=False, dispatch_uid="notices_notice_saved")
    def _notice_saved(sender, instance: Notice, raw: bool = False, **kwargs) -> None:
        if not raw:  # loaddata: fixtures bring their own derived rows
            notices_changed.send(sender=Notice, ids=[instance.pk])

    @receiver(pre_delete, sender=Notice, weak=False, dispatch_uid="notices_notice_deleting")
    def _notice_deleting(sender, instance: Notice, **kwargs) -> None:
        notices_deleted.send(sender=Notice, ids=[instance.pk])

    @receiver(post_save, sender=Award, weak=False, dispatch_uid="notices_award_saved")
    @receiver(post_delete, sender=Award, weak=False, dispatch_uid="notices_award_deleted")
    def _award_written(sender, instance: Award, raw: bool = False, origin=None, **kwargs) -> None:
        if raw or _deleting_notices(origin):  # the notice itself is going: it was announced as deleted
            return
        notices_changed.send(sender=Notice, ids=[instance.notice_id])  # 結果公表, 落札率 and winners are the notice's

    def _deleting_notices(origin) -> bool:
        return isinstance(origin, Notice) or getattr(origin, "model", None) is Notice
