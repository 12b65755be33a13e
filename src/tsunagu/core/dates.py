"""Dates and times as people write them in Japanese public documents: 西暦, 和暦 (令和・平成・昭和), R7.4.1,
weekdays in brackets, 午後5時. One parser for every import and search path.

Rules: a value that cannot be read exactly is an error (ValueParseError), never a guess; None and blank text
are None. Time zone: Japan (JST); aware datetimes are converted to it.
"""

import datetime
import re
import unicodedata
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from .errors import ValueParseError

JST = ZoneInfo("Asia/Tokyo")
MIN_YEAR = 1900
MAX_YEAR = 2100


class ParsedDate(NamedTuple):
    date: datetime.date
    time: datetime.time | None


class _Era(NamedTuple):
    name: str
    first_day: datetime.date
    last_day: datetime.date | None

    @property
    def offset(self) -> int:
        return self.first_day.year - 1


REIWA = _Era("令和", datetime.date(2019, 5, 1), None)
HEISEI = _Era("平成", datetime.date(1989, 1, 8), datetime.date(2019, 4, 30))
SHOWA = _Era("昭和", datetime.date(1926, 12, 25), datetime.date(1989, 1, 7))
_ERAS_NEWEST_FIRST = (REIWA, HEISEI, SHOWA)
_ERA_BY_SPELLING = {
    "令和": REIWA, "令": REIWA, "r": REIWA,
    "平成": HEISEI, "平": HEISEI, "h": HEISEI,
    "昭和": SHOWA, "昭": SHOWA, "s": SHOWA,
}  # fmt: skip


def _shown(value: object) -> str:
    text = str(value).strip()
    return text if len(text) <= 60 else text[:59] + "…"


# --- regular expressions (on NFKC text) ---------------------------------------------------------------------

# 2025-04-01 / 2025/4/1 with an optional 17:00[:00]: most cells of a CSV export.
_FAST_DATE = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", re.ASCII)
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})")

_ERA_NAME = r"令和|平成|昭和|(?<![a-zA-Z])[rRhHsS]|令|平|昭"
# Both calendars in one date are common: 令和7(2025)年4月1日, 令和7年(2025年)4月1日, 2025(令和7)年4月1日.
_DATE = re.compile(
    r"(?<!\d)(?<!\d\.)(?:"
    r"(?P<year>\d{4})(?:"
    rf" ?(?:\((?P<also_era>{_ERA_NAME}) ?(?P<also_era_year>元|\d{{1,2}}) ?年?\) ?)?"
    rf"年 ?(?:\((?P<also_era2>{_ERA_NAME}) ?(?P<also_era_year2>元|\d{{1,2}}) ?年?\) ?)?"
    r"(?P<m1>\d{1,2}) ?月 ?(?P<d1>\d{1,2}) ?日"
    r"|(?P<sep>[-/.])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2})(?!\d|\.\d))"
    rf"|(?P<era>{_ERA_NAME}) ?(?P<era_year>元|\d{{1,2}})(?:"
    r" ?(?:\((?P<also_year>\d{4})\) ?)?年 ?(?:\((?P<also_year2>\d{4})年?\) ?)?"
    r"(?P<m3>\d{1,2}) ?月 ?(?P<d3>\d{1,2}) ?日"
    r"|(?P<era_sep>[-/.])(?P<m4>\d{1,2})(?P=era_sep)(?P<d4>\d{1,2})(?!\d|\.\d))"
    r")"
)
# A weekday after the date is ignored, not checked: a wrong weekday is a typo of the weekday, not of the date.
_WEEKDAY = re.compile(
    r" ?(?:[(\[] ?[月火水木金土日](?:曜日?)? ?(?:[・,、] ?(?:祝日?|休日?|祭日?))? ?[)\]]|[月火水木金土日]曜日?)"
)
_TIME_BODY = (
    r"(?:(?P<noon>正午)"
    r"|(?P<ampm>午前|午後)? ?(?P<hour>\d{1,2}) ?"
    r"(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?|時(?: ?(?P<minute2>\d{1,2}) ?分|(?P<half>半))?)(?!\d))"
)
_TIME_AFTER_DATE = re.compile(r"(?: ?|T)" + _TIME_BODY)
_TIME = re.compile(r"(?<!\d)" + _TIME_BODY)
_MONTH_DAY = re.compile(r"\d{1,2} ?月 ?\d{1,2} ?日|(?<![\d/])\d{1,2}/\d{1,2}(?![\d/])")
_SPACES = re.compile(r"\s+")


def _nfkc(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


# --- building and checking ----------------------------------------------------------------------------------


def _make_date(value: object, year: int, month: int, day: int) -> datetime.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueParseError(
            _("「%(value)s」の年（%(year)s年）は扱える範囲（%(min)s年〜%(max)s年）の外です。")
            % {"value": _shown(value), "year": year, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueParseError(_("「%(value)s」は存在しない日付です。") % {"value": _shown(value)}) from None


def _make_era_date(value: object, era: _Era, era_year: int, month: int, day: int) -> datetime.date:
    if era_year < 1:
        raise ValueParseError(_("「%(value)s」は存在しない日付です。") % {"value": _shown(value)})
    result = _make_date(value, era.offset + era_year, month, day)
    if result < era.first_day or (era.last_day is not None and result > era.last_day):
        period = f"{_western(era.first_day)}〜{_western(era.last_day) if era.last_day else ''}"
        raise ValueParseError(
            _("「%(value)s」は%(era)sの期間（%(period)s）にない日付です。")
            % {"value": _shown(value), "era": era.name, "period": period}
        )
    return result


def _make_time(value: object, hour: int, minute: int, second: int = 0) -> datetime.time:
    try:
        return datetime.time(hour, minute, second)
    except ValueError:
        raise ValueParseError(_("「%(value)s」は存在しない時刻です。") % {"value": _shown(value)}) from None


def _time_from_match(value: object, match: re.Match[str]) -> datetime.time:
    if match.group("noon"):
        return datetime.time(12, 0)
    hour = int(match.group("hour"))
    minute_text = match.group("minute") or match.group("minute2")
    minute = 30 if match.group("half") else int(minute_text or 0)
    second = int(match.group("second") or 0)
    ampm = match.group("ampm")
    if ampm:
        if hour > 12 or (ampm == "午後" and hour == 12):
            # 午後12時 is midnight by the 1872 rule and noon by common use: ask instead of guessing.
            raise ValueParseError(
                _("「%(value)s」は時刻として曖昧か存在しません（24時間制で書いてください）。") % {"value": _shown(value)}
            )
        if ampm == "午後":
            hour += 12
    return _make_time(value, hour, minute, second)


def _era_year(era_text: str, year_text: str) -> tuple[_Era, int]:
    return _ERA_BY_SPELLING[era_text.lower()], 1 if year_text == "元" else int(year_text)


def _calendars_disagree(value: object) -> ValueParseError:
    return ValueParseError(_("「%(value)s」の和暦と西暦の年が合いません。") % {"value": _shown(value)})


def _date_from_match(value: object, match: re.Match[str]) -> datetime.date:
    groups = match.groupdict()
    month = int(groups["m1"] or groups["m2"] or groups["m3"] or groups["m4"])
    day = int(groups["d1"] or groups["d2"] or groups["d3"] or groups["d4"])
    if groups["year"]:
        year = int(groups["year"])
        if groups["also_era"] or groups["also_era2"]:
            era, era_year = _era_year(
                groups["also_era"] or groups["also_era2"], groups["also_era_year"] or groups["also_era_year2"]
            )
            if era.offset + era_year != year:
                raise _calendars_disagree(value)
            return _make_era_date(value, era, era_year, month, day)
        return _make_date(value, year, month, day)
    era, era_year = _era_year(groups["era"], groups["era_year"])
    also_year = groups["also_year"] or groups["also_year2"]
    if also_year and era.offset + era_year != int(also_year):
        raise _calendars_disagree(value)
    return _make_era_date(value, era, era_year, month, day)


def _bare_number(value: object) -> ValueParseError:
    return ValueParseError(
        _("「%(value)s」は数値です。日付は 2025/4/1 や 令和7年4月1日 のように書いてください。") % {"value": _shown(value)}
    )


def _unreadable(value: object) -> ValueParseError:
    return ValueParseError(_("「%(value)s」は日付として読めません。") % {"value": _shown(value)})


# --- public API ---------------------------------------------------------------------------------------------


def _midnight_dropped(moment: datetime.time) -> datetime.time | None:
    # Spreadsheets and CSV exports pad a date with 00:00; it means "that day", not "at midnight".
    return None if moment == datetime.time(0, 0) else moment


def _from_datetime(value: datetime.datetime) -> ParsedDate:
    if value.tzinfo is not None:
        value = value.astimezone(JST)
    return ParsedDate(value.date(), _midnight_dropped(value.time().replace(tzinfo=None)))


def parse_date(value: object) -> ParsedDate | None:
    """Read a date (and the time after it, if any) from a cell or a form field.

    Accepts date/datetime objects and text such as 2025/4/1, 2025-04-01, 2025年4月1日, 令和7年4月1日（火）17時まで,
    令和元年5月7日, R7.4.1, H31.4.19, 令7.4.1, full-width forms. A time of 00:00 counts as no time.
    Returns None for None and blank text; raises ValueParseError for anything that is not exactly one real
    date (impossible dates, dates outside their era, no year, bare numbers, two different dates).
    """
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return _from_datetime(value)
    if isinstance(value, datetime.date):
        return ParsedDate(value, None)
    if isinstance(value, (int, float, Decimal)):
        # 45748 may be a spreadsheet serial, a code or a count: the importer must read the cell as a date.
        raise _bare_number(value)
    if not isinstance(value, str):
        raise _unreadable(value)
    text = value.strip()
    if not text:
        return None

    fast = _FAST_DATE.fullmatch(text)
    if fast:
        year, _sep, month, day, hour, minute, second = fast.groups()
        date = _make_date(value, int(year), int(month), int(day))
        if hour is None:
            return ParsedDate(date, None)
        moment = _make_time(value, int(hour), int(minute), int(second or 0))
        return ParsedDate(date, _midnight_dropped(moment))
    if _ISO_DATETIME.fullmatch(text):
        try:
            return _from_datetime(datetime.datetime.fromisoformat(text))
        except ValueError:
            pass  # the general path below names the problem

    return _parse_date_text(value, _nfkc(text))


def _parse_date_text(value: object, text: str) -> ParsedDate:
    first: re.Match[str] | None = None
    first_date: datetime.date | None = None
    for match in _DATE.finditer(text):
        date = _date_from_match(value, match)
        if first_date is None:
            first, first_date = match, date
        elif date != first_date:
            raise ValueParseError(
                _("「%(value)s」には複数の日付があります。一つだけ書いてください。") % {"value": _shown(value)}
            )
    if first is None or first_date is None:
        if text.replace(",", "").replace(".", "", 1).isdigit():
            raise _bare_number(value)
        if _MONTH_DAY.search(text):
            raise ValueParseError(_("「%(value)s」には年がありません。") % {"value": _shown(value)})
        raise _unreadable(value)

    position = first.end()
    weekday = _WEEKDAY.match(text, position)
    if weekday:
        position = weekday.end()
    time_match = _TIME_AFTER_DATE.match(text, position)
    if time_match is None:
        return ParsedDate(first_date, None)
    return ParsedDate(first_date, _midnight_dropped(_time_from_match(value, time_match)))


def parse_time(value: object) -> datetime.time | None:
    """Read a time of day: 17:00, 17：00, 17時, 17時30分, 5時半, 午後5時, 午前9時30分, 正午 (surrounding words such as
    まで are ignored). Returns None for None and blank text; raises ValueParseError otherwise."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return (value.astimezone(JST) if value.tzinfo is not None else value).time()
    if isinstance(value, datetime.time):
        return value
    if not isinstance(value, str):
        raise ValueParseError(_("「%(value)s」は時刻として読めません。") % {"value": _shown(value)})
    text = _nfkc(value)
    if not text:
        return None
    found: datetime.time | None = None
    for match in _TIME.finditer(text):
        moment = _time_from_match(value, match)
        if found is not None and moment != found:
            raise ValueParseError(
                _("「%(value)s」には複数の時刻があります。一つだけ書いてください。") % {"value": _shown(value)}
            )
        found = moment
    if found is None:
        raise ValueParseError(_("「%(value)s」は時刻として読めません。") % {"value": _shown(value)})
    return found


def fiscal_year(d: datetime.date) -> int:
    """The 年度 (April to March) that `d` falls in: 2026-03-31 → 2025, 2026-04-01 → 2026."""
    return d.year if d.month >= 4 else d.year - 1


def _western(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def to_wareki(d: datetime.date) -> str:
    """`d` in 和暦 for display: 令和7年4月1日, 令和元年5月1日. Dates before 昭和 are written in 西暦."""
    if isinstance(d, datetime.datetime):
        d = d.date()
    for era in _ERAS_NEWEST_FIRST:
        if d >= era.first_day:
            era_year = d.year - era.offset
            year_text = "元" if era_year == 1 else str(era_year)
            return f"{era.name}{year_text}年{d.month}月{d.day}日"
    return _western(d)
