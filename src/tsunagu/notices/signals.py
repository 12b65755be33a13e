"""What notices announce to the apps that follow them (the search index), without knowing who listens.

Bulk writers (the importer, the demo generator) send these inside their transaction; single saves and
deletions through the ORM are covered by Django's post_save/post_delete."""

from django.dispatch import Signal

notices_changed = Signal()  # kwargs: ids (created or updated)
notices_deleted = Signal()  # kwargs: ids, sent before the rows go
