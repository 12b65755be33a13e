"""Reading a spreadsheet people made: CSV in UTF-8 (with or without BOM) or Shift_JIS/cp932,
or XLSX. Rows are streamed, never loaded whole, so a file of a million rows reads in flat memory."""

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError

# Enough bytes to tell UTF-8 from cp932 on real files: the header and the first rows.
_SNIFF_BYTES = 256 * 1024
# A long 概要 pasted from a PDF can pass csv's default limit of 128 KB per cell.
csv.field_size_limit(16 * 1024 * 1024)


class ImportFileError(DomainError):
    """The file as a whole can't be read (wrong format, encoding, missing header columns)."""


@dataclass(frozen=True)
class TableRow:
    number: int  # 1-based, as a spreadsheet shows it: the header is row 1
    values: list[object]


class Table:
    """A header and a stream of rows. Use as a context manager; `rows()` may be iterated once."""

    format: str = ""
    encoding: str | None = None

    def __init__(self, path: Path) -> None:
        self.path = path
        self.header: list[str] = []

    def rows(self) -> Iterator[TableRow]:
        raise NotImplementedError

    def count_rows(self) -> int | None:
        """Number of data rows, when it can be told cheaply (for a progress bar)."""
        return None

    def close(self) -> None:
        pass

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def detect_encoding(path: Path) -> str:
    """UTF-8 with BOM, UTF-8, or cp932 (a superset of Shift_JIS that Excel writes)."""
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "cp932"):
        try:
            # A multi-byte character cut at the sniff boundary is not an error of the file.
            codecs.getincrementaldecoder(encoding)().decode(head, final=len(head) < _SNIFF_BYTES)
            return encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None:
        raise ImportFileError(_("文字コードを判別できません。UTF-8 または Shift_JIS の CSV で保存してください。"))
    return best.encoding


def _is_blank(values: list[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


class CsvTable(Table):
    format = "csv"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.encoding = detect_encoding(path)
        self._file = path.open("r", encoding=self.encoding, newline="")
        self._number = 0
        try:
            sample = self._file.read(64 * 1024)
            self._file.seek(0)
            try:
                self._delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
            except csv.Error:
                self._delimiter = ","
            self._reader = csv.reader(self._file, delimiter=self._delimiter)
            self.header = self._read_header()
        except UnicodeDecodeError as exc:
            self.close()
            raise ImportFileError(
                _("文字コードが混ざっていて読めません（%(encoding)s として読めない文字があります）。ファイル全体を UTF-8 か Shift_JIS で保存し直してください。")
                % {"encoding": self.encoding}
            ) from exc
        except csv.Error as exc:
            self.close()
            raise ImportFileError(_("CSV を読み取れません：%(error)s") % {"error": exc}) from exc

    def _read_header(self) -> list[str]:
        for values in self._reader:
            self._number += 1
            if not _is_blank(values):
                return [v.strip() for v in values]
        raise ImportFileError(_("ファイルが空です。1行目に見出しを書いてください。"))

    def rows(self) -> Iterator[TableRow]:
        try:
            for values in self._reader:
                self._number += 1
                if not _is_blank(values):
                    yield TableRow(self._number, values)
        except UnicodeDecodeError as exc:
            # The decoder reads ahead, so the row is approximate: say so.
            raise ImportFileError(
                _("%(row)d行目より後に %(encoding)s として読めない文字があります。ファイル全体の文字コードを揃えてください。")
                % {"row": self._number, "encoding": self.encoding}
            ) from exc
        except csv.Error as exc:
            raise ImportFileError(_("%(row)d行目の CSV の形が崩れています：%(error)s") % {"row": self._number + 1, "error": exc}) from exc

    def count_rows(self) -> int | None:
        try:
            with self.path.open("r", encoding=self.encoding, newline="") as f:
                return max(0, sum(1 for _ in csv.reader(f, delimiter=self._delimiter)) - 1)
        except (UnicodeDecodeError, csv.Error):
            return None  # reading the rows will report where the file breaks

    def close(self) -> None:
        self._file.close()


def _refuse_zip_bomb(path: Path) -> None:
    """An XLSX is a zip: refuse one that would unpack to more than XLSX_MAX_UNCOMPRESSED_BYTES, or whose parts are
    compressed far beyond what spreadsheet XML ever is, before anything is unpacked."""
    import zipfile

    from django.conf import settings

    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    total = sum(p.file_size for p in parts)
    if len(parts) > 10_000 or total > settings.XLSX_MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(_("XLSX ファイルを展開すると大きすぎます（%(mb)s MB）。CSV で保存するか、ファイルを分けてください。")
                              % {"mb": total // 1_000_000})
    for part in parts:
        if part.file_size > 10_000_000 and part.file_size > 200 * max(part.compress_size, 1):
            raise ImportFileError(_("XLSX ファイルの中身（%(name)s）が異常に圧縮されています。表計算ソフトで保存し直してください。")
                                  % {"name": part.filename})


class XlsxTable(Table):
    format = "xlsx"

    def __init__(self, path: Path, sheet: str | None = None, preferred_sheet: str | None = None) -> None:
        super().__init__(path)
        import zipfile

        from openpyxl import load_workbook

        try:
            _refuse_zip_bomb(path)
            # data_only: a formula cell gives its saved value; nothing in the file is ever evaluated.
            self._book = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportFileError(_("XLSX ファイルとして開けません：%(error)s") % {"error": exc}) from exc
        names = self._book.sheetnames
        if sheet:
            if sheet not in names:
                self.close()
                raise ImportFileError(
                    _("シート「%(sheet)s」がありません（あるシート：%(names)s）。") % {"sheet": sheet, "names": "、".join(names)}
                )
            self.sheet_name = sheet
        elif preferred_sheet and preferred_sheet in names:
            self.sheet_name = preferred_sheet
        else:
            self.sheet_name = names[0]
        self._sheet = self._book[self.sheet_name]
        self._iter = self._sheet.iter_rows(values_only=True)
        self._number = 0
        for values in self._iter:
            self._number += 1
            if not _is_blank(list(values)):
                self.header = ["" if v is None else str(v).strip() for v in values]
                break
        else:
            self.close()
            raise ImportFileError(_("シート「%(sheet)s」が空です。1行目に見出しを書いてください。") % {"sheet": self.sheet_name})

    def rows(self) -> Iterator[TableRow]:
        for values in self._iter:
            self._number += 1
            row = list(values)
            if not _is_blank(row):
                yield TableRow(self._number, row)

    def count_rows(self) -> int | None:
        # The declared size counts styled empty rows too: only a hint for the progress bar, capped.
        max_row = self._sheet.max_row
        return max(0, max_row - 1) if max_row and max_row < 1_048_576 else None

    def close(self) -> None:
        self._book.close()


def open_table(path: Path | str, *, sheet: str | None = None, preferred_sheet: str | None = None) -> Table:
    """Open a CSV or XLSX file by its content (an XLSX is a zip), not only its name."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            magic = f.read(4)
    except OSError as exc:
        raise ImportFileError(_("ファイル「%(name)s」を開けません：%(error)s") % {"name": path.name, "error": exc.strerror}) from exc
    if magic.startswith(b"PK\x03\x04"):
        return XlsxTable(path, sheet=sheet, preferred_sheet=preferred_sheet)
    if path.suffix.lower() in {".xls", ".xlsm", ".ods"}:
        raise ImportFileError(_("この形式（%(suffix)s）は読めません。CSV か XLSX で保存してください。") % {"suffix": path.suffix})
    return CsvTable(path)


def text_of(value: object) -> str:
    """A cell as text, undoing the export's formula escape ('=… → =…)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\x00", "").strip()  # PostgreSQL text can't hold NUL
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def escape_cell(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


__all__ = ["ImportFileError", "Table", "TableRow", "open_table", "text_of", "escape_cell"]
