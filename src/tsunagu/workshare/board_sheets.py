"""The board as a spreadsheet: export to CSV/XLSX, and import from a file or a published sheet's CSV link
(Google Sheets "publish to web", say). Every row is checked first; any bad row (unknown person or skill, the same
person as primary and backup, an unreadable date...) is reported with its row, column and reason, and then nothing
is written. A row with an ID updates that element; without one, it updates the element of the same name or
creates it, so importing the same sheet twice changes nothing the second time."""

import csv
import io
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tsunagu.accounts.models import Skill
from tsunagu.core.dates import parse_date
from tsunagu.core.errors import DomainError
from tsunagu.core.fetch import fetch_url
from tsunagu.core.spreadsheets import ImportFileError, escape_cell, open_table, text_of

from .models import Project, TeamMember, WorkElement
from .services import is_coordinator_of

COLUMNS = ["ID", "作業要素", "担当", "バックアップ", "状態", "期限", "見込み時間", "必要なスキル", "まとまり", "チェックリスト",
           "手順", "最新の進み具合"]
REQUIRED = ["作業要素", "期限", "見込み時間"]
LIST_SEPARATOR = "、"  # skills and checklist items in one cell
URL_MAX_BYTES = 20 * 1024 * 1024
URL_DEADLINE_SECONDS = 30


def board_rows(elements) -> list[list[str]]:
    rows = []
    for e in elements:
        rows.append([str(e.pk), e.title, e.primary.username if e.primary else "", e.backup.username if e.backup else "",
                     e.get_status_display(), e.due_on.isoformat(), str(e.estimated_hours),
                     LIST_SEPARATOR.join(s.name for s in e.skills.all()), e.group_key, LIST_SEPARATOR.join(e.checklist),
                     e.instructions, e.progress_note])
    return rows


def board_csv(elements) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in board_rows(elements):
        writer.writerow([escape_cell(cell) for cell in row])
    return out.getvalue()


def board_xlsx(elements) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "ボード"
    sheet.append(COLUMNS)
    for row in board_rows(elements):
        sheet.append([escape_cell(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class BoardImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    element: WorkElement | None
    values: dict
    skills: list[Skill]


def board_import_file(*, project: Project, by, path: Path | str) -> BoardImport:
    if not is_coordinator_of(by, project):
        raise DomainError(_("ボードを取り込めるのはコーディネーターだけです。"))
    with open_table(path, preferred_sheet="ボード") as table:
        header = [h.strip() for h in table.header]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ImportFileError(_("1行目に列「%(columns)s」がありません。") % {"columns": "」「".join(missing)})
        records = [(row.number, {name: text_of(v) for name, v in zip(header, row.values, strict=False)}) for row in table.rows()]
    return _import(project, records)


def board_import_url(*, project: Project, by, url: str) -> BoardImport:
    """A published sheet's CSV link (public http(s) addresses only, see core/fetch.py)."""
    if not is_coordinator_of(by, project):
        raise DomainError(_("ボードを取り込めるのはコーディネーターだけです。"))
    body = fetch_url(url, max_bytes=URL_MAX_BYTES, deadline_seconds=URL_DEADLINE_SECONDS)
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        handle.write(body)
        handle.flush()
        return board_import_file(project=project, by=by, path=handle.name)


def _import(project: Project, records: list[tuple[int, dict]]) -> BoardImport:
    result = BoardImport()
    team = {m.user.username: m.user for m in TeamMember.objects.filter(project=project, active=True).select_related("user")}
    skills = {s.name: s for s in Skill.objects.all()}
    existing = {e.pk: e for e in project.elements.prefetch_related("skills")}
    by_title = {e.title: e for e in existing.values()}
    today = timezone.localdate()
    checked: list[_Row] = []
    new_titles: dict[str, int] = {}
    for number, cells in records:
        errors_before = len(result.errors)

        def fail(column: str, message: str, number=number) -> None:
            result.errors.append(RowError(number, column, message))

        element = None
        if cells.get("ID"):
            element = existing.get(int(cells["ID"])) if re.fullmatch(r"[0-9]{1,12}", cells["ID"]) else None
            if element is None:
                fail("ID", _("このプロジェクトに ID %(id)s の作業要素はありません。") % {"id": cells["ID"]})
        title = cells.get("作業要素", "")
        if not title:
            fail("作業要素", _("作業要素の名前が空です。"))
        elif len(title) > 200:
            fail("作業要素", _("作業要素の名前は200文字までです。"))
        if len(cells.get("まとまり", "")) > 100:
            fail("まとまり", _("まとまりは100文字までです。"))
        element = element or by_title.get(title)
        if element is None and title in new_titles:
            fail("作業要素", _("同じ名前の新しい作業要素が%(row)s行目にもあります。") % {"row": new_titles[title]})
        elif element is None and title:
            new_titles[title] = number
        people = {}
        for column in ("担当", "バックアップ"):
            name = cells.get(column, "")
            if name and name not in team:
                fail(column, _("「%(name)s」はこのプロジェクトのチームにいません。") % {"name": name})
            people[column] = team.get(name)
        if people["担当"] and people["担当"] == people["バックアップ"]:
            fail("バックアップ", _("担当とバックアップが同じ人です。"))
        due = None
        try:
            parsed = parse_date(cells.get("期限", ""))
            due = parsed.date if parsed else None
            if due is None:
                fail("期限", _("期限が空です。"))
            elif due < today and (element is None or element.due_on != due):
                fail("期限", _("期限が過去の日付です。"))
        except DomainError as exc:
            fail("期限", exc.message)
        hours = None
        try:
            hours = Decimal(cells.get("見込み時間", "").replace("時間", "").replace("h", "") or "x").quantize(Decimal("0.1"))
            if hours <= 0 or hours >= 1000:
                raise InvalidOperation
        except InvalidOperation:
            fail("見込み時間", _("見込み時間は0より大きい数にしてください（例：1.5）。"))
        names = [n.strip() for n in cells.get("必要なスキル", "").replace(",", LIST_SEPARATOR).split(LIST_SEPARATOR) if n.strip()]
        unknown = [n for n in names if n not in skills]
        if unknown:
            fail("必要なスキル", _("スキル「%(names)s」は一覧にありません。") % {"names": "」「".join(unknown)})
        if len(result.errors) > errors_before:
            continue
        checklist = [c.strip() for c in cells.get("チェックリスト", "").split(LIST_SEPARATOR) if c.strip()]
        values = {"title": title, "primary": people["担当"], "backup": people["バックアップ"], "due_on": due,
                  "estimated_hours": hours, "group_key": cells.get("まとまり", ""),
                  "checklist": checklist, "instructions": cells.get("手順", "")}
        row = _Row(number, element, values, [skills[n] for n in names])
        if element is not None and element.status in FROZEN and not _same(row):
            fail("状態", _("提出済み・受け入れ済みの作業要素は取り込みでは変えられません（%(title)s）。") % {"title": element.title})
            continue
        checked.append(row)
    if result.errors:
        return result
    with transaction.atomic():
        for row in checked:
            _apply(project, row, result)
    return result


FROZEN = {WorkElement.Status.SUBMITTED, WorkElement.Status.ACCEPTED}  # handed-in work (and its pay) stays as it is
HELD = {WorkElement.Status.IN_PROGRESS, WorkElement.Status.REVISION_REQUESTED}


def _same(row: _Row) -> bool:
    element = row.element
    return all(getattr(element, f) == v for f, v in row.values.items()) and \
        {s.pk for s in element.skills.all()} == {s.pk for s in row.skills}


def _apply(project: Project, row: _Row, result: BoardImport) -> None:
    element, values = row.element, row.values
    if element is None:
        element = WorkElement(project=project)
        created = True
    else:
        created = False
        if _same(row):
            result.unchanged += 1
            return
    if element.status in HELD and values["primary"] is None:
        values = {**values, "primary": element.primary}  # work under way keeps its person
        if values["backup"] == element.primary:
            values["backup"] = None
    for name, value in values.items():
        setattr(element, name, value)
    if element.primary is not None and element.status == WorkElement.Status.OPEN:
        element.status = WorkElement.Status.CLAIMED
    elif element.primary is None and element.status != WorkElement.Status.OPEN:
        element.status = WorkElement.Status.OPEN
    element.save()
    element.skills.set(row.skills)
    if created:
        result.created += 1
    else:
        result.updated += 1
