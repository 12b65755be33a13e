"""The PostgreSQL index table no longer references notices: the index is derived data kept in step by
search.index (deletions included), and a foreign key made every flush of the notices table (tests that commit)
fail. `rebuild_search_index --check` reports entries of notices that no longer exist."""

from django.db import migrations


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_notice_document DROP CONSTRAINT IF EXISTS search_notice_document_notice_id_fkey")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DELETE FROM search_notice_document d WHERE NOT EXISTS (SELECT 1 FROM notices_notice n WHERE n.id = d.notice_id)")
        schema_editor.execute("ALTER TABLE search_notice_document ADD CONSTRAINT search_notice_document_notice_id_fkey "
                              "FOREIGN KEY (notice_id) REFERENCES notices_notice (id) ON DELETE CASCADE")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_change")]
    operations = [migrations.RunPython(drop, restore)]
