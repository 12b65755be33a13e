"""Amounts of yen as written in Japanese public documents: 1,234,000円, ￥1,234,000-, 123.4万円, 5,000千円,
1億2,000万円, 五百万円, 金壱百万円也, with qualifiers (以内, 程度, 上限額) and tax notes (税込, 税抜, 消費税及び地方
消費税を含む). One parser for every import and search path.

Rules: a value that cannot be read exactly is an error (ValueParseError), never a guess; None and blank text
are None. Qualifiers are accepted but not returned: callers that need them keep the raw text.
"""

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.utils.translation import gettext as _

from .choices import TaxBasis
from .errors import ValueParseError


class ParsedAmount(NamedTuple):
    yen: int
    tax_basis: TaxBasis | None  # None: the text says nothing about tax


def _shown(value: object) -> str:
    text = str(value).strip()
    return text if len(text) <= 60 else text[:59] + "…"


# --- numerals -----------------------------------------------------------------------------------------------

_KANJI_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "壱": 1, "壹": 1, "二": 2, "弐": 2, "貳": 2, "三": 3, "参": 3, "參": 3,
    "四": 4, "五": 5, "伍": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "陌": 100, "千": 1000, "阡": 1000, "仟": 1000}
_LARGE_UNITS = {"万": 10**4, "萬": 10**4, "億": 10**8, "兆": 10**12}
_KANJI_DIGIT_CLASS = "".join(_KANJI_DIGITS)
_UNIT_CLASS = "".join(_SMALL_UNITS) + "".join(_LARGE_UNITS)

_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_AMOUNT = rf"(?:{_ARABIC}|[{_KANJI_DIGIT_CLASS}{_UNIT_CLASS}])+"
_AMOUNT_TOKEN = re.compile(
    rf"(?P<arabic>{_ARABIC})|(?P<kanji>[{_KANJI_DIGIT_CLASS}]+)|(?P<unit>[{_UNIT_CLASS}])"
)


class _Unreadable(Exception):
    pass


def _evaluate(expression: str) -> Decimal:
    """The value of a numeral such as 1億2,000万, 3億5千万, 123.4万, 5,000千, 五百万, 壱百弐拾万.

    Large units (兆, 億, 万) must descend and each group must be below the unit before it; small units (千, 百,
    十) take one digit and a number after one must be below it. A number of any size before a final 千 is the
    thousand-yen unit (5,000千円). Raises _Unreadable for anything else (1万2億, 1億20000万, 68十).
    """
    total = Decimal(0)
    group = Decimal(0)
    number: Decimal | None = None
    previous_large: int | None = None
    previous_small: int | None = None
    thousand_yen_unit = False
    for token in _AMOUNT_TOKEN.finditer(expression):
        if thousand_yen_unit:
            raise _Unreadable
        if token.lastgroup in ("arabic", "kanji"):
            if number is not None:
                raise _Unreadable
            if token.lastgroup == "arabic":
                number = Decimal(token.group().replace(",", ""))
            else:
                number = Decimal("".join(str(_KANJI_DIGITS[c]) for c in token.group()))
            if previous_small is not None and number >= previous_small:
                raise _Unreadable
            continue
        unit = token.group()
        if unit in _SMALL_UNITS:
            size = _SMALL_UNITS[unit]
            if previous_small is not None and size >= previous_small:
                raise _Unreadable
            if number is not None and number >= 10:
                if size != 1000 or previous_large is not None or group:
                    raise _Unreadable
                thousand_yen_unit = True
            group += (Decimal(1) if number is None else number) * size
            previous_small, number = size, None
        else:
            size = _LARGE_UNITS[unit]
            if number is not None:
                group += number
            elif previous_small is None:  # 万 or 億 with no number before it
                raise _Unreadable
            if previous_large is not None and group * size >= previous_large:
                raise _Unreadable
            total += group * size
            group, number, previous_small, previous_large = Decimal(0), None, None, size
    if number is not None:
        group += number
    if previous_large is not None and group >= previous_large:
        raise _Unreadable
    return total + group


# --- decorations --------------------------------------------------------------------------------------------

_TAX_CLAUSE = (
    r"(?:金額に?は)?(?:地方)?消費税(?:額|等)?(?:\(?[0-9]{1,2}%\)?)?(?:及び|および|並びに|と|、)?(?:地方消費税)?"
    r"(?:等)?(?:の)?(?:額|相当額)?(?:を|は)?"
)
_TAX_NOTE = re.compile(
    rf"(?P<excluded>{_TAX_CLAUSE}(?:含まない|含みません|含まず|含めない|含めず|含んでいません|除く|除いた|除きます|抜き?|別)"
    r"|税抜き?(?:額|価格|金額)?|税別|外税)"
    rf"|(?P<included>{_TAX_CLAUSE}(?:含む|含みます|含めた|含めます|含んだ|含んでいます|込み?)"
    r"|税込み?(?:額|価格|金額)?|内税)"
)
# A label such as 上限額: or 予定価格： before the amount (no numerals in it, so an amount is never eaten), or
# one of the usual labels without a colon.
_LABEL = re.compile(
    rf"^(?:[^0-9{_KANJI_DIGIT_CLASS}{_UNIT_CLASS}:¥\\]{{1,30}}:"
    r"|(?:予定価格|契約金額|落札金額|落札価格|予算額|年額|総額|委託料|金額)(?=[ 0-9¥\\]))"
)
_QUALIFIER = re.compile(
    r"を上限とします|を上限とする|を上限とし|を上限|を限度とします|を限度とする|を限度|上限額|上限|限度額|"
    r"以内|程度|前後|まで|迄|以下|約|概算|概ね|おおむね|総額"
)
_EMPTY_BRACKETS = re.compile(r"[(\[【「〔] ?[)\]】」〕]")
_SPACES = re.compile(r"\s+")
_STRUCTURE = re.compile(
    rf"(?:一金|金)? ?(?:[¥\\] ?)?(?P<amount>{_AMOUNT}) ?(?:円|圓)?(?:也|\.?-|‐|―|−|ー)?[。.]?"
)
_FAST_AMOUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+円?|[0-9]+円")

# For explaining a failure.
_NEGATIVE = re.compile(r"(?<!\w)[-−‐△▲] ?(?:[¥\\] ?)?[0-9]")
_ARABIC_AMOUNT = re.compile(
    rf"(?:[{_KANJI_DIGIT_CLASS}{_UNIT_CLASS}])*(?:{_ARABIC})(?:{_ARABIC}|[{_UNIT_CLASS}])*"
)
_UNIT_WORD = re.compile(r" ?([^\s0-9()\[\]【】「」、。,.:;/~〜・-]+)")
_YEN_AFTER = re.compile(r" ?(?:円|圓|也|-)")


def _tax_basis(value: object, text: str) -> tuple[TaxBasis | None, str]:
    bases = set()

    def remove(match: re.Match[str]) -> str:
        bases.add(TaxBasis.EXCLUDED if match.lastgroup == "excluded" else TaxBasis.INCLUDED)
        return " "

    text = _TAX_NOTE.sub(remove, text)
    if len(bases) > 1:
        raise ValueParseError(_("「%(value)s」には税込と税抜の両方が書かれています。") % {"value": _shown(value)})
    return (bases.pop() if bases else None), text


def _strip_decorations(text: str) -> str:
    text = _LABEL.sub("", text.strip())
    text = _QUALIFIER.sub(" ", text)
    while True:
        stripped = _EMPTY_BRACKETS.sub(" ", _SPACES.sub(" ", text).strip())
        if stripped == text:
            return text
        text = stripped


# --- errors -------------------------------------------------------------------------------------------------


def _error(message: str, value: object, **extra: object) -> ValueParseError:
    return ValueParseError(message % {"value": _shown(value), **extra})


def _negative(value: object) -> ValueParseError:
    return _error(_("「%(value)s」は負の金額です。"), value)


def _fractional(value: object) -> ValueParseError:
    return _error(_("「%(value)s」は1円未満の端数を含みます。"), value)


def _unreadable(value: object) -> ValueParseError:
    return _error(_("「%(value)s」は金額として読めません。"), value)


def _explain_failure(value: object, text: str) -> ValueParseError:
    if _NEGATIVE.search(text):
        return _negative(value)
    amounts = list(_ARABIC_AMOUNT.finditer(text))
    for match in amounts:
        if _YEN_AFTER.match(text, match.end()):
            continue
        unit = _UNIT_WORD.match(text, match.end())
        if unit:
            return _error(
                _("「%(value)s」の単位「%(unit)s」が分かりません（円・千円・万円・億円で書いてください）。"),
                value,
                unit=unit.group(1),
            )
    if any(text[a.end() : b.start()] in (",", ".") for a, b in zip(amounts, amounts[1:], strict=False)):
        return _unreadable(value)  # wrong digit groups (1,23,4), not two amounts
    values = set()
    for match in amounts:
        try:
            values.add(_evaluate(match.group()))
        except _Unreadable:
            return _unreadable(value)
    if len(values) > 1:
        return _error(_("「%(value)s」には異なる金額が複数あります。一つだけ書いてください。"), value)
    if not amounts and not re.search(f"[{_KANJI_DIGIT_CLASS}{_UNIT_CLASS}]", text):
        return _error(_("「%(value)s」に金額がありません。"), value)
    return _unreadable(value)


# --- public API ---------------------------------------------------------------------------------------------


def _whole_yen(value: object, amount: Decimal) -> int:
    if amount < 0:
        raise _negative(value)
    if amount != amount.to_integral_value():
        raise _fractional(value)
    return int(amount)


def parse_amount(value: object) -> ParsedAmount | None:
    """Read an amount of yen and what the text says about consumption tax.

    Accepts int, Decimal, float (a spreadsheet number of whole yen) and text such as 1,234,000円, ￥1,234,000-,
    123.4万円, 5,000千円, 1億2,000万円, 五百万円, 金1,234,000円也, 2,000万円以内, 上限額 1,500万円（税込）.
    Returns None for None and blank text; raises ValueParseError for negative or fractional amounts, text with
    no amount or with two different amounts, and unknown units.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _unreadable(value)
    if isinstance(value, int):
        return ParsedAmount(_whole_yen(value, Decimal(value)), None)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _unreadable(value)
        return ParsedAmount(_whole_yen(value, Decimal(value)), None)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _unreadable(value)
        return ParsedAmount(_whole_yen(value, value), None)
    if not isinstance(value, str):
        raise _unreadable(value)

    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return ParsedAmount(int(text), None)
    if _FAST_AMOUNT.fullmatch(text):
        return ParsedAmount(int(text.rstrip("円").replace(",", "")), None)

    tax_basis, text = _tax_basis(value, unicodedata.normalize("NFKC", text))
    text = _strip_decorations(text)
    match = _STRUCTURE.fullmatch(text)
    if match is None:
        raise _explain_failure(value, text)
    try:
        amount = _evaluate(match.group("amount"))
    except (_Unreadable, InvalidOperation):
        raise _unreadable(value) from None
    return ParsedAmount(_whole_yen(value, amount), tax_basis)


def format_yen(yen: int) -> str:
    """An amount for display: 1234000 → "1,234,000円"."""
    return f"{yen:,}円"
