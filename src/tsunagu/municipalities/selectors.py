"""Reads of the municipality master."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q, QuerySet

from .directory import MunicipalityDirectory
from .models import Municipality, Prefecture

_WHITESPACE = re.compile(r"\s+")
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}


def municipality_resolve(*, code: str | None = None, name: str | None = None) -> Municipality:
    """The local government meant by a 団体コード and/or a name, by the rules of
    `MunicipalityDirectory.resolve` (a ward gives its city; raises `NotFound`, `AmbiguousName`, or
    `DomainError` when code and name disagree)."""
    return MunicipalityDirectory.cached().resolve(code=code, name=name)


def municipality_search(query: str) -> QuerySet[Municipality]:
    """Local governments whose name or kana starts with `query`, for admin search and autocomplete.

    Widths and spaces are ignored and katakana is read as hiragana (the master's kana is hiragana). A query
    that starts with a prefecture's name (「東京都千代」) searches within it; 「東京都」 alone finds the prefecture and
    everything in it. Ordered by 団体コード (the prefecture first); slice it for a page.
    """
    text = _WHITESPACE.sub("", unicodedata.normalize("NFKC", query or ""))
    if not text:
        return Municipality.objects.none()
    queryset = Municipality.objects.select_related("prefecture").order_by("lg_code")
    prefecture = _prefecture_prefix(text)
    if prefecture is not None:
        rest = text[len(prefecture.name) :]
        within = queryset.filter(prefecture=prefecture)
        if not rest:
            return within
        return within.filter(_prefix(rest))
    return queryset.filter(_prefix(text))


def _prefix(text: str) -> Q:
    kana = text.translate(_KATAKANA_TO_HIRAGANA)
    return Q(name__startswith=text) | Q(kana__startswith=kana)


def _prefecture_prefix(text: str) -> Prefecture | None:
    for prefecture in Prefecture.objects.all():
        if text.startswith(prefecture.name):
            return prefecture
    return None

