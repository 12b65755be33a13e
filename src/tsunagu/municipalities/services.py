"""Writes to the municipality master: loading it from `japancode`, and importing official website URLs."""

from __future__ import annotations

import importlib.resources
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.translation import gettext as _

from tsunagu.core.codes import normalize_lg_code
from tsunagu.core.errors import ValueParseError

from .directory import municipality_directory_invalidate
from .models import Municipality, Ward

# Level values written by the master loader. Literal strings, not `Municipality.Level`, because the loader
# also runs inside a data migration with historical models; a test checks they are still members of `Level`.
PREFECTURE, DESIGNATED_CITY, CITY, SPECIAL_WARD, TOWN, VILLAGE = (
    "prefecture",
    "designated_city",
    "city",
    "special_ward",
    "town",
    "village",
)
_LEVEL_BY_SUFFIX = {"市": CITY, "町": TOWN, "村": VILLAGE}
_TOKYO = "13"


# ----------------------------------------------------------------------------------------------------
# The master


@dataclass
class MasterLoadResult:
    # per model: "prefectures", "municipalities", "wards"
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)


def _japancode_rows(name: str) -> list[dict]:
    resource = importlib.resources.files("japancode").joinpath("data", name)
    return json.loads(resource.read_text(encoding="utf-8"))


def _lg_code(value: str) -> str:
    """japancode drops the leading zero of 010006 and 011002: pad, then verify the check digit."""
    return normalize_lg_code(str(value).zfill(6))


def _upsert(model, rows: dict[str, dict], *, using: str, fill_only: tuple[str, ...] = ()) -> tuple[int, int]:
    """Create or update `model` rows by lg_code. Fields in `fill_only` are set only where empty (None or ''),
    so values an import has improved (website URL, coordinates) survive a reload of the master."""
    # The whole table: it is small, and an IN list of 1,741 codes would meet SQLite's parameter limit.
    existing = {obj.lg_code: obj for obj in model.objects.using(using).all() if obj.lg_code in rows}
    to_create, to_update, changed_fields = [], [], set()
    for lg_code, values in rows.items():
        obj = existing.get(lg_code)
        if obj is None:
            to_create.append(model(lg_code=lg_code, **values))
            continue
        changed = False
        for name, value in values.items():
            current = getattr(obj, name)
            if name in fill_only and current not in (None, ""):
                continue
            if current != value:
                setattr(obj, name, value)
                changed_fields.add(name)
                changed = True
        if changed:
            to_update.append(obj)
    model.objects.using(using).bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.using(using).bulk_update(to_update, sorted(changed_fields), batch_size=500)
    return len(to_create), len(to_update)


def municipality_master_load(
    *, prefecture_model, municipality_model, ward_model, using: str = DEFAULT_DB_ALIAS
) -> MasterLoadResult:
    """Load the 47 prefectures, 1,788 local governments and 175 designated-city wards shipped by `japancode`.

    Takes the model classes so the data migration can pass its historical models (live code passes
    `Prefecture`, `Municipality`, `Ward`). Idempotent: rows are matched by 団体コード and only changed fields
    are written; identity fields (names, kana, level, links) follow the package, while website URLs and
    coordinates are only filled where empty. Every code is padded to 6 digits and its check digit verified.
    Levels: prefecture; 政令指定都市 = a city with wards; 特別区 = a 区 of 東京都; otherwise 市/町/村 by the
    name's last character. Guarantees nothing is written if any row is malformed (raises `ValueError`).
    """
    with transaction.atomic(using=using):
        result = _master_load(prefecture_model, municipality_model, ward_model, using)
    municipality_directory_invalidate()
    transaction.on_commit(municipality_directory_invalidate, using=using)
    return result


def _master_load(prefecture_model, municipality_model, ward_model, using: str) -> MasterLoadResult:
    result = MasterLoadResult()
    prefecture_rows = _japancode_rows("prefectures.json")
    municipality_rows = _japancode_rows("municipalities.json")

    prefectures = {}
    for row in prefecture_rows:
        lg_code = _lg_code(row["lgcode"])
        prefectures[lg_code] = {
            "code": lg_code[:2],
            "name": row["pref"],
            "short_name": row["prefshort"],
            "kana": row["prefkana"],
            "name_en": row["pref_en"],
        }
    if len(prefectures) != 47:
        raise ValueError(f"japancode lists {len(prefectures)} prefectures, expected 47")
    result.created["prefectures"], result.updated["prefectures"] = _upsert(
        prefecture_model, prefectures, using=using
    )
    prefecture_by_name = {
        p.name: p for p in prefecture_model.objects.using(using).all() if p.lg_code in prefectures
    }

    ward_rows = [row for row in municipality_rows if " " in row["city"]]
    designated = {(row["pref"], row["city"].split(" ", 1)[0]) for row in ward_rows}

    municipalities = {}
    for row in prefecture_rows:
        lg_code = _lg_code(row["lgcode"])
        municipalities[lg_code] = {
            "prefecture_id": prefecture_by_name[row["pref"]].pk,
            "name": row["pref"],
            "kana": row["prefkana"],
            "level": PREFECTURE,
            "website_url": row.get("url") or "",
        }
    for row in municipality_rows:
        if " " in row["city"]:
            continue
        lg_code = _lg_code(row["lgcode"])
        name = row["city"]
        if (row["pref"], name) in designated:
            level = DESIGNATED_CITY
        elif lg_code[:2] == _TOKYO and name.endswith("区"):
            level = SPECIAL_WARD
        elif name[-1] in _LEVEL_BY_SUFFIX:
            level = _LEVEL_BY_SUFFIX[name[-1]]
        else:
            raise ValueError(f"japancode row {lg_code} {name}: cannot tell its level from the name")
        municipalities[lg_code] = {
            "prefecture_id": prefecture_by_name[row["pref"]].pk,
            "name": name,
            "kana": row["citykana"],
            "level": level,
            "latitude": _float_or_none(row.get("lat")),
            "longitude": _float_or_none(row.get("lng")),
        }
    result.created["municipalities"], result.updated["municipalities"] = _upsert(
        municipality_model, municipalities, using=using, fill_only=("latitude", "longitude", "website_url")
    )
    city_by_name = {
        (city.prefecture_id, city.name): city
        for city in municipality_model.objects.using(using).filter(level=DESIGNATED_CITY)
        if city.lg_code in municipalities
    }

    wards = {}
    for row in ward_rows:
        city_name, ward_name = row["city"].split(" ", 1)
        kana = row["citykana"].split(" ", 1)[-1]
        city = city_by_name[(prefecture_by_name[row["pref"]].pk, city_name)]
        wards[_lg_code(row["lgcode"])] = {
            "city_id": city.pk,
            "name": ward_name,
            "kana": kana,
            "latitude": _float_or_none(row.get("lat")),
            "longitude": _float_or_none(row.get("lng")),
        }
    result.created["wards"], result.updated["wards"] = _upsert(
        ward_model, wards, using=using, fill_only=("latitude", "longitude")
    )
    return result


def municipality_master_unload(
    *, prefecture_model, municipality_model, ward_model, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Delete the rows `municipality_master_load` creates (the reverse of the data migration).

    Rows referenced by other data (notices) are protected and make this fail rather than lose that data.
    """
    wards = [_lg_code(row["lgcode"]) for row in _japancode_rows("municipalities.json") if " " in row["city"]]
    municipalities = [
        _lg_code(row["lgcode"]) for row in _japancode_rows("municipalities.json") if " " not in row["city"]
    ]
    prefectures = [_lg_code(row["lgcode"]) for row in _japancode_rows("prefectures.json")]
    with transaction.atomic(using=using):
        for model, codes in (
            (ward_model, wards),
            (municipality_model, municipalities + prefectures),
            (prefecture_model, prefectures),
        ):
            for start in range(0, len(codes), 500):  # SQLite limits the parameters of one statement
                model.objects.using(using).filter(lg_code__in=codes[start : start + 500]).delete()
    municipality_directory_invalidate()


def _float_or_none(value) -> float | None:
    if value in (None, ""):
        return None
    return float(value)


# ----------------------------------------------------------------------------------------------------
# Website URLs (localgovjp layout)

LOCALGOVJP = "localgovjp"
PREFJP = "prefjp"
_LAYOUT_COLUMNS = {
    # localgovjp-utf8.csv: pid,pref,cid,city,citykana,lat,lng,url,phrase,lgcode (wards included)
    LOCALGOVJP: {"pref", "city", "url", "lgcode"},
    # prefjp-utf8.csv: pid,pref,prefkana,...,url,lgcode,...,lat,lng (lgcode lost its leading zero)
    PREFJP: {"pref", "prefkana", "url", "lgcode"},
}
_URL_MAX_LENGTH = Municipality._meta.get_field("website_url").max_length
_url_validator = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("%(row)d行目「%(column)s」: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class UrlImportResult:
    layout: str | None
    dry_run: bool
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        text = _("更新 %(updated)d件、変更なし %(unchanged)d件、不正 %(rejected)d件") % {
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }
        if self.dry_run:
            text += _("（試行のため保存していません）")
        return text


class _RowRejected(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def municipality_urls_layout(columns: Iterable[str]) -> str:
    """Which layout a header is: `LOCALGOVJP` or `PREFJP`; `ValueParseError` when it is neither."""
    names = {_column_name(column) for column in columns}
    if _LAYOUT_COLUMNS[LOCALGOVJP] <= names:
        return LOCALGOVJP
    if _LAYOUT_COLUMNS[PREFJP] <= names:
        return PREFJP
    raise ValueParseError(
        _(
            "列見出しが localgovjp の形式ではありません。市区町村は pref,city,url,lgcode、"
            "都道府県は pref,prefkana,url,lgcode の列が必要です（見出し: %(columns)s）。"
        )
        % {"columns": ",".join(sorted(n for n in names if n))}
    )


def _column_name(column: str | None) -> str:
    return (column or "").strip().lstrip("\ufeff").strip()


@transaction.atomic
def municipality_urls_import(
    *, rows: Iterable[Mapping[str, str | None]], dry_run: bool, first_row_number: int = 2
) -> UrlImportResult:
    """Set official website URLs (and coordinates where missing) from rows in the localgovjp layout.

    `rows` are mappings from column name to cell text (e.g. a `csv.DictReader`); the layout, localgovjp
    (municipalities and wards) or prefjp (prefectures, whose lgcode lost its leading zero), is told from the
    columns of the first row. A row's 団体コード picks a `Municipality` (a prefecture included) or a `Ward`.
    Rows with an unknown code, a wrong check digit, a URL that is not http(s), bad coordinates or a code
    already seen are skipped and reported with their row number and column; the others are written in bulk.
    Guarantees: idempotent (a second run finds nothing to update); with `dry_run` nothing is written.
    Raises `ValueParseError` only when the columns are not a known layout.
    """
    result = UrlImportResult(layout=None, dry_run=dry_run)
    municipalities = {m.lg_code: m for m in Municipality.objects.all()}
    wards = {w.lg_code: w for w in Ward.objects.all()}
    seen: dict[str, int] = {}
    changed_municipalities: list[Municipality] = []
    changed_wards: list[Ward] = []
    row_number = first_row_number - 1
    for raw in rows:
        row_number += 1
        row = {
            _column_name(key): (value or "").strip() for key, value in raw.items() if isinstance(value, str)
        }
        if result.layout is None:
            result.layout = municipality_urls_layout(raw.keys())
        if not any(row.values()):
            continue  # a blank line at the end of a spreadsheet export
        try:
            lg_code = _row_lg_code(row, result.layout)
            target = municipalities.get(lg_code) or wards.get(lg_code)
            if target is None:
                raise _RowRejected("lgcode", _("団体コード %(code)s の自治体は見つかりません。") % {"code": lg_code})
            if lg_code in seen:
                raise _RowRejected(
                    "lgcode",
                    _("団体コード %(code)s は %(row)d行目にもあります。") % {"code": lg_code, "row": seen[lg_code]},
                )
            url = _row_url(row)
            latitude = _row_coordinate(row, "lat", 90)
            longitude = _row_coordinate(row, "lng", 180)
        except _RowRejected as problem:
            result.problems.append(RowProblem(row_number, problem.column, problem.message))
            continue
        seen[lg_code] = row_number
        changed = False
        if target.website_url != url:
            target.website_url = url
            changed = True
        if target.latitude is None and latitude is not None:
            target.latitude = latitude
            changed = True
        if target.longitude is None and longitude is not None:
            target.longitude = longitude
            changed = True
        if changed:
            result.updated += 1
            (changed_wards if isinstance(target, Ward) else changed_municipalities).append(target)
        else:
            result.unchanged += 1
    if not dry_run:
        fields = ["website_url", "latitude", "longitude"]
        Municipality.objects.bulk_update(changed_municipalities, fields, batch_size=500)
        Ward.objects.bulk_update(changed_wards, fields, batch_size=500)
        if changed_municipalities or changed_wards:
            municipality_directory_invalidate()
            transaction.on_commit(municipality_directory_invalidate)
    return result


def _row_lg_code(row: dict[str, str], layout: str) -> str:
    value = row.get("lgcode", "")
    if not value:
        raise _RowRejected("lgcode", _("団体コードがありません。"))
    digits = value[:-2] if value.endswith(".0") else value
    if digits.isascii() and digits.isdigit() and len(digits) == 5:
        pid = row.get("pid", "")
        # prefjp lost every leading zero (10006 = 北海道 010006). localgovjp is 6 digits, but a spreadsheet may
        # have dropped the zero there too: its pid (prefecture number) tells a lost zero from a missing check
        # digit, which normalize_lg_code would otherwise assume.
        if layout == PREFJP or (pid.isdigit() and int(pid) < 10 and ("0" + digits).startswith(pid.zfill(2))):
            digits = "0" + digits
    try:
        return normalize_lg_code(digits)
    except ValueParseError as error:
        raise _RowRejected("lgcode", error.message) from None


def _row_url(row: dict[str, str]) -> str:
    url = row.get("url", "")
    if not url:
        raise _RowRejected("url", _("公式サイトのURLがありません。"))
    if len(url) > _URL_MAX_LENGTH:
        raise _RowRejected("url", _("URLが長すぎます（%(max)d文字まで）。") % {"max": _URL_MAX_LENGTH})
    try:
        _url_validator(url)
    except ValidationError:
        raise _RowRejected(
            "url", _("「%(url)s」は http:// か https:// で始まるURLではありません。") % {"url": url}
        ) from None
    return url


def _row_coordinate(row: dict[str, str], column: str, limit: float) -> float | None:
    text = row.get(column, "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > limit:
        raise _RowRejected(column, _("「%(value)s」は緯度・経度として読めません。") % {"value": text})
    return value
