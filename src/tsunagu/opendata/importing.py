"""Reading OCDS releases back into notices and awards.

A release is translated into the cells of the 公募情報 and 落札結果 import templates and then goes through
the same cleaning, identity rules and upserts as a spreadsheet row (notices/imports/): a release with
a 管理ID or a fingerprint we know updates that notice (with its revision history), the search index
follows through the importer's own signal, and a value the release doesn't carry is left as it is.
"""

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tsunagu.core.choices import TaxBasis, canonical_label
from tsunagu.core.errors import DomainError
from tsunagu.core.text import organisation_name_key
from tsunagu.notices.imports.columns import AWARD_COLUMNS, NOTICE_COLUMNS

from .ocds import (
    DATE_ONLY_END,
    JCN,
    JST,
    LG_CODE,
    NO_EXTERNAL_ID_PREFIX,
    lg_code_of_corporate_number,
)

TAX_LABEL = {"included": canonical_label(TaxBasis.INCLUDED), "excluded": canonical_label(TaxBasis.EXCLUDED)}

# Where in a release each template column comes from: a cleaning error on a column is reported at this path.
NOTICE_PATHS = {
    "external_id": "tender.id", "lg_code": "buyer", "municipality": "buyer",
    "department": "parties[buyer].contactPoint.name", "title": "tender.title",
    "kind": "tender.procurementMethodDetails", "categories": "tender.subjectAreas", "description": "tender.description",
    "published_on": "tender.tenderPeriod.startDate", "enquiry_deadline": "tender.enquiryPeriod.endDate",
    "application_deadline": "tender.applicationPeriod.endDate", "submission_deadline": "tender.tenderPeriod.endDate",
    "budget": "tender.value", "tax_basis": "tender.value.taxBasis", "contract_period": "tender.contractPeriodText",
    "eligibility": "tender.eligibilityCriteria", "npo_eligible": "tender.npoEligible",
    "source_url": "tender.documents", "notes": "tender.remarks",
}  # fmt: skip
AWARD_PATHS = {
    "winner": "suppliers", "corporate_number": "suppliers[0].identifier.id", "amount": "value",
    "estimated_value": "estimatedValue", "tax_basis": "value.taxBasis", "bidders": "numberOfBidders",
    "awarded_on": "date", "score": "evaluationScore", "notes": "description",
}  # fmt: skip
NOTICE_HEADER_PATHS = {c.header: NOTICE_PATHS.get(c.key, "tender") for c in NOTICE_COLUMNS}
# An award's cells that name its notice come from the tender and buyer: their errors are the notice's.
AWARD_HEADER_PATHS = {c.header: AWARD_PATHS[c.key] for c in AWARD_COLUMNS if c.key in AWARD_PATHS}
IMPORTED_AWARD_STATUSES = {None, "active", "pending"}  # a cancelled or unsuccessful award names no winner


class OcdsFileError(DomainError):
    """The file as a whole can't be read as OCDS (not JSON, not a release package or JSON Lines)."""


@dataclass(frozen=True)
class ReleaseProblem:
    release: int  # 1-based position of the release in the file
    path: str  # JSON path in the file, e.g. $.releases[0].tender.title, or line 3: $.tender.title
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"release": self.release, "path": self.path, "message": self.message}

    def __str__(self) -> str:
        return _("%(n)d件目のリリース（%(path)s）：%(message)s") % {"n": self.release, "path": self.path, "message": self.message}


class ReleaseError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass
class SourceRelease:
    number: int  # 1-based
    prefix: str  # the release's own JSON path in the file
    data: Any  # the parsed release, or None when its line wasn't JSON
    problem: str = ""


def read_releases(path: Path) -> Iterator[SourceRelease]:
    """The releases of a release package or of a JSON Lines file (one release per line). JSON Lines is
    read line by line; a package is parsed whole (a package is one JSON document)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            first = handle.readline()
    except UnicodeDecodeError:
        raise OcdsFileError(_("ファイルを UTF-8 として読めません。")) from None
    except OSError as exc:
        raise OcdsFileError(_("ファイルを開けません：%(error)s") % {"error": exc.strerror or exc}) from None
    try:
        head = json.loads(first)
    except ValueError:
        head = None
    if isinstance(head, dict) and "releases" not in head:
        yield from _jsonl(path)
        return
    try:
        with open(path, encoding="utf-8-sig") as handle:
            package = json.load(handle)
    except ValueError as exc:
        raise OcdsFileError(_("JSON として読めません（%(line)d行目 %(column)d文字目）：%(error)s")
                            % {"line": getattr(exc, "lineno", 0), "column": getattr(exc, "colno", 0),
                               "error": getattr(exc, "msg", str(exc))}) from None
    if not isinstance(package, dict) or not isinstance(package.get("releases"), list):
        raise OcdsFileError(_("リリースパッケージ（releases の配列を持つオブジェクト）か、1行に1リリースの JSON Lines にしてください。"))
    for index, release in enumerate(package["releases"]):
        yield SourceRelease(index + 1, f"$.releases[{index}]", release)


def _jsonl(path: Path) -> Iterator[SourceRelease]:
    number = 0
    with open(path, encoding="utf-8-sig") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            number += 1
            prefix = _("%(line)d行目 $") % {"line": line_number}
            try:
                yield SourceRelease(number, prefix, json.loads(line))
            except ValueError as exc:
                yield SourceRelease(number, prefix, None, _("JSON として読めません：%(error)s") % {"error": getattr(exc, "msg", exc)})


# -- one release → template cells --


def _get(data: Any, path: str, kind: type | tuple[type, ...], *, required: bool = False, at: str = "") -> Any:
    """The value at `path` (dotted) in `data`, checked to be of `kind`; `at` is where `data` is in the release."""
    value: Any = data
    for key in path.split("."):
        if not isinstance(value, dict):
            value = None
            break
        value = value.get(key)
    if value is None:
        if required:
            raise ReleaseError(f"{at}.{path}" if at else path, _("必須です。"))
        return None
    if not isinstance(value, kind) or isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise ReleaseError(f"{at}.{path}" if at else path, _("値の型が正しくありません（%(expected)s にしてください）。") % {"expected": _type_name(kind)})
    return value


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {str: _("文字列"), dict: _("オブジェクト"), list: _("配列"), bool: "true / false", int: _("数値"), float: _("数値")}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " / ".join(dict.fromkeys(names[k] for k in kinds))


def _datetime_cell(value: str | None, path: str, *, date_only: datetime.time = DATE_ONLY_END) -> str | None:
    """An OCDS date-time as the importer's date cell in Japan time: '2025-04-10' when it is at `date_only`
    (23:59:59 for a deadline given as a day, 00:00 for a start), '2025-04-10 17:00' otherwise."""
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ReleaseError(path, _("日時「%(value)s」を読めません。2025-04-10T17:00:00+09:00 の形にしてください。") % {"value": value}) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(JST)
    if moment.time() == date_only:
        return moment.date().isoformat()
    return f"{moment.date().isoformat()} {moment:%H:%M}"


def _amount_cell(value: dict | None, path: str) -> tuple[str | None, str | None]:
    """(amount cell, tax basis label) of an OCDS Value."""
    if value is None:
        return None, None
    amount = _get(value, "amount", (int, float), at=path)
    currency = _get(value, "currency", str, at=path)
    if currency not in (None, "JPY"):
        raise ReleaseError(f"{path}.currency", _("通貨は JPY（円）だけを取り込めます（%(value)s）。") % {"value": currency})
    basis = _get(value, "taxBasis", str, at=path)
    if basis is not None and basis not in TAX_LABEL:
        raise ReleaseError(f"{path}.taxBasis", _("税区分は included（税込）か excluded（税抜）にしてください。"))
    if amount is None:
        return None, None
    if amount != int(amount) or amount < 0:
        raise ReleaseError(f"{path}.amount", _("金額は0以上の円の整数にしてください（%(value)s）。") % {"value": amount})
    return str(int(amount)), TAX_LABEL.get(basis)


def _parties(release: dict) -> dict[str, dict]:
    parties = _get(release, "parties", list) or []
    found = {}
    for index, party in enumerate(parties):
        if not isinstance(party, dict) or not isinstance(party.get("id"), str):
            raise ReleaseError(f"parties[{index}]", _("id を持つオブジェクトにしてください。"))
        found[party["id"]] = party
    return found


def _identifiers(party: dict) -> list[dict]:
    found = [party.get("identifier")] + list(party.get("additionalIdentifiers") or [])
    return [i for i in found if isinstance(i, dict) and isinstance(i.get("id"), str | int)]


def _buyer_cells(release: dict, parties: dict[str, dict]) -> dict[str, Any]:
    buyer = _get(release, "buyer", dict, required=True)
    buyer_id = _get(buyer, "id", str, at="buyer")
    party = parties.get(buyer_id) or {}
    lg_code = None
    for identifier in _identifiers(party):
        if identifier.get("scheme") == LG_CODE:
            lg_code = str(identifier["id"])
        elif identifier.get("scheme") == JCN and lg_code is None:
            lg_code = lg_code_of_corporate_number(str(identifier["id"]))
    name = party.get("name") or buyer.get("name")
    if not lg_code and not name:
        raise ReleaseError("buyer", _("発注者（自治体）の団体コードか名称が必要です。"))
    contact = party.get("contactPoint") if isinstance(party.get("contactPoint"), dict) else {}
    cells = {"lg_code": lg_code, "municipality": None if lg_code else name}
    if "contactPoint" in party:
        cells["department"] = contact.get("name")
    return cells


def notice_cells(release: dict) -> dict[str, Any]:
    """The 公募情報 template cells of a release. A field the release doesn't have is left out (the stored
    value stays); a field it has, even empty, is written."""
    parties = _parties(release)
    cells = _buyer_cells(release, parties)
    tender = _get(release, "tender", dict, required=True)

    def get(path: str, kind: type | tuple[type, ...]) -> Any:
        return _get(tender, path, kind, at="tender")

    tender_id = get("id", (str, int))
    cells["external_id"] = "" if tender_id is None or str(tender_id).startswith(NO_EXTERNAL_ID_PREFIX) else str(tender_id)
    cells["title"] = get("title", str)
    cells["kind"] = get("procurementMethodDetails", str)
    start = get("tenderPeriod.startDate", str) or _get(release, "date", str)
    cells["published_on"] = _datetime_cell(start, "tender.tenderPeriod.startDate", date_only=datetime.time(0, 0))
    for key, period in (("enquiry_deadline", "enquiryPeriod"), ("application_deadline", "applicationPeriod"),
                        ("submission_deadline", "tenderPeriod")):
        if period in tender:
            get(period, dict)
            cells[key] = _datetime_cell(get(f"{period}.endDate", str), f"tender.{period}.endDate")
    simple = {"description": "description", "eligibility": "eligibilityCriteria", "contract_period": "contractPeriodText",
              "notes": "remarks"}
    for key, field in simple.items():
        if field in tender:
            cells[key] = get(field, str)
    if "subjectAreas" in tender:
        areas = get("subjectAreas", list) or []
        if not all(isinstance(area, str) for area in areas):
            raise ReleaseError("tender.subjectAreas", _("文字列の配列にしてください。"))
        cells["categories"] = "、".join(areas)
    if "npoEligible" in tender:
        cells["npo_eligible"] = {True: "○", False: "×", None: ""}[get("npoEligible", bool)]
    if "value" in tender or "budgetText" in tender:
        get("budgetText", str)  # its type is checked here; it is stored as written (notice_overrides)
        cells["budget"], cells["tax_basis"] = _amount_cell(get("value", dict), "tender.value")
    if "documents" in tender:
        cells["source_url"] = _source_url(get("documents", list) or [])
    return cells


def notice_overrides(release: dict) -> dict[str, Any]:
    """Stored values a release sets beyond the template's cells: the budget's wording exactly as given
    (the template reads wording only when it spells the same amount) and a cancellation."""
    tender = release.get("tender") or {}
    overrides: dict[str, Any] = {}
    if "budgetText" in tender:
        overrides["budget_text"] = (tender.get("budgetText") or "")[:200]
    if tender.get("status") == "cancelled":
        overrides["cancelled"] = True  # as a 【中止】 title does; nothing but a re-publication clears it
    return overrides


def _source_url(documents: list) -> str:
    for preferred in (True, False):
        for document in documents:
            if isinstance(document, dict) and isinstance(document.get("url"), str):
                if not preferred or document.get("documentType") == "tenderNotice":
                    return document["url"]
    return ""


def award_cells(release: dict, notice: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(JSON path, 落札結果 template cells) for each award of the release that names a winner."""
    parties = _parties(release)
    found = []
    winners: dict[str, str] = {}
    for index, award in enumerate(_get(release, "awards", list) or []):
        path = f"awards[{index}]"
        if not isinstance(award, dict):
            raise ReleaseError(path, _("オブジェクトにしてください。"))
        if award.get("status") not in IMPORTED_AWARD_STATUSES:
            continue
        suppliers = award.get("suppliers")
        if not isinstance(suppliers, list) or len(suppliers) != 1 or not isinstance(suppliers[0], dict):
            raise ReleaseError(f"{path}.suppliers", _("落札者（suppliers）を1者だけ書いてください。"))
        supplier = suppliers[0]
        party = parties.get(supplier.get("id")) or {}
        name = party.get("name") or supplier.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ReleaseError(f"{path}.suppliers[0].name", _("落札者の名称が必要です。"))
        number = next((str(i["id"]) for i in _identifiers(party) if i.get("scheme") == JCN), None)
        winner_key = number or organisation_name_key(name)
        if winner_key in winners:
            raise ReleaseError(f"{path}.suppliers", _("%(other)s と同じ落札者です。1件の公募に同じ落札者の落札は1つだけです。")
                               % {"other": winners[winner_key]})
        winners[winner_key] = path
        cells = {key: notice.get(key) for key in ("external_id", "lg_code", "municipality", "title", "published_on")}
        cells.update(winner=name, corporate_number=number, awarded_on=_datetime_cell(_get(award, "date", str, at=path), f"{path}.date", date_only=datetime.time(0, 0)),
                     notes=_get(award, "description", str, at=path))
        amount, basis = _amount_cell(_get(award, "value", dict, at=path), f"{path}.value")
        estimate, estimate_basis = _amount_cell(_get(award, "estimatedValue", dict, at=path), f"{path}.estimatedValue")
        # Each amount carries its own basis (the template's one tax column would force them to agree).
        cells["amount"] = f"{amount}（{basis}）" if amount and basis else amount
        cells["estimated_value"] = f"{estimate}（{estimate_basis}）" if estimate and estimate_basis else estimate
        bidders = _get(award, "numberOfBidders", int, at=path)
        cells["bidders"] = None if bidders is None else str(bidders)
        score = _get(award, "evaluationScore", (int, float), at=path)
        cells["score"] = None if score is None else str(score)
        found.append((path, cells))
    return found
