"""Check digits of Japanese public identifiers: 団体コード (JIS X 0401/0402 + check digit) and 法人番号."""

import math
import unicodedata
from decimal import Decimal

from django.utils.translation import gettext as _

from .errors import ValueParseError


def _digits(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().replace("-", "").replace(" ", "")


def lg_code_check_digit(code5: str) -> str:
    """Check digit of a 5-digit local government code: (11 - (6,5,4,3,2-weighted sum mod 11)) mod 10."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def normalize_lg_code(value: object) -> str:
    """Return the 6-digit 団体コード for `value`, verifying its check digit.

    Accepts 6 digits (with check digit), 5 digits (the check digit is added) and numbers that lost a
    leading zero (11002 → 011002 is *not* guessed: a 5-digit value is read as a code without check digit).
    """
    text = _digits(str(value))
    if text.endswith(".0"):  # a spreadsheet number cell
        text = text[:-2]
    if not text.isdigit() or len(text) not in (5, 6):
        raise ValueParseError(_("団体コード「%(value)s」は6桁の数字で書いてください。") % {"value": value})
    if len(text) == 5:
        return text + lg_code_check_digit(text)
    if lg_code_check_digit(text[:5]) != text[5]:
        raise ValueParseError(
            _("団体コード「%(value)s」の検査数字が正しくありません（正しくは %(expected)s）。")
            % {"value": value, "expected": text[:5] + lg_code_check_digit(text[:5])}
        )
    return text


def lg_code_number_readings(value: int | float | Decimal) -> tuple[str, ...]:
    """The 6-digit 団体コード a spreadsheet *number* may stand for, the lost-leading-zero reading first.

    A number cell has lost any leading zero, so 12203 is either 012203 (a 6-digit code whose zero was
    dropped) or 12203 + check digit = 122033 (a 5-digit code without check digit): both are returned, a
    zero-padded reading only when its check digit is right. 4 digits or fewer are padded both to 6 and to 5
    digits in the same way; 6 digits are verified as `normalize_lg_code` does. Which reading names an
    existing local government is for the caller (the municipality directory) to decide.
    Raises `ValueParseError` for a fractional, negative or longer number.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"a number is expected, not {type(value).__name__}")
    if isinstance(value, float | Decimal) and not (math.isfinite(value) and value == int(value)):
        raise ValueParseError(_("団体コード「%(value)s」は6桁の数字で書いてください。") % {"value": value})
    number = int(value)
    text = str(number)
    if number < 0 or len(text) > 6:
        raise ValueParseError(_("団体コード「%(value)s」は6桁の数字で書いてください。") % {"value": value})
    if len(text) == 6:
        return (normalize_lg_code(text),)
    readings = []
    padded = text.zfill(6)
    if lg_code_check_digit(padded[:5]) == padded[5]:
        readings.append(padded)
    body = text.zfill(5)
    readings.append(body + lg_code_check_digit(body))
    return tuple(readings)


def corporate_number_check_digit(body12: str) -> str:
    """Check digit of a 法人番号 body (12 digits): 9 - (sum of digits weighted 1,2,1,2... from the right) mod 9."""
    total = sum(int(d) * (2 if i % 2 else 1) for i, d in enumerate(reversed(body12)))
    return str(9 - total % 9)


def normalize_corporate_number(value: object) -> str:
    """Return the 13-digit 法人番号, verifying its check digit (the first digit). Accepts hyphens and widths."""
    text = _digits(str(value))
    if text.endswith(".0"):
        text = text[:-2]
    if text.upper().startswith("T"):  # an invoice registration number of a corporation is T + 法人番号
        text = text[1:]
    if not text.isdigit() or len(text) != 13:
        raise ValueParseError(_("法人番号「%(value)s」は13桁の数字で書いてください。") % {"value": value})
    if corporate_number_check_digit(text[1:]) != text[0]:
        raise ValueParseError(_("法人番号「%(value)s」の検査数字が正しくありません。") % {"value": value})
    return text
