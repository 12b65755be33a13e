"""Importing 公募情報 rows: cleaning and the batch upsert with history."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.bulk import bulk_insert
from tsunagu.core.errors import DomainError
from tsunagu.municipalities.directory import MunicipalityDirectory
from tsunagu.municipalities.models import Municipality

from ..identity import is_cancelled_title, is_correction_title, notice_fingerprint, notice_title_key
from ..models import Notice, NoticeRevision
from ..signals import notices_changed
from . import cells
from .columns import NOTICE_COLUMNS
from .pipeline import ImportResult, RowError, RowErrors, RowSpec
from tsunagu.core.spreadsheets import TableRow

C = {column.key: column for column in NOTICE_COLUMNS}


# The column each stored field comes from. A column the file doesn't have leaves its fields as they are
# (a blank cell in a column the file has clears the value).
SOURCE_COLUMN = {
    "department": "department", "description": "description", "categories": "categories",
    "contract_period": "contract_period", "eligibility": "eligibility", "npo_eligible": "npo_eligible",
    "source_url": "source_url", "notes": "notes", "budget_yen": "budget", "budget_tax_basis": "budget",
    "budget_text": "budget", "enquiry_deadline": "enquiry_deadline", "enquiry_deadline_time": "enquiry_deadline",
    "application_deadline": "application_deadline", "application_deadline_time": "application_deadline",
    "submission_deadline": "submission_deadline", "submission_deadline_time": "submission_deadline",
}  # fmt: skip


def only_present_columns(values: dict[str, Any], raw: dict[str, Any], sources: dict[str, str]) -> dict[str, Any]:
    return {field: value for field, value in values.items() if field not in sources or sources[field] in raw}


@dataclass
class NoticeRow:
    row: int
    municipality: Municipality
    external_id: str
    fingerprint: str
    values: dict[str, Any]


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def clean_municipality(
    directory: MunicipalityDirectory, cells_: dict[str, Any], errors: RowErrors
) -> Municipality | None:
    raw_code = cells_.get("lg_code")
    code = cells.text_of(raw_code)
    name = cells.text_of(cells_.get("municipality"))
    if not code and not name:
        errors.add(C["lg_code"], _("団体コードか自治体名のどちらかは必須です。"))
        return None
    # A number cell keeps its type: the directory knows a spreadsheet may have dropped a leading zero.
    code_value = raw_code if isinstance(raw_code, int | float) and not isinstance(raw_code, bool) else code
    try:
        return directory.resolve(code=code_value if code else None, name=name or None)
    except DomainError as exc:
        column = getattr(exc, "field", None) or (C["lg_code"].header if code else C["municipality"].header)
        errors.add(column, exc.message)
        return None


def _same_amount_without_wording(notice: Notice, values: dict[str, Any]) -> bool:
    """A bare number equal to the stored amount keeps the stored wording (e.g. 1事業あたり上限33万円)."""
    return (
        values.get("budget_text") == ""
        and values.get("budget_yen") is not None
        and values.get("budget_yen") == notice.budget_yen
        and values.get("budget_tax_basis") == notice.budget_tax_basis
    )


class NoticeRowSpec(RowSpec):
    columns = NOTICE_COLUMNS
    preferred_sheet = "公募情報"

    def clean(self, row: TableRow, raw: dict[str, Any]) -> tuple[NoticeRow | None, RowErrors]:
        errors = RowErrors(row.number)
        municipality = clean_municipality(self.directory, raw, errors)
        external_id = errors.check(C["external_id"], lambda: cells.clean_external_id(raw.get("external_id")))
        title = errors.check(C["title"], lambda: cells.clean_text(raw.get("title"), max_length=500, label="案件名"))
        if not title and not any(e.column == C["title"].header for e in errors.items):
            errors.add(C["title"], _("必須です。案件名を書いてください。"))
        kind = None
        if cells.text_of(raw.get("kind")):
            kind = errors.check(C["kind"], lambda: cells.clean_kind(raw.get("kind")))
        else:
            errors.add(C["kind"], _("必須です。公募種別を書いてください。"))
        published_on = errors.check(C["published_on"], lambda: cells.clean_required_date(raw.get("published_on")))
        deadlines = {}
        for key in ("enquiry_deadline", "application_deadline", "submission_deadline"):
            parsed = errors.check(C[key], lambda key=key: cells.clean_date(raw.get(key)))
            deadlines[key] = parsed
            if parsed and published_on and parsed.date < published_on:
                errors.add(C[key], _("%(column)s（%(date)s）が公告日（%(published)s）より前です。") % {
                    "column": C[key].header, "date": parsed.date.isoformat(), "published": published_on.isoformat()})
        amount, budget_text = errors.check(C["budget"], lambda: cells.clean_amount(raw.get("budget"))) or (None, "")
        tax_column = errors.check(C["tax_basis"], lambda: cells.clean_tax_basis(raw.get("tax_basis")))
        tax_basis = errors.check(C["budget"], lambda: cells.resolve_tax_basis(amount, tax_column, C["budget"].header))
        values = {
            "department": errors.check(C["department"], lambda: cells.clean_text(raw.get("department"), max_length=200, label="担当課")),
            "description": cells.clean_text(raw.get("description")),
            "categories": cells.clean_categories(raw.get("categories")),
            "contract_period": errors.check(
                C["contract_period"], lambda: cells.clean_text(raw.get("contract_period"), max_length=300, label="契約期間")
            ),
            "eligibility": cells.clean_text(raw.get("eligibility")),
            "npo_eligible": errors.check(C["npo_eligible"], lambda: cells.clean_npo_eligible(raw.get("npo_eligible"))),
            "source_url": errors.check(C["source_url"], lambda: cells.clean_url(raw.get("source_url"))),
            "notes": cells.clean_text(raw.get("notes")),
        }
        if errors:
            return None, errors
        values.update(
            title=title,
            title_key=notice_title_key(title),
            kind=kind,
            published_on=published_on,
            budget_yen=amount.yen if amount else None,
            budget_tax_basis=tax_basis,
            budget_text=budget_text[:200],
        )
        if is_cancelled_title(title):
            values["cancelled"] = True  # a title without the mark never clears a cancellation
        for key, parsed in deadlines.items():
            values[key] = parsed.date if parsed else None
            values[f"{key}_time"] = parsed.time if parsed else None
        fingerprint = notice_fingerprint(lg_code=municipality.lg_code, title=title, published_on=published_on)
        return NoticeRow(row.number, municipality, external_id, fingerprint, only_present_columns(values, raw, SOURCE_COLUMN)), errors

    def _existing(self, batch: list[NoticeRow]) -> tuple[dict, dict]:
        municipality_ids = {r.municipality.id for r in batch}
        by_external: dict[tuple[int, str], Notice] = {}
        external_ids = {r.external_id for r in batch if r.external_id}
        if external_ids:
            for notice in Notice.objects.filter(municipality_id__in=municipality_ids, external_id__in=external_ids).exclude(external_id="").order_by():
                by_external[(notice.municipality_id, notice.external_id)] = notice
        by_fingerprint: dict[tuple[int, str], list[Notice]] = {}
        # The fingerprint includes the 団体コード: looked up alone it uses its own index.
        for notice in Notice.objects.filter(fingerprint__in={r.fingerprint for r in batch}).order_by("id"):
            by_fingerprint.setdefault((notice.municipality_id, notice.fingerprint), []).append(notice)
        return by_external, by_fingerprint

    def _match(self, row: NoticeRow, by_external: dict, by_fingerprint: dict) -> Notice | None:
        """The stored notice a row describes. With 管理ID: that ID, or a notice entered earlier without one
        (adopted). Without: a notice without 管理ID, or else one with an ID entered earlier. Notices this run
        created itself are never matched by fingerprint, so the outcome doesn't depend on batch boundaries
        and a dry run agrees with the real run."""
        if row.external_id:
            notice = by_external.get((row.municipality.id, row.external_id))
            if notice is not None:
                return notice
        candidates = [n for n in by_fingerprint.get((row.municipality.id, row.fingerprint), []) if n.created_at < self.started_at]
        without_id = [n for n in candidates if not n.external_id]
        if row.external_id:
            return without_id[0] if without_id else None
        return (without_id or candidates or [None])[0]

    def write(self, batch: list[NoticeRow], *, dry_run: bool, result: ImportResult) -> list[RowError]:
        by_external, by_fingerprint = self._existing(batch)
        matched = [(row, self._match(row, by_external, by_fingerprint)) for row in batch]
        identities = []
        for row, notice in matched:
            identities.append((("notice", row.municipality.id, row.external_id or row.fingerprint), row.row))
            if notice is not None:  # two rows that land on one stored notice are duplicates too
                identities.append((("stored", notice.pk), row.row))
        earlier_rows = self.seen.earlier_rows(identities)
        now = timezone.now()
        rejections: list[RowError] = []
        to_create: list[Notice] = []
        to_update: list[Notice] = []
        revisions: list[NoticeRevision] = []
        update_fields: set[str] = set()
        for row, notice in matched:
            earlier = earlier_rows.get(row.row)
            if earlier is not None:
                rejections.append(RowError(row.row, C["external_id"].header if row.external_id else C["title"].header,
                                           _("%(row)d行目と同じ公募です（同じファイルに2回あります）。") % {"row": earlier}))
                continue
            if notice is None:
                result.created += 1
                to_create.append(Notice(
                    municipality=row.municipality, external_id=row.external_id, fingerprint=row.fingerprint,
                    created_by=self.user, source=self.source, import_run=self.import_run, created_at=now, updated_at=now,
                    **row.values))
                continue
            if _same_amount_without_wording(notice, row.values):
                row.values["budget_text"] = notice.budget_text
            changes = {f: [jsonable(getattr(notice, f)), jsonable(v)] for f, v in row.values.items() if getattr(notice, f) != v}
            changes.pop("title_key", None)
            if row.external_id and not notice.external_id:
                changes["external_id"] = ["", row.external_id]
            if not changes and notice.fingerprint == row.fingerprint:
                result.unchanged += 1
                continue
            result.updated += 1
            for field, value in row.values.items():
                setattr(notice, field, value)
            notice.fingerprint = row.fingerprint
            if row.external_id:
                notice.external_id = row.external_id
            notice.updated_at = now
            update_fields.update(changes, {"fingerprint", "updated_at", "title_key"})
            to_update.append(notice)
            kind = NoticeRevision.Kind.CORRECTION if is_correction_title(notice.title) else NoticeRevision.Kind.UPDATED
            revisions.append(NoticeRevision(
                notice=notice, kind=kind, changed_at=now, changed_by=self.user,
                import_run=self.import_run, source=self.source, changes=changes))
        if not dry_run:
            bulk_insert(Notice, to_create)
            if to_update:
                Notice.objects.bulk_update(to_update, sorted(update_fields))
                NoticeRevision.objects.bulk_create(revisions)
            notices_changed.send(sender=Notice, ids=[n.pk for n in (*to_create, *to_update)])
        return rejections
