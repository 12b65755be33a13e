from django.db import models


class IndexChange(models.Model):
    """A notice written (created, edited or deleted) since the embedded index last caught up.

    Rows are added in the writer's transaction, so a change is recorded exactly when its data commits; the engine
    applies them in id order and then deletes them (search.engine). Re-applying one is harmless."""

    id = models.BigAutoField(primary_key=True)
    notice_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"change {self.pk}: notice {self.notice_id}"
