"""The search index: an FTS5 table on SQLite, a table of tsvectors with a GIN index on PostgreSQL.
Both hold the tokens of `search.analysis`, keyed by notice id; `search.index` keeps them in step."""

from django.db import migrations

SQLITE = """
CREATE VIRTUAL TABLE search_notice_fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 0');
"""
POSTGRES = """
CREATE TABLE search_notice_document (
    notice_id bigint NOT NULL REFERENCES notices_notice (id) ON DELETE CASCADE,
    part integer NOT NULL,
    document tsvector NOT NULL,
    PRIMARY KEY (notice_id, part)
);
CREATE INDEX search_notice_document_gin ON search_notice_document USING gin (document);
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE)
    elif vendor == "postgresql":
        for statement in POSTGRES.split(";"):
            if statement.strip():
                schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_notice_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS search_notice_document")


class Migration(migrations.Migration):
    dependencies = [("notices", "0004_title_key_index_per_municipality")]
    operations = [migrations.RunPython(create, drop)]
