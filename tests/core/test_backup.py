import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import AwardFactory, NoticeFactory
from tsunagu.core.backup import BackupError, backup_create, backup_restore
from tsunagu.notices.models import Notice
from tsunagu.search.selectors import notice_search

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def every_table() -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order: what a round trip must give back."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        contents = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            contents[table] = sorted((tuple(map(repr, row)) for row in cursor.fetchall()))
    return contents


@pytest.fixture
def some_records(cast, settings, tmp_path):
    AwardFactory(amount_yen=900_000, estimated_value_yen=1_000_000, notice__title="観光プロモーション業務")
    NoticeFactory(title="子育て支援事業", external_id="R7-2")
    (tmp_path / "media" / "imports").mkdir(parents=True)
    (tmp_path / "media" / "imports" / "a.csv").write_text("管理ID\n1\n", encoding="utf-8")
    cast.element(title="千代田区")


def test_a_backup_restored_gives_back_every_table_row_and_the_uploaded_files(some_records, tmp_path):
    before = every_table()
    archive = tmp_path / "backup.tar.gz"
    manifest = backup_create(output=archive)
    assert manifest["vendor"] == connection.vendor and manifest["tables"]["notices_notice"] == 2

    Notice.objects.filter(title="子育て支援事業").delete()
    NoticeFactory(title="後から足した公募")
    (tmp_path / "media" / "imports" / "a.csv").unlink()

    backup_restore(archive_path=archive)
    assert every_table() == before
    assert (tmp_path / "media" / "imports" / "a.csv").read_text(encoding="utf-8") == "管理ID\n1\n"
    assert notice_search(text="子育て").notices.count() == 1  # the search index was rebuilt from the restored data
    assert notice_search(text="後から足した").notices.count() == 0


def test_the_commands_make_and_restore_an_archive(some_records, tmp_path, capsys):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", "--output", str(archive))
    assert "保存しました" in capsys.readouterr().out and tarfile.is_tarfile(archive)
    Notice.objects.all().delete()
    call_command("restore", str(archive), "--yes")
    assert Notice.objects.count() == 2


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(some_records, tmp_path):
    before = every_table()
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="読めるバックアップ"):
        backup_restore(archive_path=junk)
    with pytest.raises(CommandError, match="ありません"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")
    assert every_table() == before


def test_a_backup_from_a_newer_version_is_refused_before_anything_changes(some_records, tmp_path):
    archive = tmp_path / "c.tar.gz"
    backup_create(output=archive)
    newer = tmp_path / "newer.tar.gz"
    with tarfile.open(archive) as old, tarfile.open(newer, "w:gz") as new:
        import io
        import json

        for member in old.getmembers():
            data = old.extractfile(member).read() if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"].append(["notices", "9999_from_the_future"])
                data = json.dumps(manifest).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data) if data is not None else None)
    Notice.objects.filter(title="子育て支援事業").delete()
    with pytest.raises(BackupError, match="9999_from_the_future"):
        backup_restore(archive_path=newer)
    assert Notice.objects.count() == 1
