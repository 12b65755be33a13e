"""How a notice is recognised again: (municipality, 管理ID), or without 管理ID a fingerprint of
municipality, normalised title and 公告日. The importer and the demo generator both use this."""

import datetime
import hashlib
import re

from tsunagu.core.text import normalize_text

# Municipalities mark a cancelled or corrected call in its title; the mark doesn't make it another call.
_STATUS_MARK = re.compile(r"^\s*[【\[(（［]\s*(中止|取消し?|取り消し|訂正|再公告|再掲)\s*[】\])）］]\s*")
_CANCELLED = {"中止", "取消", "取消し", "取り消し"}


def _marks(title: str) -> list[str]:
    found = []
    while (match := _STATUS_MARK.match(title)) is not None:
        found.append(match.group(1))
        title = title[match.end():]
    return found


def is_cancelled_title(title: str) -> bool:
    """【中止】, also behind other marks (【訂正】【中止】…)."""
    return any(mark in _CANCELLED for mark in _marks(title))


def is_correction_title(title: str) -> bool:
    """A 訂正公告: the municipality republished the call with corrections."""
    return "訂正" in _marks(title)


def _without_marks(title: str) -> str:
    while (match := _STATUS_MARK.match(title)) is not None:
        title = title[match.end():]
    return title


def notice_title_key(title: str) -> str:
    """The normalised title stored on every notice, for matching results and repeated calls."""
    return normalize_text(_without_marks(title))[:500]


def notice_fingerprint(*, lg_code: str, title: str, published_on: datetime.date) -> str:
    key = f"{lg_code}|{notice_title_key(title)}|{published_on.isoformat()}"
    return hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()


# What changes when a municipality repeats a call: the year (2025年度, 2025年, a bare 2025 — era years such as
# 令和7年度, R7年度 and 令和元年度 are already western years after normalize_text), a year in brackets ((R7), （令和7）,
# (2025)), a bare era initial (R7 as a word), an era year in kanji numerals (令和七年度), and the round of a call
# (第2期, 第3回, 第二次, 第4号). Brackets emptied by the removal go too.
_KANJI_NUMERAL = "〇一二三四五六七八九十元"
_YEAR_MARKS = re.compile(
    r"[(\[【]\s*(?:令和|平成|[rhs])?\s*[\d" + _KANJI_NUMERAL + r"]{1,4}\s*(?:年度|年)?\s*[)\]】]"
    r"|(?:19|20)\d{2}\s*(?:年度|年)?"
    r"|(?<![a-z0-9])[rh]\s*\d{1,2}(?![a-z0-9])"
    r"|(?:令和|平成)\s*[" + _KANJI_NUMERAL + r"]{1,3}\s*(?:年度|年)"
    r"|第\s*[\d" + _KANJI_NUMERAL + r"]+\s*(?:回|期|号|次)"
)
_EMPTY_BRACKETS = re.compile(r"[(\[【]\s*[)\]】]")


def notice_series_key(title: str) -> str:
    """The title key without year and round markers: the editions of a yearly call share it
    (令和6年度 子育て支援業務 and 令和7年度 子育て支援業務; 子育て支援業務(R7); 第3期 子育て支援業務)."""
    key = _EMPTY_BRACKETS.sub(" ", _YEAR_MARKS.sub(" ", notice_title_key(title)))
    return " ".join(key.split())[:500]
