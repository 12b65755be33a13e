"""Cleaning one cell of an import row: each function takes the raw cell and returns the stored value
or raises ValueParseError with a Japanese message for the user."""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from tsunagu.core.choices import TaxBasis, canonical_label
from tsunagu.core.dates import ParsedDate, parse_date
from tsunagu.core.errors import ValueParseError
from tsunagu.core.money import ParsedAmount, parse_amount

from ..models import NoticeKind
from tsunagu.core.spreadsheets import text_of


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").casefold()


_KIND_LOOKUP: dict[str, str] = {}
for _kind in NoticeKind:
    _KIND_LOOKUP[_key(canonical_label(_kind))] = _kind.value
    _KIND_LOOKUP[_key(_kind.value)] = _kind.value
_KIND_LOOKUP.update(
    {
        _key("プロポーザル"): NoticeKind.PROPOSAL,
        _key("公募プロポーザル"): NoticeKind.PROPOSAL,
        _key("指定管理"): NoticeKind.DESIGNATED_MANAGER,
        _key("補助金"): NoticeKind.GRANT,
        _key("助成金"): NoticeKind.GRANT,
        _key("補助金・助成金"): NoticeKind.GRANT,
        _key("協働事業"): NoticeKind.COLLABORATION,
        _key("随契"): NoticeKind.NEGOTIATED,
    }
)

_TAX_LOOKUP = {
    _key("税込"): TaxBasis.INCLUDED,
    _key("税込み"): TaxBasis.INCLUDED,
    _key("内税"): TaxBasis.INCLUDED,
    _key("included"): TaxBasis.INCLUDED,
    _key("税抜"): TaxBasis.EXCLUDED,
    _key("税抜き"): TaxBasis.EXCLUDED,
    _key("税別"): TaxBasis.EXCLUDED,
    _key("外税"): TaxBasis.EXCLUDED,
    _key("excluded"): TaxBasis.EXCLUDED,
    _key("不明"): TaxBasis.UNKNOWN,
    _key("unknown"): TaxBasis.UNKNOWN,
}

_YES = {_key(v) for v in ("○", "◯", "〇", "可", "はい", "有", "あり", "yes", "true", "1", "y")}
_NO = {_key(v) for v in ("×", "✕", "✗", "不可", "いいえ", "無", "なし", "no", "false", "0", "n")}

_PLAIN_NUMBER = re.compile(r"[0-9,]+")
_NO_AMOUNT = re.compile(r"事後公表|非公表|公表しない|未定|設定しない|設定なし|なし|無し|^[-ー—―－]$")
_HAS_DIGIT = re.compile(r"[0-9〇一二三四五六七八九十百千万億壱弐参]")
_CATEGORY_SPLIT = re.compile(r"[、,，;；/／]")
_url_validator = URLValidator(schemes=["http", "https"])


def clean_text(value: object, *, max_length: int | None = None, label: str = "") -> str:
    text = text_of(value)
    if max_length is not None and len(text) > max_length:
        raise ValueParseError(
            _("%(label)sが長すぎます（%(length)d文字、上限 %(max)d文字）。") % {"label": label, "length": len(text), "max": max_length}
        )
    return text


def clean_external_id(value: object) -> str:
    """管理ID in one width (Ｒ７－００１ and R7-001 are the same ID)."""
    return clean_text(unicodedata.normalize("NFKC", text_of(value)), max_length=100, label="管理ID")


def clean_kind(value: object) -> str:
    text = text_of(value)
    kind = _KIND_LOOKUP.get(_key(text))
    if kind is None:
        raise ValueParseError(
            _("公募種別「%(value)s」は使えません。次のどれかを書いてください：%(choices)s。")
            % {"value": text, "choices": "、".join(canonical_label(k) for k in NoticeKind)}
        )
    return str(kind)


def clean_categories(value: object) -> list[str]:
    seen: dict[str, None] = {}
    for part in _CATEGORY_SPLIT.split(text_of(value)):
        part = unicodedata.normalize("NFKC", part).strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


def clean_date(value: object) -> ParsedDate | None:
    if isinstance(value, str):
        value = text_of(value)
    return parse_date(value)


def clean_required_date(value: object) -> datetime.date:
    parsed = clean_date(value)
    if parsed is None:
        raise ValueParseError(_("必須です。日付を書いてください。"))
    return parsed.date


MAX_YEN = 10**15  # 千兆円: far above any municipal budget, far below the database's integer limit
MAX_COUNT = 1_000_000


def clean_amount(value: object) -> tuple[ParsedAmount | None, str]:
    """(parsed amount, original text). The original text is kept as written, for provenance."""
    if isinstance(value, str):
        value = text_of(value)
        if _NO_AMOUNT.search(value) and not _HAS_DIGIT.search(unicodedata.normalize("NFKC", value)):
            return None, value  # e.g. 予定価格は事後公表: no amount, but the wording is the information
    parsed = parse_amount(value)
    if parsed is None:
        return None, ""
    if parsed.yen > MAX_YEN:
        raise ValueParseError(_("金額「%(value)s」が大きすぎます（上限 1,000兆円）。") % {"value": text_of(value)})
    # A bare number has no wording worth keeping (an export writes one when the wording can't be read back).
    original = "" if not isinstance(value, str) or _PLAIN_NUMBER.fullmatch(value) else value
    return parsed, original


def clean_tax_basis(value: object) -> TaxBasis | None:
    text = text_of(value)
    if not text:
        return None
    basis = _TAX_LOOKUP.get(_key(text))
    if basis is None:
        raise ValueParseError(_("税区分「%(value)s」は「税込」「税抜」または空欄で書いてください。") % {"value": text})
    return basis


def resolve_tax_basis(amount: ParsedAmount | None, column: TaxBasis | None, amount_label: str) -> str:
    """The tax basis of an amount: its own note （税込）/（税抜） or the 税区分 column; both must agree."""
    note = amount.tax_basis if amount else None
    if note and column and column != TaxBasis.UNKNOWN and note != column:
        raise ValueParseError(
            _("%(amount)sの注記（%(note)s）と税区分「%(column)s」が一致しません。")
            % {"amount": amount_label, "note": canonical_label(TaxBasis(note)), "column": canonical_label(TaxBasis(column))}
        )
    return str(note or column or TaxBasis.UNKNOWN)


def clean_npo_eligible(value: object) -> bool | None:
    text = text_of(value)
    if not text:
        return None
    key = _key(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueParseError(_("NPO参加可「%(value)s」は ○・× または空欄で書いてください。") % {"value": text})


def clean_url(value: object) -> str:
    text = text_of(value)
    if not text:
        return ""
    try:
        _url_validator(text)
    except ValidationError:
        raise ValueParseError(_("URL「%(value)s」は http:// または https:// で始まる正しいアドレスにしてください。") % {"value": text}) from None
    if len(text) > 1000:
        raise ValueParseError(_("URLが長すぎます（上限1000文字）。"))
    return text


def clean_positive_int(value: object, *, label: str) -> int | None:
    text = unicodedata.normalize("NFKC", text_of(value)).replace(",", "")
    text = re.sub(r"(者|社|人|名|件)$", "", text).strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_COUNT:
        raise ValueParseError(
            _("%(label)s「%(value)s」は1以上 %(max)s 以下の整数で書いてください。") % {"label": label, "value": text_of(value), "max": f"{MAX_COUNT:,}"}
        )
    return int(text)


def clean_score(value: object) -> Decimal | None:
    text = unicodedata.normalize("NFKC", text_of(value)).replace(",", "")
    text = re.sub(r"点$", "", text).strip()
    if not text:
        return None
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ValueParseError(_("評価点「%(value)s」は数値で書いてください（例：85.5）。") % {"value": text_of(value)}) from None
    if not score.is_finite() or score < 0 or score >= Decimal("1000000"):
        raise ValueParseError(_("評価点「%(value)s」は0以上の数値で書いてください。") % {"value": text_of(value)})
    if score != score.quantize(Decimal("0.01")):
        raise ValueParseError(_("評価点「%(value)s」は小数第2位までにしてください。") % {"value": text_of(value)})
    return score.quantize(Decimal("0.01"))
