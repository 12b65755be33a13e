"""Japanese text normalisation: one set of functions for import, search, duplicate detection and double entry.

`normalize_text` is the key every path compares on; `organisation_name_key` is the key that makes one supplier
one organisation. Both run on every imported row, so the regexes are compiled once and the variant table is
loaded once (see `reload_variants`).
"""

import functools
import logging
import re
import unicodedata
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

VARIANTS_FILE = Path(__file__).resolve().parent / "data" / "variants.txt"

_SPACE_RUN = re.compile(r"\s+")
_GROUP_SEPARATOR = re.compile(r"[・,]")
# A variant fold can, in contrived text, create a new variant (申し込みみ → 申込み → 申込); a few passes reach
# the fixed point that makes normalize_text idempotent. Real titles converge in one pass.
_MAX_FOLD_PASSES = 4


def _nfkc_fold(text: str) -> str:
    """NFKC, then case folding; NFKC again when case folding produced a non-NFKC sequence (rare, e.g. ǰ)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text


def _basic(text: str) -> str:
    return _SPACE_RUN.sub(" ", _nfkc_fold(text)).strip()


# --- variant groups -----------------------------------------------------------------------------------------


class _VariantTable:
    """All variant groups: one regex over every form (longest first) and the form → canonical map."""

    __slots__ = ("mapping", "pattern")

    def __init__(self, groups: list[list[str]]) -> None:
        mapping: dict[str, str] = {}
        for group in groups:
            canonical = group[0]
            for form in group:
                previous = mapping.get(form)
                if previous is not None and previous != canonical:
                    logger.warning(
                        "variant form %r is in two groups (%r, %r); the first wins", form, previous, canonical
                    )
                    continue
                mapping[form] = canonical
        self.mapping = mapping
        # Canonical forms are in the pattern too (mapping to themselves) so that a canonical form is consumed
        # whole: with a group 取扱い・取扱, the text 取扱い must not become 取扱いい.
        forms = sorted(mapping, key=lambda form: (-len(form), form))
        self.pattern = re.compile("|".join(map(re.escape, forms))) if forms else None

    def fold(self, text: str) -> str:
        if self.pattern is None:
            return text
        mapping = self.mapping
        replace = lambda match: mapping[match.group()]  # noqa: E731
        for _pass in range(_MAX_FOLD_PASSES):
            folded = self.pattern.sub(replace, text)
            if folded == text:
                break
            text = folded
        return text


def _parse_variant_lines(lines: list[str], source: str) -> list[list[str]]:
    groups = []
    for number, line in enumerate(lines, start=1):
        line = line.split("#", 1)[0]
        forms = [_basic(form) for form in _GROUP_SEPARATOR.split(_nfkc_fold(line))]
        forms = list(dict.fromkeys(form for form in forms if form))
        if len(forms) == 1:
            logger.warning("%s:%d: a variant group needs at least two forms: %r", source, number, line)
        if len(forms) >= 2:
            groups.append(forms)
    return groups


def _extra_variant_files() -> list[Path]:
    try:
        from django.conf import settings

        files = getattr(settings, "TEXT_VARIANT_FILES", [])
    except ImproperlyConfigured:  # used outside a configured Django project (scripts, notebooks)
        files = []
    if isinstance(files, (str, Path)):  # a single path given where a list was meant
        files = [files]
    return [Path(file) for file in files]


@functools.cache
def _variant_table() -> _VariantTable:
    groups = []
    for path in [VARIANTS_FILE, *_extra_variant_files()]:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except OSError as exc:
            # Fail loudly: silently different keys on one server would break duplicate detection.
            raise ImproperlyConfigured(f"TEXT_VARIANT_FILES: cannot read {path}: {exc}") from exc
        groups.extend(_parse_variant_lines(lines, str(path)))
    return _VariantTable(groups)


def variant_groups() -> list[list[str]]:
    """The loaded variant groups (normalised forms, canonical first), for display and tests."""
    by_canonical: dict[str, list[str]] = {}
    for form, canonical in _variant_table().mapping.items():
        by_canonical.setdefault(canonical, [canonical])
        if form != canonical:
            by_canonical[canonical].append(form)
    return list(by_canonical.values())


def reload_variants() -> None:
    """Forget the loaded variant groups; the next call reads the data files (and TEXT_VARIANT_FILES) again."""
    _variant_table.cache_clear()


def fold_variants(text: str) -> str:
    """Replace every variant form in already-normalised `text` by the canonical form of its group."""
    return _variant_table().fold(text)


# --- era years ----------------------------------------------------------------------------------------------

_ERA_BASE = {
    "令和": 2018, "令": 2018, "r": 2018,
    "平成": 1988, "平": 1988, "h": 1988,
    "昭和": 1925, "昭": 1925, "s": 1925,
}  # fmt: skip

# Runs on NFKC text. A Latin initial must not end a word
# (hr7年 is not an era) and a one-kanji initial must not end a kanji word (命令7年 is not 令和7年).
_ERA_YEAR = re.compile(
    r"(?:(?P<era>令和|平成|昭和)|(?<![a-zA-Z0-9])(?P<latin>[rhsRHS])|(?<![\u3400-\u9fff])(?P<kanji>[令平昭]))"
    r" ?(?P<year>元|\d{1,2}) ?(?=年)"
)


def _era_year_replace(match: re.Match[str]) -> str:
    era = match.group("era") or match.group("latin") or match.group("kanji")
    year = match.group("year")
    return str(_ERA_BASE[era.lower()] + (1 if year == "元" else int(year)))


def fold_era_years(text: str) -> str:
    """Write era years as western years: 令和7年度, R7年度, r7年度, 令7年度 → 2025年度; 令和元年 → 2019年.

    Only an era name or initial followed by a year and 年 (or 年度) changes: 令和7号, R7 and hr7年 stay.
    Expects NFKC text (normalize_text runs it last).
    """
    if "年" not in text:
        return text
    return _ERA_YEAR.sub(_era_year_replace, text)


# --- normalize_text -----------------------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """The comparison form of `text`: NFKC, case folded, whitespace collapsed to one space and stripped,
    variant spellings folded (子供 → 子ども) and era years written as western years (令和7年度 → 2025年度).

    Idempotent: normalize_text(normalize_text(x)) == normalize_text(x).
    """
    return fold_era_years(fold_variants(_basic(text)))


# --- organisation names -------------------------------------------------------------------------------------

# After NFKC: ㈱ → (株), （株） → (株), ㈳ → (社), ㍿ → 株式会社.
_LEGAL_FORMS = {
    "株": "株式会社",
    "有": "有限会社",
    "同": "合同会社",
    "名": "合名会社",
    "資": "合資会社",
    "一社": "一般社団法人",
    "公社": "公益社団法人",
    "一財": "一般財団法人",
    "公財": "公益財団法人",
    "特非": "特定非営利活動法人",
    "npo": "特定非営利活動法人",
    "社福": "社会福祉法人",
    "医": "医療法人",
    "医社": "医療法人社団",
    "医財": "医療法人財団",
    "学": "学校法人",
    "宗": "宗教法人",
    "独": "独立行政法人",
    "社": "社団法人",
    "財": "財団法人",
    "協組": "協同組合",
    "企": "企業組合",
    "農": "農事組合法人",
}
_LEGAL_FORM_ABBREVIATION = re.compile(
    r"\(\s*(" + "|".join(sorted(map(re.escape, _LEGAL_FORMS), key=len, reverse=True)) + r")\s*\)"
    r"|(?<![a-z])(npo)\s*法人",
    re.IGNORECASE,
)
_NAME_NOISE = re.compile(r"[\s・·]+")


def _expand_legal_form(match: re.Match[str]) -> str:
    return _LEGAL_FORMS[(match.group(1) or match.group(2)).casefold()]


def _expand_legal_forms(name: str) -> str:
    """Legal-form abbreviations of NFKC text in full, where they stand: (株)A → 株式会社A, A(有) → A有限会社."""
    if "(" not in name and "法人" not in name:
        return name
    return _LEGAL_FORM_ABBREVIATION.sub(_expand_legal_form, name)


def organisation_name_key(name: str) -> str:
    """The key under which one supplier is one organisation: NFKC, case folded, legal forms in full
    (㈱, (株), （株） → 株式会社; NPO法人 → 特定非営利活動法人 ...), whitespace and ・ removed.

    The position of the legal form is kept: 株式会社A and A株式会社 are different companies.
    """
    return _NAME_NOISE.sub("", _expand_legal_forms(_nfkc_fold(name)))


def organisation_display_name(name: str) -> str:
    """A tidy display form: NFKC, whitespace collapsed, legal forms in full (㈱つなぐ → 株式会社つなぐ), case kept."""
    text = _SPACE_RUN.sub(" ", unicodedata.normalize("NFKC", name)).strip()
    return _expand_legal_forms(text)
