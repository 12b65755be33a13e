"""Writes of the open-data app: importing OCDS releases, and building the files /opendata/ offers."""

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from tsunagu.core.locks import exclusive
from tsunagu.core.spreadsheets import TableRow
from tsunagu.notices.imports.award_rows import AwardRowSpec
from tsunagu.notices.imports.notice_rows import NoticeRowSpec
from tsunagu.notices.imports.pipeline import ImportResult, RowError

from .exports import JSONL_FILENAME, PACKAGE_FILENAME, export_to_path
from .importing import (
    AWARD_HEADER_PATHS,
    NOTICE_HEADER_PATHS,
    ReleaseError,
    ReleaseProblem,
    award_cells,
    notice_cells,
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


class _Rollback(Exception):
    def __init__(self, problems: list[ReleaseProblem]) -> None:
        self.problems = problems


def ocds_import(*, path: Path | str, user=None) -> OcdsImportResult:
    """Import the tenders and awards of an OCDS release package or JSON Lines file.

    Atomic per release: a release is stored whole (its notice and all its awards) or not at all, and a
    rejected release is reported with its position, the JSON path and a message in Japanese. Each
    release goes through the import pipeline's cleaning and upsert (notices/imports/), so the identity
    rules, revision history and search index are those of a spreadsheet import, and importing the same
    file again changes nothing. Releases are applied in file order: a later release of the same call
    updates it. Raises OcdsFileError when the file can't be read as OCDS at all (nothing is stored).
    """
    source = f"ocds:{Path(path).name}"
    result = OcdsImportResult()
    releases = read_releases(Path(path))
    with exclusive("tsunagu-imports"):
        for item in releases:
            result.releases += 1
            problems = _import_release(item, user=user, source=source, result=result)
            if problems:
                result.reject(problems)
    return result


def _import_release(item, *, user, source: str, result: OcdsImportResult) -> list[ReleaseProblem]:
    def problem(path: str, message: str) -> ReleaseProblem:
        return ReleaseProblem(item.number, f"{item.prefix}.{path}" if path else item.prefix, message)

    if item.problem:
        return [problem("", item.problem)]
    if not isinstance(item.data, dict):
        return [problem("", _("リリースはオブジェクトにしてください。"))]
    try:
        notice_raw = notice_cells(item.data)
        awards_raw = award_cells(item.data, notice_raw)
    except ReleaseError as exc:
        return [problem(exc.path, exc.message)]
    # A fresh spec per release: it matches what earlier releases of this file stored, so a later release
    # of the same call updates it instead of counting as a duplicate row.
    notice_spec = NoticeRowSpec(user=user, source=source)
    award_spec = AwardRowSpec(user=user, source=source)
    row = TableRow(item.number, [])
    notice_row, errors = notice_spec.clean(row, notice_raw)
    problems = [problem(NOTICE_HEADER_PATHS.get(e.column, "tender"), e.message) for e in errors.items]
    award_rows = []
    for path, cells in awards_raw:
        award_row, award_errors = award_spec.clean(row, cells)
        problems += [problem(f"{path}.{AWARD_HEADER_PATHS[e.column]}", e.message)
                     for e in award_errors.items if AWARD_HEADER_PATHS.get(e.column)]
        award_rows.append((path, award_row))
    if problems:
        return problems
    if item.data.get("tender", {}).get("status") == "cancelled":
        notice_row.values["cancelled"] = True  # as a 【中止】 title does; nothing but a re-publication clears it
    notices, awards = ImportResult(), ImportResult()
    try:
        with transaction.atomic():
            _raise_on(notice_spec.write([notice_row], dry_run=False, result=notices), problem, "tender")
            rows = [award_row for _path, award_row in award_rows]
            _raise_on(award_spec.write(rows, dry_run=False, result=awards) if rows else [], problem, "awards")
    except _Rollback as rollback:
        return rollback.problems
    for total, part in ((result.notices, notices), (result.awards, awards)):
        total.created += part.created
        total.updated += part.updated
        total.unchanged += part.unchanged
    return []


def _raise_on(rejections: list[RowError], problem, path: str) -> None:
    """What the importer rejects only when writing (a record it can't find) undoes the whole release."""
    if rejections:
        raise _Rollback([problem(path, e.message) for e in rejections])


def ocds_export_files_build() -> dict[str, int]:
    """Write the whole export as a release package and as JSON Lines into OCDS_EXPORT_DIR, each replacing
    the previous file only once complete. Returns the number of releases written per file."""
    directory = Path(settings.OCDS_EXPORT_DIR)
    counts = {}
    for name, fmt in ((PACKAGE_FILENAME, "package"), (JSONL_FILENAME, "jsonl")):
        counts[name] = export_to_path(directory / name, fmt=fmt)
    logger.info("OCDS export files built: %s", counts)
    return counts
