"""Japanese text normalisation: one set of functions for import, search, duplicate detection and double entry."""

import re
import unicodedata

_SPACE_RUN = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFKC (full/half width), case folding, whitespace collapsed. (Variant groups and era years: to come.)"""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE_RUN.sub(" ", text).strip()
