"""Exports of notices and awards: JSON Lines (one object per notice, awards inside), and CSV/XLSX in the
import templates, so an export re-imports unchanged. Streams in chunks: memory stays flat."""

import csv
import datetime
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db.models import Prefetch, QuerySet

from tsunagu.core.choices import TaxBasis, canonical_label
from tsunagu.core.errors import ValueParseError
from tsunagu.core.money import parse_amount

from .imports.columns import AWARD_COLUMNS, NOTICE_COLUMNS, Column
from tsunagu.core.spreadsheets import escape_cell
from .models import Award, Notice, NoticeKind, NoticeStatus

CHUNK = 2000


def _tax_label(value: str) -> str | None:
    return None if value == TaxBasis.UNKNOWN else canonical_label(TaxBasis(value))


def _date_cell(day: datetime.date | None, time: datetime.time | None = None) -> str:
    if day is None:
        return ""
    return f"{day.isoformat()} {time:%H:%M}" if time else day.isoformat()


def notices_for_export() -> QuerySet[Notice]:
    awards = Award.objects.select_related("winner").order_by("id")
    return (
        Notice.objects.with_status()
        .select_related("municipality__prefecture")
        .prefetch_related(Prefetch("awards", queryset=awards))
        .order_by("id")
    )


def notice_as_json(notice: Notice) -> dict[str, Any]:
    m = notice.municipality
    return {
        "external_id": notice.external_id,
        "lg_code": m.lg_code,
        "prefecture": m.prefecture.name,
        "municipality": m.name,
        "department": notice.department,
        "title": notice.title,
        "kind": canonical_label(NoticeKind(notice.kind)),
        "categories": notice.categories,
        "description": notice.description,
        "published_on": notice.published_on.isoformat(),
        "enquiry_deadline": _iso(notice.enquiry_deadline, notice.enquiry_deadline_time),
        "application_deadline": _iso(notice.application_deadline, notice.application_deadline_time),
        "submission_deadline": _iso(notice.submission_deadline, notice.submission_deadline_time),
        "budget_yen": notice.budget_yen,
        "tax_basis": _tax_label(notice.budget_tax_basis) if notice.budget_yen is not None else None,
        "contract_period": notice.contract_period,
        "eligibility": notice.eligibility,
        "npo_eligible": notice.npo_eligible,
        "source_url": notice.source_url,
        "status": canonical_label(NoticeStatus(notice.status)),
        "awards": [award_as_json(a) for a in notice.awards.all()],
    }


def _iso(day: datetime.date | None, time: datetime.time | None) -> str | None:
    if day is None:
        return None
    return datetime.datetime.combine(day, time).isoformat(timespec="minutes") if time else day.isoformat()


def award_as_json(award: Award) -> dict[str, Any]:
    ratio = award.award_ratio
    return {
        "winner": award.winner.name,
        "corporate_number": award.winner.corporate_number,
        "amount_yen": award.amount_yen,
        "estimated_value_yen": award.estimated_value_yen,
        # One basis for the pair when they agree; otherwise the amount's (the ratio is then null).
        "tax_basis": _tax_label(award.amount_tax_basis),
        "bidders": award.bidders,
        "awarded_on": award.awarded_on.isoformat() if award.awarded_on else None,
        "score": float(award.score) if award.score is not None else None,
        "award_ratio": float(ratio) if ratio is not None else None,
    }


def notice_template_row(notice: Notice) -> dict[str, str]:
    """A notice as the cells of the 公募情報 template (key → text)."""
    return {
        "external_id": notice.external_id,
        "lg_code": notice.municipality.lg_code,
        "municipality": notice.municipality.full_name,
        "department": notice.department,
        "title": notice.title,
        "kind": canonical_label(NoticeKind(notice.kind)),
        "categories": "、".join(notice.categories),
        "description": notice.description,
        "published_on": notice.published_on.isoformat(),
        "enquiry_deadline": _date_cell(notice.enquiry_deadline, notice.enquiry_deadline_time),
        "application_deadline": _date_cell(notice.application_deadline, notice.application_deadline_time),
        "submission_deadline": _date_cell(notice.submission_deadline, notice.submission_deadline_time),
        "budget": _budget_cell(notice),
        "tax_basis": _tax_label(notice.budget_tax_basis) or "",
        "contract_period": notice.contract_period,
        "eligibility": notice.eligibility,
        "npo_eligible": {True: "○", False: "×", None: ""}[notice.npo_eligible],
        "source_url": notice.source_url,
        "notes": notice.notes,
    }


def _budget_cell(notice: Notice) -> str:
    """The original text when it reads back to the same amount and tax basis (so it survives a round
    trip), otherwise the amount in yen."""
    if notice.budget_yen is None:
        return notice.budget_text  # wording without an amount (予定価格は事後公表) reads back as such
    if notice.budget_text:
        try:
            parsed = parse_amount(notice.budget_text)
        except ValueParseError:
            parsed = None
        if parsed and parsed.yen == notice.budget_yen and (parsed.tax_basis or TaxBasis.UNKNOWN) in (
            notice.budget_tax_basis, TaxBasis.UNKNOWN
        ):
            return notice.budget_text
    return str(notice.budget_yen)


def award_template_row(award: Award) -> dict[str, str]:
    notice = award.notice
    same_basis = award.amount_tax_basis == award.estimated_value_tax_basis

    def amount(yen: int | None, basis: str) -> str:
        if yen is None:
            return ""
        # A pair on different bases carries each basis in its own cell.
        return str(yen) if same_basis or basis == TaxBasis.UNKNOWN else f"{yen}（{canonical_label(TaxBasis(basis))}）"

    return {
        "external_id": notice.external_id,
        "lg_code": notice.municipality.lg_code,
        "municipality": notice.municipality.full_name,
        "title": notice.title,
        "published_on": notice.published_on.isoformat(),
        "winner": award.winner.name,
        "corporate_number": award.winner.corporate_number or "",
        "amount": amount(award.amount_yen, award.amount_tax_basis),
        "estimated_value": amount(award.estimated_value_yen, award.estimated_value_tax_basis),
        "tax_basis": (_tax_label(award.amount_tax_basis) or "") if same_basis else "",
        "bidders": "" if award.bidders is None else str(award.bidders),
        "awarded_on": _date_cell(award.awarded_on),
        "score": "" if award.score is None else _decimal_text(award.score),
        "notes": award.notes,
    }


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def awards_for_export() -> QuerySet[Award]:
    return Award.objects.select_related("notice__municipality__prefecture", "winner").order_by("notice_id", "id")


def _cells(row: dict[str, str], columns: tuple[Column, ...]) -> list[str]:
    return [escape_cell(row[c.key]) for c in columns]


def export_jsonl(out: IO[str]) -> int:
    count = 0
    for notice in notices_for_export().iterator(chunk_size=CHUNK):
        out.write(json.dumps(notice_as_json(notice), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def export_csv(out: IO[str], *, what: str = "notices") -> int:
    """CSV in the import template. Open `out` with encoding utf-8-sig so Excel reads it as UTF-8."""
    writer = csv.writer(out)
    columns, rows = _template_rows(what)
    writer.writerow([c.header for c in columns])
    count = 0
    for row in rows:
        writer.writerow(_cells(row, columns))
        count += 1
    return count


def _template_rows(what: str) -> tuple[tuple[Column, ...], Iterator[dict[str, str]]]:
    if what == "awards":
        return AWARD_COLUMNS, (award_template_row(a) for a in awards_for_export().iterator(chunk_size=CHUNK))
    return NOTICE_COLUMNS, (notice_template_row(n) for n in notices_for_export().iterator(chunk_size=CHUNK))


def export_xlsx(path: Path) -> int:
    """One workbook, two sheets in the import templates: 公募情報 and 落札結果."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    count = 0
    for what, title in (("notices", "公募情報"), ("awards", "落札結果")):
        sheet = book.create_sheet(title)
        columns, rows = _template_rows(what)
        sheet.append([c.header for c in columns])
        for row in rows:
            sheet.append(_cells(row, columns))
            count += what == "notices"
    book.save(path)
    return count


def notice_structured_data(notice: Notice, *, url: str) -> dict[str, Any]:
    """schema.org description of a call for search engines (JSON-LD): a government call for proposals."""
    municipality = notice.municipality
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "additionalType": "https://schema.org/GovernmentService",
        "name": notice.title,
        "url": url,
        "datePublished": notice.published_on.isoformat(),
        "inLanguage": "ja",
        "genre": canonical_label(NoticeKind(notice.kind)),
        "keywords": notice.categories,
        "publisher": {"@type": "GovernmentOrganization", "name": municipality.full_name,
                      **({"url": municipality.website_url} if municipality.website_url else {})},
    }
    if notice.description:
        data["abstract"] = notice.description[:500]
    if notice.last_deadline:
        data["expires"] = notice.last_deadline.isoformat()
    if notice.source_url:
        data["isBasedOn"] = notice.source_url
    return data
