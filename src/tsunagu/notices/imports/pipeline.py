"""The import loop shared by notices and awards.

read rows → clean each row in full (every column checked, every problem reported) → write valid rows in
batches, one transaction per batch → report. Writes are idempotent upserts, so an interrupted import is
finished by running it again, and a second run of the same file reports every row unchanged.
"""

import csv
import sqlite3
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from tsunagu.core.errors import DomainError

from .columns import Column, map_header
from tsunagu.core.spreadsheets import TableRow, escape_cell, open_table

MAX_REPORTED_ERRORS = 1000
ERROR_COLUMN = "エラー"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_truncated: bool = False
    rows_total: int = 0
    error_file: Path | None = None
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [e.as_dict() for e in self.errors],
        }
        if self.errors_truncated:
            data["errors_truncated"] = True
        return data

    def add_errors(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            if len(self.errors) < MAX_REPORTED_ERRORS:
                self.errors.append(error)
            else:
                self.errors_truncated = True


class RowErrors:
    """Collects a row's problems column by column, so one bad cell doesn't hide the next one."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.items: list[RowError] = []

    def add(self, column: Column | str, message: str) -> None:
        header = column.header if isinstance(column, Column) else column
        self.items.append(RowError(self.row, header, message))

    def check(self, column: Column, parse: Callable[[], Any]) -> Any:
        """Run `parse`; a DomainError becomes this column's error and the value None."""
        try:
            return parse()
        except DomainError as exc:
            self.add(column, exc.message)
            return None

    def __bool__(self) -> bool:
        return bool(self.items)


class RowSpec:
    """What an importer of one kind of record provides to the pipeline. One instance imports one file."""

    columns: tuple[Column, ...]
    preferred_sheet: str | None

    def __init__(self, *, user=None, import_run=None, source: str = "") -> None:
        from django.utils import timezone

        from tsunagu.municipalities.directory import MunicipalityDirectory

        self.started_at = timezone.now()  # records created after this are this run's own
        self.user = user  # provenance of what this import writes
        self.import_run = import_run
        self.source = source
        self.directory = MunicipalityDirectory.cached()
        self.seen = SeenRecords()

    def clean(self, row: TableRow, cells: dict[str, Any]) -> tuple[Any, RowErrors]:
        raise NotImplementedError

    def write(self, batch: list[Any], *, dry_run: bool, result: ImportResult) -> list[RowError]:
        """Store a batch of cleaned rows (or only count what would change, when dry_run); return rejections
        found only at write time (duplicates within the file, records that don't exist)."""
        raise NotImplementedError


class ErrorFile:
    """The rejected rows with their original cells plus エラー, in the input's own format, to fix and re-import."""

    def __init__(self, path: Path, header: list[str], fmt: str) -> None:
        self.path = path.with_suffix(".xlsx" if fmt == "xlsx" else ".csv")
        self.format = fmt
        self.header = [*header, ERROR_COLUMN]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "xlsx":
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet("エラー")
            self._sheet.append(self.header)
        else:
            # UTF-8 with BOM: Excel opens it as UTF-8, and the importer reads it back.
            self._file = self.path.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._file)
            self._writer.writerow(self.header)

    def write(self, row: TableRow, errors: list[RowError], width: int) -> None:
        message = " / ".join(f"{e.column}：{e.message}" for e in errors)
        values = list(row.values) + [None] * (width - len(row.values))
        if self.format == "xlsx":
            self._sheet.append([*(escape_cell(v) if isinstance(v, str) else v for v in values[:width]), message])
        else:
            self._writer.writerow([*("" if v is None else escape_cell(str(v)) for v in values[:width]), message])

    def close(self) -> None:
        if self.format == "xlsx":
            self._book.save(self.path)
        else:
            self._file.close()


def run_import(
    spec: RowSpec,
    path: Path | str,
    *,
    sheet: str | None = None,
    dry_run: bool = False,
    error_file_path: Path | None = None,  # its suffix follows the input's format (.csv or .xlsx)
    batch_size: int = 1000,
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportResult:
    """Import one file. Row problems are reported in the result, never raised. Raises ImportFileError
    when the file can't be read; if that happens part-way, the batches before it are stored (each whole)
    and the error carries the partial result as `.result`. Rows already stored are never lost."""
    result = ImportResult(dry_run=dry_run)
    try:
        return _run(spec, path, sheet, dry_run, error_file_path, batch_size, progress, result)
    except Exception as exc:
        exc.result = result  # what the batches before the failure stored
        raise


def _run(spec, path, sheet, dry_run, error_file_path, batch_size, progress, result: ImportResult) -> ImportResult:
    with open_table(path, sheet=sheet, preferred_sheet=spec.preferred_sheet) as table:
        positions = map_header(table.header, spec.columns)
        total = table.count_rows() if progress else None
        error_file = ErrorFile(error_file_path, table.header, table.format) if error_file_path else None
        width = len(table.header)
        batch: list[Any] = []
        batch_rows: dict[int, TableRow] = {}
        try:
            for row in table.rows():
                result.rows_total += 1
                cells = {key: (row.values[i] if i < len(row.values) else None) for key, i in positions.items()}
                cleaned, errors = spec.clean(row, cells)
                if errors:
                    _reject(result, error_file, row, errors.items, width)
                    continue
                batch.append(cleaned)
                batch_rows[row.number] = row
                if len(batch) >= batch_size:
                    _flush(spec, batch, batch_rows, dry_run, result, error_file, width)
                    batch, batch_rows = [], {}
                    if progress:
                        progress(result.rows_total, total)
            if batch:
                _flush(spec, batch, batch_rows, dry_run, result, error_file, width)
            if progress:
                progress(result.rows_total, total)
        finally:
            if error_file:
                error_file.close()
                if not result.rejected:
                    error_file.path.unlink(missing_ok=True)
    if error_file and result.rejected:
        result.error_file = error_file.path
    return result


def _reject(result: ImportResult, error_file: ErrorFile | None, row: TableRow, errors: list[RowError], width: int) -> None:
    result.rejected += 1
    result.add_errors(errors)
    if error_file:
        error_file.write(row, errors, width)


def _flush(spec, batch, batch_rows, dry_run, result, error_file, width) -> None:
    if dry_run:
        rejections = spec.write(batch, dry_run=True, result=result)
    else:
        with transaction.atomic():
            rejections = spec.write(batch, dry_run=False, result=result)
    by_row: dict[int, list[RowError]] = {}
    for error in rejections:
        by_row.setdefault(error.row, []).append(error)
    for number, errors in by_row.items():
        _reject(result, error_file, batch_rows[number], errors, width)


class SeenRecords:
    """The records a file has already named, remembered across batches by a hash of their identity, so a
    duplicate is caught whatever the batch size, in dry runs too. Kept in a private temporary SQLite file
    (not in Python objects), so memory stays flat on a file of a million rows."""

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None

    def earlier_rows(self, items: list[tuple[Hashable, int]]) -> dict[int, int]:
        """For (identity, row) pairs in file order: {row: the earlier row with the same identity}."""
        if self._db is None:
            self._db = sqlite3.connect("")  # "": a temporary database on disk, removed when closed
            self._db.execute("CREATE TABLE seen (key INTEGER PRIMARY KEY, row INTEGER NOT NULL)")
        hashes = [hash(identity) for identity, _row in items]
        known: dict[int, int] = {}
        distinct = list(set(hashes))
        for start in range(0, len(distinct), 500):
            chunk = distinct[start:start + 500]
            query = f"SELECT key, row FROM seen WHERE key IN ({','.join('?' * len(chunk))})"  # noqa: S608 (placeholders)
            known.update(self._db.execute(query, chunk).fetchall())
        earlier: dict[int, int] = {}
        new: dict[int, int] = {}
        for h, (_identity, row) in zip(hashes, items, strict=True):
            first = known.get(h, new.get(h))
            if first is None:
                new[h] = row
            else:
                earlier[row] = first
        self._db.executemany("INSERT INTO seen VALUES (?, ?)", new.items())
        return earlier
