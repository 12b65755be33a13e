"""Check digits of Japanese public identifiers: 団体コード (JIS X 0401/0402 + check digit) and 法人番号."""

import unicodedata

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
