"""Writes of notices and awards: imports from files and the import runs of the web upload."""

import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError
from tsunagu.core.locks import exclusive

from .imports.award_rows import AwardRowSpec
from .imports.notice_rows import NoticeRowSpec
from .imports.pipeline import ImportResult, run_import
from tsunagu.core.spreadsheets import ImportFileError
from .models import ImportRun
from .selectors import import_progress_key

logger = logging.getLogger(__name__)

SPECS = {ImportRun.Kind.NOTICES: NoticeRowSpec, ImportRun.Kind.AWARDS: AwardRowSpec}
ProgressCallback = Callable[[int, int | None], None]


def _import(kind: str, *, path, sheet, dry_run, user, import_run, error_file_path, progress, batch_size) -> ImportResult:
    source = f"import:{Path(import_run.filename if import_run else str(path)).name}"
    spec = SPECS[kind](user=user, import_run=import_run, source=source)
    if dry_run:
        return run_import(spec, path, sheet=sheet, dry_run=True, error_file_path=error_file_path,
                          progress=progress, batch_size=batch_size)
    with exclusive("tsunagu-imports"):
        with transaction.atomic():  # all or nothing: a crash or a kill mid-way leaves no row of the file stored
            return run_import(spec, path, sheet=sheet, dry_run=False, error_file_path=error_file_path,
                              progress=progress, batch_size=batch_size)


def notice_import(
    *,
    path: Path | str,
    sheet: str | None = None,
    dry_run: bool = False,
    user=None,
    import_run: ImportRun | None = None,
    error_file_path: Path | None = None,
    progress: ProgressCallback | None = None,
    batch_size: int = 1000,
) -> ImportResult:
    """Import a 公募情報 file (CSV or XLSX).

    Every row is validated in full; valid rows are upserted in batches keyed on (municipality, 管理ID) or the
    fingerprint, all in ONE transaction: the file's valid rows are stored together or not at all (a crash, a kill or
    a file that breaks part-way stores nothing). A changed value updates the notice and lands in its history.
    Invalid rows are reported (row, column, message) and, with `error_file_path`, written there with an
    エラー column; they don't stop the valid ones. Raises ImportFileError when the file can't be read.
    """
    return _import(ImportRun.Kind.NOTICES, path=path, sheet=sheet, dry_run=dry_run, user=user, import_run=import_run,
                   error_file_path=error_file_path, progress=progress, batch_size=batch_size)


def award_import(
    *,
    path: Path | str,
    sheet: str | None = None,
    dry_run: bool = False,
    user=None,
    import_run: ImportRun | None = None,
    error_file_path: Path | None = None,
    progress: ProgressCallback | None = None,
    batch_size: int = 1000,
) -> ImportResult:
    """Import a 落札結果 file: each row finds its notice by 管理ID or by title (the latest call published
    before the award date when a title repeats yearly), and its winner by 法人番号 or normalised name."""
    return _import(ImportRun.Kind.AWARDS, path=path, sheet=sheet, dry_run=dry_run, user=user, import_run=import_run,
                   error_file_path=error_file_path, progress=progress, batch_size=batch_size)


# -- import runs: the web upload, checked first, confirmed by the coordinator, run on the queue --


def import_run_create(*, kind: str, upload: UploadedFile, user, sheet: str = "", language: str = "ja") -> ImportRun:
    """Store the uploaded file and queue its check (a dry run). The caller has checked the user may import."""
    if kind not in SPECS:
        raise DomainError(_("取り込みの種類が正しくありません。"))
    if upload.size and upload.size > settings.IMPORT_UPLOAD_MAX_BYTES:
        raise DomainError(_("ファイルが大きすぎます（上限 %(mb)d MB）。") % {"mb": settings.IMPORT_UPLOAD_MAX_BYTES // 1024 // 1024})
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in {".csv", ".xlsx", ".txt", ".tsv"}:
        raise DomainError(_("CSV か XLSX のファイルを選んでください。"), field="file")
    with transaction.atomic():
        run = ImportRun.objects.create(kind=kind, dry_run=True, filename=Path(upload.name).name[:255], sheet=sheet,
                                       created_by=user, file=upload, language=language)
        transaction.on_commit(lambda: _enqueue("check", run.pk))
    return run


def import_run_confirm(*, run: ImportRun, user) -> ImportRun:
    """Start the real import of a checked run, or run again an import that failed (it stored nothing, so this
    imports the whole file). The confirming user is the author of the records it writes."""
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        if not locked.can_confirm:
            raise DomainError(_("この取り込みは確認が終わっていないか、すでに実行されています。"))
        locked.status = ImportRun.Status.IMPORTING
        locked.dry_run = False
        locked.rows_processed = 0
        locked.confirmed_by = user
        locked.failure = ""
        locked.created = locked.updated = locked.unchanged = locked.rejected = 0  # the check's counts are not the run's
        locked.save(update_fields=["status", "dry_run", "rows_processed", "confirmed_by", "failure",
                                   "created", "updated", "unchanged", "rejected"])
        transaction.on_commit(lambda: _enqueue("execute", locked.pk))
    return locked


def import_run_progress_set(*, run_id: int, done: int, total: int | None) -> None:
    """How far a running import has read, kept in the shared cache: the import's own transaction hides its writes
    (the run's row included) from everyone else until it commits."""
    cache.set(import_progress_key(run_id), (done, total), timeout=24 * 3600)


def _enqueue(what: str, run_id: int) -> None:
    from . import tasks

    (tasks.import_run_check_task if what == "check" else tasks.import_run_execute_task)(run_id)


def import_run_process(*, run_id: int) -> ImportRun:
    """Run a queued import run: the check (dry run) when it is pending, the import when confirmed.
    Row problems end in the run's report; a file that can't be read ends the run as failed."""
    run = ImportRun.objects.get(pk=run_id)
    with translation.override(run.language):
        return _process(run)


def _process(run: ImportRun) -> ImportRun:
    if run.status == ImportRun.Status.PENDING:
        dry_run, next_status = True, ImportRun.Status.CHECKED
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.CHECKING, started_at=timezone.now())
    elif run.status == ImportRun.Status.IMPORTING:
        dry_run, next_status = False, ImportRun.Status.DONE
    else:
        return run

    def progress(done: int, total: int | None) -> None:
        import_run_progress_set(run_id=run.pk, done=done, total=total)  # outside the import's transaction

    error_path = Path(settings.MEDIA_ROOT) / "import-errors" / f"run-{run.pk}-{'check' if dry_run else 'import'}"
    importer = notice_import if run.kind == ImportRun.Kind.NOTICES else award_import
    try:
        result = importer(path=run.file.path, sheet=run.sheet or None, dry_run=dry_run, user=run.confirmed_by or run.created_by,
                          import_run=run, error_file_path=error_path, progress=progress)
    except Exception as exc:
        if isinstance(exc, ImportFileError):
            run.failure = exc.message
        else:
            logger.exception("import run %s failed", run.pk)
            run.failure = _("取り込み中に予期しないエラーが起きました。このファイルの行は1行も保存していません（元のデータはそのままです）。もう一度実行できます。")
        run.created = run.updated = run.unchanged = run.rejected = 0  # nothing of the file was stored
        run.status, run.finished_at = ImportRun.Status.FAILED, timezone.now()
        run.save(update_fields=["status", "failure", "finished_at", "created", "updated", "unchanged", "rejected"])
        return run
    run.status = next_status
    run.created, run.updated, run.unchanged, run.rejected = result.created, result.updated, result.unchanged, result.rejected
    run.errors = [e.as_dict() for e in result.errors]
    run.errors_truncated = result.errors_truncated
    run.rows_total = run.rows_processed = result.rows_total
    run.error_file.name = str(result.error_file.relative_to(settings.MEDIA_ROOT)) if result.error_file else ""
    run.finished_at = timezone.now()
    run.save()
    return run


def notice_keys_rebuild(*, batch_size: int = 2000) -> tuple[int, list[int]]:
    """Recompute every notice's title key and fingerprint after the normaliser changed (a new spelling
    variant, say), so that re-imports still recognise them. Returns (notices updated, ids left unchanged
    because their new fingerprint collides with another notice's: duplicates to merge by hand)."""
    from django.db import IntegrityError

    from .identity import notice_fingerprint, notice_title_key
    from .models import Notice

    updated, collisions = 0, []
    queryset = Notice.objects.select_related("municipality").only(
        "id", "title", "title_key", "fingerprint", "published_on", "external_id", "municipality__lg_code"
    )
    last_id = 0
    while True:
        chunk = list(queryset.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not chunk:
            return updated, collisions
        last_id = chunk[-1].id
        for notice in chunk:
            title_key = notice_title_key(notice.title)
            fingerprint = notice_fingerprint(lg_code=notice.municipality.lg_code, title=notice.title,
                                             published_on=notice.published_on)
            if (title_key, fingerprint) == (notice.title_key, notice.fingerprint):
                continue
            try:
                with transaction.atomic():
                    Notice.objects.filter(pk=notice.pk).update(title_key=title_key, fingerprint=fingerprint)
                updated += 1
            except IntegrityError:
                collisions.append(notice.pk)
