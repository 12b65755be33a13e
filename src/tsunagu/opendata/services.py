"""Writes of the open-data app: importing OCDS releases, and building the files /opendata/ offers."""

import datetime
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.locks import exclusive
from tsunagu.core.spreadsheets import TableRow
from tsunagu.notices.imports.award_rows import AwardRow, AwardRowSpec
from tsunagu.notices.imports.notice_rows import NoticeRow, NoticeRowSpec
from tsunagu.notices.imports.pipeline import ImportResult, RowError

from .exports import JSONL_FILENAME, PACKAGE_FILENAME, export_to_path
from .importing import (
    AWARD_HEADER_PATHS,
    NOTICE_HEADER_PATHS,
    ReleaseError,
    ReleaseProblem,
    SourceRelease,
    award_cells,
    notice_cells,
    notice_overrides,
    read_releases,
)

logger = logging.getLogger(__name__)
MAX_REPORTED_PROBLEMS = 1000


@dataclass
class OcdsImportResult:
    releases: int = 0
    rejected: int = 0
    notices: ImportResult = field(default_factory=ImportResult)
    awards: ImportResult = field(default_factory=ImportResult)
    problems: list[ReleaseProblem] = field(default_factory=list)
    problems_truncated: bool = False

    def reject(self, problems: list[ReleaseProblem]) -> None:
        self.rejected += 1
        room = MAX_REPORTED_PROBLEMS - len(self.problems)
        self.problems.extend(problems[:max(room, 0)])
        self.problems_truncated |= len(problems) > room

    def as_json(self) -> dict[str, Any]:
        counts = ("created", "updated", "unchanged")
        data = {
            "releases": self.releases,
            "rejected": self.rejected,
            "notices": {key: getattr(self.notices, key) for key in counts},
            "awards": {key: getattr(self.awards, key) for key in counts},
            "problems": [p.as_dict() for p in self.problems],
        }
        if self.problems_truncated:
            data["problems_truncated"] = True
        return data


class ReleaseNoticeSpec(NoticeRowSpec):
    """The notice importer with one rule of its own. A release without 管理ID names its notice by the
    fingerprint (tender.id tsunagu-fp-…, see ocds.py): it is the notice *without* 管理ID that has it, never
    one with a 管理ID and the same fingerprint. That one is another record with its own release; a
    spreadsheet row, written by hand, may just have left the 管理ID out, so there the pipeline takes it."""

    def _match(self, row, by_external, by_fingerprint):
        if row.external_id:
            return super()._match(row, by_external, by_fingerprint)
        candidates = by_fingerprint.get((row.municipality.id, row.fingerprint), [])
        return next((n for n in candidates if not n.external_id and n.created_at < self.started_at), None)


class _Rollback(Exception):
    def __init__(self, rejections: list[RowError], path: str) -> None:
        self.rejections = rejections
        self.path = path


@dataclass
class _Prepared:
    """A release cleaned into the import pipeline's rows, ready to write."""

    item: SourceRelease
    notice: NoticeRow
    awards: list[AwardRow]

    @property
    def identity(self) -> tuple[int, str]:
        return self.notice.municipality.id, self.notice.external_id or self.notice.fingerprint


def ocds_import(*, path: Path | str, user=None, batch_size: int = 500) -> OcdsImportResult:
    """Import the tenders and awards of an OCDS release package or JSON Lines file.

    Atomic per release: a release is stored whole (its notice and all its awards) or not at all, and a
    rejected release is reported with its position, the JSON path and a message in Japanese. Each
    release goes through the import pipeline's cleaning and upsert (notices/imports/), so the identity
    rules, revision history and search index are those of a spreadsheet import, and importing the same
    file again changes nothing. Releases are applied in file order: a later release of the same call
    updates it. Raises OcdsFileError when the file can't be read as OCDS at all (nothing is stored).

    Clean releases are written `batch_size` at a time in one transaction; a batch never holds two releases
    of one call. If writing a batch finds a problem (one the cleaning can't see, such as two organisations
    of the winner's name), the batch is undone and written again release by release.
    """
    source = f"ocds:{Path(path).name}"
    result = OcdsImportResult()
    cleaner = (ReleaseNoticeSpec(user=user, source=source), AwardRowSpec(user=user, source=source))
    batch: list[_Prepared] = []
    identities: set[tuple[int, str]] = set()
    with exclusive("tsunagu-imports"):
        for item in read_releases(Path(path)):
            result.releases += 1
            prepared = _prepare(item, cleaner, result)
            if prepared is None:
                continue
            if prepared.identity in identities or len(batch) >= batch_size:
                _write(batch, user=user, source=source, result=result)
                batch, identities = [], set()
            batch.append(prepared)
            identities.add(prepared.identity)
        _write(batch, user=user, source=source, result=result)
    return result


def _problem(item: SourceRelease, path: str, message: str) -> ReleaseProblem:
    return ReleaseProblem(item.number, f"{item.prefix}.{path}" if path else item.prefix, message)


def _prepare(item: SourceRelease, cleaner: tuple[NoticeRowSpec, AwardRowSpec], result: OcdsImportResult) -> _Prepared | None:
    """The release cleaned, or None when it has problems (then reported in `result`)."""
    if item.problem:
        result.reject([_problem(item, "", item.problem)])
        return None
    if not isinstance(item.data, dict):
        result.reject([_problem(item, "", _("リリースはオブジェクトにしてください。"))])
        return None
    try:
        notice_raw = notice_cells(item.data)
        awards_raw = award_cells(item.data, notice_raw)
    except ReleaseError as exc:
        result.reject([_problem(item, exc.path, exc.message)])
        return None
    notice_spec, award_spec = cleaner
    row = TableRow(item.number, [])
    notice_row, errors = notice_spec.clean(row, notice_raw)
    problems = [_problem(item, NOTICE_HEADER_PATHS.get(e.column, "tender"), e.message) for e in errors.items]
    award_rows = []
    for path, cells in awards_raw:
        award_row, award_errors = award_spec.clean(row, cells)
        # The cells naming the notice are the tender's: their problems are reported once, on the tender.
        problems += [_problem(item, f"{path}.{AWARD_HEADER_PATHS[e.column]}", e.message)
                     for e in award_errors.items if AWARD_HEADER_PATHS.get(e.column)]
        if award_row is None and not problems:
            problems.append(_problem(item, path, "; ".join(e.message for e in award_errors.items)))
        award_rows.append(award_row)
    if problems:
        result.reject(problems)
        return None
    notice_row.values.update(notice_overrides(item.data))
    return _Prepared(item, notice_row, award_rows)


def _write(batch: list[_Prepared], *, user, source: str, result: OcdsImportResult) -> None:
    if not batch:
        return
    # Fresh specs per batch: they match what earlier batches stored (a later release of the same call
    # updates it) and keep no memory of rows across batches.
    notice_spec, award_spec = ReleaseNoticeSpec(user=user, source=source), AwardRowSpec(user=user, source=source)
    notices, awards = ImportResult(), ImportResult()
    try:
        with transaction.atomic():
            _raise_on(notice_spec.write([p.notice for p in batch], dry_run=False, result=notices), "tender")
            rows = [award for p in batch for award in p.awards]
            _raise_on(award_spec.write(rows, dry_run=False, result=awards) if rows else [], "awards")
    except _Rollback as rollback:
        if len(batch) > 1:
            for prepared in batch:
                _write([prepared], user=user, source=source, result=result)
        else:
            item = batch[0].item
            result.reject([_problem(item, rollback.path, e.message) for e in rollback.rejections])
        return
    for total, part in ((result.notices, notices), (result.awards, awards)):
        total.created += part.created
        total.updated += part.updated
        total.unchanged += part.unchanged


def _raise_on(rejections: list[RowError], path: str) -> None:
    """What the importer rejects only when writing undoes the whole batch."""
    if rejections:
        raise _Rollback(rejections, path)


def ocds_export_files_build() -> dict[str, int]:
    """Write the whole export as a release package and as JSON Lines into OCDS_EXPORT_DIR, each replacing
    the previous file only once complete. Returns the number of releases written per file."""
    directory = Path(settings.OCDS_EXPORT_DIR)
    counts = {}
    for name, fmt in ((PACKAGE_FILENAME, "package"), (JSONL_FILENAME, "jsonl")):
        counts[name] = export_to_path(directory / name, fmt=fmt)
    logger.info("OCDS export files built: %s", counts)
    return counts


def _export_file(name: str) -> dict | None:
    path = Path(settings.OCDS_EXPORT_DIR) / name
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    built = datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC)
    return {"name": name, "size": stat.st_size, "built_at": timezone.localtime(built)}


def ocds_export_files_ensure(*, names: list[str]) -> dict[str, dict | None]:
    """The download files as they are (name, size, built_at; None while missing). When one is missing — the first
    visit after installation — the queue is asked to build them (the task's lock keeps it to one build)."""
    files = {name: _export_file(name) for name in names}
    if not all(files.values()):
        from .tasks import ocds_export_files_build_task

        ocds_export_files_build_task()
        files = {name: _export_file(name) for name in names}
    return files
