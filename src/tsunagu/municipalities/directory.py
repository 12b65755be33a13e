"""An in-memory directory of every local government, for importers that resolve many rows per second.

`MunicipalityDirectory.load()` reads the master in one query and indexes it by 団体コード and by name; after
that, `resolve()` is a dictionary lookup. `MunicipalityDirectory.cached()` keeps one directory per process;
services that change the master call `municipality_directory_invalidate()` (saves and deletes through the ORM
invalidate it too, through signals). Rolled-back transactions do not: a test that creates a municipality and
then uses the cached directory must call `municipality_directory_invalidate()` itself.

Name rules (a name is compared after NFKC, case folding, removal of every whitespace and ヶ→ケ):

* qualified names come first: 「東京都千代田区」「東京千代田区」「東京都」「東京」「札幌市中央区」
  「北海道札幌市中央区」「北海道中央区」 (a ward resolves to its city);
* then bare names: 「千代田区」, and a bare ward name 「手稲区」 resolves to its city;
* a name shared by several raises `AmbiguousName` listing them (at most 12, then 「ほか n件」): cities
  (「府中市」「伊達市」), wards (「緑区」), and a local government and wards alike: 「北区」 may be 東京都北区
  or 大阪市北区 (a row meant for the latter must not land in Tokyo), so write 「東京都北区」 or 「大阪市北区」;
* a 郡 between the prefecture and a town or village is ignored (the master has no 郡): 「長野県北佐久郡軽井沢町」
  and 「北佐久郡軽井沢町」 are 軽井沢町. It is tried only when the name as written is unknown (「上郡町」 is a
  town), and a bare 郡 is not read after a prefecture that did not match (「長野県上川郡東川町」 is not found).

Codes: a `str` is read by `normalize_lg_code` (5 digits = a code without check digit). An `int`/`float` is a
spreadsheet number that may have lost its leading zero: 12203 is 012203 (北海道士別市) or 12203 + check digit =
122033 (千葉県市川市). The reading that names an existing local government (or ward) is used; when both do, the
name column settles it if given, else `AmbiguousName` asks for the code as text (`lg_code_number_readings`).

The returned `Municipality` objects are shared by every caller of the directory: treat them as read-only.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from tsunagu.core.codes import lg_code_number_readings, normalize_lg_code
from tsunagu.core.errors import AmbiguousName, DomainError, NotFound, ValueParseError
from tsunagu.core.text import normalize_text

from .models import Municipality, Prefecture, Ward

DEFAULT_ROW_FIELD_NAMES = ("団体コード", "自治体名")

_WHITESPACE = re.compile(r"\s+")
_NON_DIGIT = re.compile(r"[^0-9]")
_QUALIFIED, _BARE = 0, 1
_CANDIDATES_SHOWN = 12  # an ambiguity message lists this many candidates, then 「ほか n件」
_TOWN_OR_VILLAGE = ("町", "村")  # the only local governments that belong to a 郡


@functools.lru_cache(maxsize=8192)
def municipality_name_key(text: str) -> str:
    """The comparison form of a municipality name: 「東京都　千代田区」 and 「東京都千代田区」 give one key.

    ヶ and ケ are one letter here because official names mix them (茅ヶ崎市 but 鎌ケ谷市) and people don't.
    """
    text = normalize_text(unicodedata.normalize("NFKC", text))
    return _WHITESPACE.sub("", text).replace("ヶ", "ケ")


_CodeHit = tuple[Municipality, str | None, str]  # (the municipality, the ward's code or None, the label)


@dataclass(frozen=True, slots=True)
class _Target:
    municipality: Municipality
    ward_code: str | None  # set when the name names a ward (the result is still the ward's city)
    label: str  # 東京都府中市, 北海道札幌市中央区: how a candidate is shown to a person
    example: str  # 東京都府中市, 札幌市中央区: how a person may write it unambiguously


@dataclass(frozen=True, slots=True)
class _NameEntry:
    """What one name key means, worked out once when the directory is built."""

    municipality: Municipality | None  # the answer, when there is exactly one
    candidates: tuple[str, ...]  # the labels to list when there is more than one
    examples: tuple[str, ...]  # two unambiguous spellings to suggest when a ward is among the candidates
    municipality_ids: frozenset[int]  # every municipality the name could mean (its wards' cities included)
    ward_codes: frozenset[str]  # every ward the name could mean


class MunicipalityDirectory:
    """Every local government by 団体コード and by name. Build with `load()` or `cached()`."""

    def __init__(
        self, municipalities: list[Municipality], wards: list[tuple[str, str, Municipality]]
    ) -> None:
        """`wards` are (lg_code, name, city) triples; `municipalities` carry their prefecture, loaded."""
        self._by_code: dict[str, _CodeHit] = {}
        targets: dict[str, list[tuple[int, _Target]]] = {}

        def add(key_text: str, tier: int, target: _Target) -> None:
            targets.setdefault(municipality_name_key(key_text), []).append((tier, target))

        for municipality in municipalities:
            prefecture = municipality.prefecture
            label = municipality.full_name
            self._by_code[municipality.lg_code] = (municipality, None, label)
            target = _Target(municipality, None, label, label)
            if municipality.level == Municipality.Level.PREFECTURE:
                add(prefecture.name, _QUALIFIED, target)
                add(prefecture.short_name, _QUALIFIED, target)
            else:
                add(prefecture.name + municipality.name, _QUALIFIED, target)
                add(prefecture.short_name + municipality.name, _QUALIFIED, target)
                add(municipality.name, _BARE, target)
        self._ward_city: dict[str, int] = {}
        for ward_code, ward_name, city in wards:
            prefecture = city.prefecture
            label = f"{prefecture.name}{city.name}{ward_name}"
            self._by_code[ward_code] = (city, ward_code, label)
            self._ward_city[ward_code] = city.pk
            target = _Target(city, ward_code, label, city.name + ward_name)
            for qualified in (
                prefecture.name + city.name + ward_name,
                prefecture.short_name + city.name + ward_name,
                city.name + ward_name,
                prefecture.name + ward_name,
            ):
                add(qualified, _QUALIFIED, target)
            add(ward_name, _BARE, target)

        self._by_name: dict[str, _NameEntry] = {key: self._entry(found) for key, found in targets.items()}
        # Prefecture names a 郡-qualified name may start with, longest first; True for a full name (長野県).
        prefixes: dict[str, bool] = {}
        for municipality in municipalities:
            prefecture = municipality.prefecture
            prefixes[municipality_name_key(prefecture.name)] = True
            prefixes.setdefault(municipality_name_key(prefecture.short_name), False)
        self._prefecture_prefixes: tuple[tuple[str, bool], ...] = tuple(
            sorted(prefixes.items(), key=lambda item: (-len(item[0]), item[0]))
        )

    @staticmethod
    def _entry(found: list[tuple[int, _Target]]) -> _NameEntry:
        best_tier = min(tier for tier, _target in found)
        best = [target for tier, target in found if tier == best_tier]
        # No preference between a local government and a ward: 「北区」 is 東京都北区 or 大阪市北区 alike.
        by_label = {target.label: target for target in best}
        unique = {target.municipality.pk for target in best}
        examples: tuple[str, ...] = ()
        if len(unique) > 1 and any(target.ward_code for target in by_label.values()):
            governments = [target.example for target in by_label.values() if target.ward_code is None]
            wards = [target.example for target in by_label.values() if target.ward_code is not None]
            examples = tuple((governments[:1] + wards + governments[1:])[:2])
        return _NameEntry(
            municipality=best[0].municipality if len(unique) == 1 else None,
            candidates=tuple(by_label),
            examples=examples,
            municipality_ids=frozenset(target.municipality.pk for _tier, target in found),
            ward_codes=frozenset(target.ward_code for _tier, target in found if target.ward_code),
        )

    @classmethod
    def load(cls, *, using: str = DEFAULT_DB_ALIAS) -> MunicipalityDirectory:
        """Read the master in one query: municipalities with their prefecture, left-joined to their wards."""
        municipality_fields = [field.attname for field in Municipality._meta.concrete_fields]
        prefecture_fields = [field.attname for field in Prefecture._meta.concrete_fields]
        rows = (
            Municipality.objects.using(using)
            .order_by("lg_code", "wards__lg_code")
            .values_list(
                *municipality_fields,
                *(f"prefecture__{name}" for name in prefecture_fields),
                "wards__lg_code",
                "wards__name",
            )
        )
        municipality_count, prefecture_count = len(municipality_fields), len(prefecture_fields)
        municipalities: dict[int, Municipality] = {}
        prefectures: dict[int, Prefecture] = {}
        wards: list[tuple[str, str, Municipality]] = []
        for row in rows:
            municipality_values = row[:municipality_count]
            municipality = municipalities.get(municipality_values[0])
            if municipality is None:
                prefecture_values = row[municipality_count : municipality_count + prefecture_count]
                prefecture = prefectures.get(prefecture_values[0])
                if prefecture is None:
                    prefecture = Prefecture.from_db(using, prefecture_fields, prefecture_values)
                    prefectures[prefecture.pk] = prefecture
                municipality = Municipality.from_db(using, municipality_fields, municipality_values)
                municipality.prefecture = prefecture
                municipalities[municipality.pk] = municipality
            ward_code, ward_name = row[-2:]
            if ward_code is not None:
                wards.append((ward_code, ward_name, municipality))
        return cls(list(municipalities.values()), wards)

    @classmethod
    def cached(cls) -> MunicipalityDirectory:
        """The process's directory, loaded on first use, kept until `municipality_directory_invalidate()`."""
        directory = _cache.directory
        if directory is None:
            with _cache.lock:
                directory = _cache.directory
                if directory is None:
                    directory = cls.load()
                    _cache.directory = directory
        return directory

    @staticmethod
    def invalidate() -> None:
        municipality_directory_invalidate()

    def __len__(self) -> int:
        """How many 団体コード (local governments and wards) the directory knows."""
        return len(self._by_code)

    def resolve(
        self,
        *,
        code: str | int | float | Decimal | None = None,
        name: str | None = None,
        row_field_names: tuple[str, str] = DEFAULT_ROW_FIELD_NAMES,
    ) -> Municipality:
        """The local government meant by a 団体コード, a name, or both (which must then agree).

        `code` is a cell as read: text, or a spreadsheet number (int/float) that may have lost its leading
        zero (see the module docstring). A ward's code or name gives its city. Raises `ValueParseError`
        (malformed code or neither given), `NotFound`, `AmbiguousName` (a name, or a number read two ways) or
        `DomainError` (code and name disagree); every error's `.field` is the column at fault, taken from
        `row_field_names` = (code column, name column).
        """
        code_field, name_field = row_field_names
        is_number = isinstance(code, int | float | Decimal) and not isinstance(code, bool)
        code_text = "" if code is None else _number_shown(code) if is_number else str(code).strip()
        name_text = "" if name is None else str(name).strip()
        if not code_text and not name_text:
            raise ValueParseError(_("団体コードか自治体名を書いてください。"), field=code_field)
        entry = self._name_entry(name_text) if name_text else None
        if is_number:
            code6, by_code = self._lookup_number(code, code_text, code_field, entry)
        elif code_text:
            code6, by_code = code_text, self._by_code.get(code_text)
            if by_code is None:
                code6, by_code = self._lookup_code(code_text, code_field)
        else:
            code6 = by_code = None
        if not name_text:
            return by_code[0]
        if by_code is not None:
            municipality, ward_code, label = by_code
            if entry is None or not self._agrees(entry, municipality, ward_code):
                raise DomainError(
                    _("団体コード %(code)s（%(label)s）と自治体名「%(name)s」が一致しません。")
                    % {"code": code6, "label": label, "name": name_text},
                    field=name_field,
                )
            return municipality
        if entry is None:
            raise NotFound(_("「%(name)s」という自治体は見つかりません。") % {"name": name_text}, field=name_field)
        if entry.municipality is None:
            raise self._ambiguous_name(name_text, entry, name_field)
        return entry.municipality

    def _name_entry(self, name_text: str) -> _NameEntry | None:
        key = municipality_name_key(name_text)
        entry = self._by_name.get(key)
        if entry is None and "郡" in key and key.endswith(_TOWN_OR_VILLAGE):
            entry = self._county_entry(key)
        return entry

    def _county_entry(self, key: str) -> _NameEntry | None:
        """The entry of a name written with its 郡: 「長野県北佐久郡軽井沢町」「北佐久郡軽井沢町」 → 軽井沢町.

        The 郡 is the segment up to the first 郡 after the prefecture (if any); what follows must be a 町 or
        村 of at least two letters. Without a matching prefecture, the name must not start with one (else
        「長野県上川郡東川町」 would silently become 北海道東川町), except a 郡 named like a prefecture
        (「愛知郡愛荘町」「京都郡苅田町」).
        """
        bare_allowed = True
        for prefix, full in self._prefecture_prefixes:
            if not key.startswith(prefix):
                continue
            rest = key[len(prefix) :]
            end = rest.find("郡", 1)
            if end != -1 and len(rest) - end > 2:
                entry = self._by_name.get(prefix + rest[end + 1 :])
                if entry is not None:
                    return entry
            if full or not key.startswith(prefix + "郡"):
                bare_allowed = False
        end = key.find("郡", 1)
        if bare_allowed and end != -1 and len(key) - end > 2:
            return self._by_name.get(key[end + 1 :])
        return None

    @staticmethod
    def _ambiguous_name(name_text: str, entry: _NameEntry, name_field: str) -> AmbiguousName:
        shown = "、".join(entry.candidates[:_CANDIDATES_SHOWN])
        if len(entry.candidates) > _CANDIDATES_SHOWN:
            shown += _("ほか%(count)d件") % {"count": len(entry.candidates) - _CANDIDATES_SHOWN}
        if entry.examples:
            message = _(
                "「%(name)s」に該当する自治体・区が複数あります（%(candidates)s）。"
                "「%(first)s」「%(second)s」のように都道府県名か市名を付けて書いてください。"
            ) % {
                "name": name_text,
                "candidates": shown,
                "first": entry.examples[0],
                "second": entry.examples[1],
            }
        else:
            message = _(
                "「%(name)s」に該当する自治体が複数あります（%(candidates)s）。都道府県名から書いてください。"
            ) % {"name": name_text, "candidates": shown}
        return AmbiguousName(message, candidates=list(entry.candidates), field=name_field)

    def _lookup_number(
        self, value: int | float | Decimal, shown: str, code_field: str, entry: _NameEntry | None
    ) -> tuple[str, _CodeHit]:
        """A spreadsheet number: the reading that names an existing local government or ward."""
        try:
            readings = lg_code_number_readings(value)
        except ValueParseError as error:
            raise ValueParseError(error.message, field=code_field) from None
        found = [(reading, self._by_code[reading]) for reading in readings if reading in self._by_code]
        if len(found) > 1 and entry is not None:
            # The name column settles which reading was meant: 12203 with 「士別市」 is 012203.
            agreeing = [(reading, hit) for reading, hit in found if self._agrees(entry, hit[0], hit[1])]
            if len(agreeing) == 1:
                return agreeing[0]
        if len(found) == 1:
            return found[0]
        if not found:
            raise NotFound(_("団体コード %(code)s の自治体は見つかりません。") % {"code": shown}, field=code_field)
        (first, first_hit), (second, second_hit) = found[:2]
        raise AmbiguousName(
            _(
                "団体コード %(code)s は「%(first)s」とも「%(second)s」とも読めます。"
                "先頭の0を含む6桁を文字列として書いてください（例：'%(padded)s）。"
            )
            % {
                "code": shown,
                "first": f"{first}（{first_hit[2]}）",
                "second": f"{second}（{second_hit[2]}）",
                "padded": first,
            },
            candidates=[f"{reading}（{hit[2]}）" for reading, hit in found],
            field=code_field,
        )

    def _lookup_code(self, code_text: str, code_field: str) -> tuple[str, _CodeHit]:
        try:
            normalized = normalize_lg_code(code_text)
        except ValueParseError as error:
            raise ValueParseError(error.message, field=code_field) from None
        found = self._by_code.get(normalized)
        if found is None:
            message = _("団体コード %(code)s の自治体は見つかりません。") % {"code": code_text}
            padded = "0" + normalized[:5]
            typed_five_digits = len(_NON_DIGIT.sub("", unicodedata.normalize("NFKC", code_text))) == 5
            if typed_five_digits and padded in self._by_code:
                # A spreadsheet that read the code as a number drops its leading zero: 011002 → 11002.
                message += _("先頭の0が落ちていませんか（%(padded)s なら%(label)s）。") % {
                    "padded": padded,
                    "label": self._by_code[padded][2],
                }
            raise NotFound(message, field=code_field)
        return normalized, found

    def _agrees(self, entry: _NameEntry, municipality: Municipality, ward_code: str | None) -> bool:
        if ward_code is not None:
            # The code names a ward: the name may be that ward or its city, not a sibling ward.
            return ward_code in entry.ward_codes or (
                municipality.pk in entry.municipality_ids
                and not any(self._ward_city.get(code) == municipality.pk for code in entry.ward_codes)
            )
        return municipality.pk in entry.municipality_ids


def _number_shown(value: int | float | Decimal) -> str:
    """12203 and 12203.0 are shown as 12203; a fraction as written."""
    try:
        if value == int(value):
            return str(int(value))
    except (OverflowError, ValueError, ArithmeticError):  # inf, nan
        pass
    return str(value)


class _Cache:
    def __init__(self) -> None:
        self.directory: MunicipalityDirectory | None = None
        self.lock = threading.Lock()


_cache = _Cache()


def municipality_directory_invalidate() -> None:
    """Forget the process's cached directory; the next `MunicipalityDirectory.cached()` reloads it."""
    _cache.directory = None


def _invalidate_on_change(sender, **kwargs) -> None:
    municipality_directory_invalidate()


for _model in (Prefecture, Municipality, Ward):
    post_save.connect(
        _invalidate_on_change, sender=_model, dispatch_uid=f"municipality_directory_{_model.__name__}"
    )
    post_delete.connect(
        _invalidate_on_change, sender=_model, dispatch_uid=f"municipality_directory_delete_{_model.__name__}"
    )
