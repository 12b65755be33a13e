"""Backups: one archive (.tar.gz) holding the database, the uploaded files and a manifest.

SQLite is copied with its online backup API (consistent while the site keeps writing); PostgreSQL with pg_dump's
custom format, restored with pg_restore. The search index is derived data: it is rebuilt after a restore, not saved.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MEDIA_DIR = "media"


class BackupError(DomainError):
    pass


def _postgres_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore, the password only in the environment (never on a command line)."""
    s = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(_("%(program)s が見つかりません。PostgreSQL のクライアント（postgresql-client）を入れてください。")
                          % {"program": command[0]}) from None
    if done.returncode != 0:
        raise BackupError(_("%(program)s が失敗しました: %(error)s") % {"program": command[0], "error": done.stderr.strip()[:500]})


def table_row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name"))


def backup_create(*, output: Path) -> dict:
    """Write the archive to `output` (a new file; its folder must exist). Returns the manifest.
    Guarantees: the database part is one consistent snapshot; a failure leaves no partial archive behind."""
    output = Path(output)
    if not output.parent.is_dir():
        raise BackupError(_("保存先のフォルダ %(folder)s がありません。") % {"folder": output.parent})
    connection.ensure_connection()
    manifest = {"format": FORMAT, "vendor": connection.vendor, "created_at": timezone.now().isoformat(),
                "migrations": _applied_migrations(), "tables": table_row_counts()}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if connection.vendor == "sqlite":
            target = sqlite3.connect(work / SQLITE_FILE)
            with target:
                connection.connection.backup(target)
            target.close()
            database_file = work / SQLITE_FILE
        elif connection.vendor == "postgresql":
            args, env = _postgres_environment()
            database_file = work / POSTGRES_FILE
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(database_file), *args], env)
        else:
            raise BackupError(_("このデータベース（%(vendor)s）のバックアップには対応していません。") % {"vendor": connection.vendor})
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(database_file, arcname=database_file.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname=MEDIA_DIR)
        partial.replace(output)  # the archive appears whole or not at all
    return manifest


def _postgres_replace(dump: Path, *, keep: set[str]) -> None:
    """Drop the tables the archive doesn't have (a newer version's) and load the archive's, in ONE transaction:
    a failure changes nothing."""
    with connection.cursor() as cursor:
        extra = [t for t in connection.introspection.table_names(cursor) if t not in keep]
    args, env = _postgres_environment()
    script = dump.with_suffix(".sql")
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file", str(script), str(dump)], env)
    preamble = dump.with_name("preamble.sql")
    preamble.write_text("".join(f"DROP TABLE IF EXISTS {connection.ops.quote_name(t)} CASCADE;\n" for t in extra))
    connection.close()  # the restore drops and recreates the tables: hold no locks on them
    dbname = args[1]
    psql_args = [a for a in args if a != "--dbname" and a != dbname]
    _run(["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1", *psql_args,
          "--file", str(preamble), "--file", str(script), dbname], env)


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, json.JSONDecodeError, TypeError):
        raise BackupError(_("バックアップの目録（%(name)s）が読めません。Tsunagu のバックアップではないようです。") % {"name": MANIFEST}) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(_("バックアップの形式 %(format)s には対応していません。") % {"format": manifest.get("format")})
    return manifest


def backup_restore(*, archive_path: Path) -> dict:
    """Replace the database and the uploaded files with the archive's, then bring the schema up to this version
    (migrate) and rebuild the search index. Refuses an archive from another database kind or from a newer version
    of Tsunagu before anything is changed."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(_("バックアップ %(path)s がありません。") % {"path": archive_path})
    try:
        archive = tarfile.open(archive_path, "r:gz")
    except (tarfile.TarError, OSError):
        raise BackupError(_("%(path)s は読めるバックアップ（.tar.gz）ではありません。") % {"path": archive_path}) from None
    with archive, tempfile.TemporaryDirectory() as work:
        manifest = _read_manifest(archive)
        connection.ensure_connection()
        if manifest["vendor"] != connection.vendor:
            raise BackupError(_("%(archive)s のバックアップは %(vendor)s のデータベースには戻せません。")
                              % {"archive": manifest["vendor"], "vendor": connection.vendor})
        from django.db.migrations.loader import MigrationLoader

        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
        if unknown:
            raise BackupError(_("このバックアップは新しい版の Tsunagu で作られました（未知の変更: %(names)s）。同じ版以降で戻してください。")
                              % {"names": ", ".join(unknown[:5])})
        archive.extractall(work, filter="data")
        work = Path(work)
        if connection.vendor == "sqlite":
            source = sqlite3.connect(work / SQLITE_FILE)
            source.backup(connection.connection)
            source.close()
        else:
            _postgres_replace(work / POSTGRES_FILE, keep=set(manifest["tables"]))
        media = Path(settings.MEDIA_ROOT)
        if (work / MEDIA_DIR).is_dir():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(work / MEDIA_DIR, media)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("rebuild_search_index", stdout=io.StringIO())
    return manifest
