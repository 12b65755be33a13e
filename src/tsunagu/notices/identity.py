"""How a notice is recognised again: (municipality, 管理ID), or without 管理ID a fingerprint of
municipality, normalised title and 公告日. The importer and the demo generator both use this."""

import datetime
import hashlib

from tsunagu.core.text import normalize_text


def notice_title_key(title: str) -> str:
    """The normalised title stored on every notice, for matching results and repeated calls."""
    return normalize_text(title)[:500]


def notice_fingerprint(*, lg_code: str, title: str, published_on: datetime.date) -> str:
    key = f"{lg_code}|{normalize_text(title)}|{published_on.isoformat()}"
    return hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()
