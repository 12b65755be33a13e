"""Reading a call's 参加資格 text into requirements: 地域要件 (市内に本店・事務所, 県内), 団体要件 (法人格, NPO法人,
個人不可, 営利団体を除く, 人数, 活動年数), 入札参加資格 (名簿への登録), and what can't be judged from a profile
(実績, 指名). A sentence that matches nothing is kept as UNKNOWN, to be shown as 要確認 with its text: a rule we
can't read is never silently dropped.

Pure functions over text; results are cached per text (many calls share one wording).
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

# Requirement kinds
OFFICE_IN_AREA = "office_in_area"  # 市内に本店・営業所・事務所を有する (scope: municipality or prefecture)
ACTIVE_IN_AREA = "active_in_area"  # 市内で活動する
REGISTERED = "registered"  # 入札参加資格者名簿に登載 / 競争入札参加資格を有する
CORPORATION = "corporation"  # 法人格を有する / 法人に限る
NO_INDIVIDUAL = "no_individual"  # 個人は不可 / 法人その他の団体
SMALL_BUSINESS = "small_business"  # 中小企業者又は個人事業主
CIVIC_GROUP = "civic_group"  # 市民活動団体、NPO法人等
NOT_FOR_PROFIT = "not_for_profit"  # 営利を目的とする団体を除く
MEMBERS = "members"  # N人以上で構成
YEARS_ACTIVE = "years_active"  # N年以上の活動実績
TRACK_RECORD = "track_record"  # 同種業務の実績
NOMINATION = "nomination"  # 指名します
DISQUALIFICATION = "disqualification"  # 地方自治法施行令第167条の4 (standard grounds for exclusion)
GROUP_OK = "group_ok"  # 共同企業体・グループでの参加も可
UNKNOWN = "unknown"

MUNICIPALITY, PREFECTURE = "municipality", "prefecture"


@dataclass(frozen=True)
class Requirement:
    kind: str
    sentence: str  # as written, quoted in explanations
    scope: str = ""  # OFFICE_IN_AREA / ACTIVE_IN_AREA / REGISTERED: MUNICIPALITY or PREFECTURE
    number: int | None = None  # MEMBERS, YEARS_ACTIVE
    category: str = ""  # REGISTERED: services / goods / consulting / works ('' for any)
    npo_named: bool = False  # CORPORATION: 特定非営利活動法人を含む


_AREA = re.compile(r"(市|区|町|村|県|都|府|道)内(?:に|で|の)")
_OFFICE = re.compile(r"(本店|本社|支店|営業所|事業所|事務所|活動拠点|拠点|主たる事務所)")
_ACTIVE = re.compile(r"内で(?:活動|公益的な活動)")
_REGISTERED = re.compile(r"(入札参加資格者?名簿|競争入札参加資格|入札参加資格)")
_CATEGORY = re.compile(r"\((役務|業務委託|委託|物品|測量|コンサル[^)]*|建設コンサルタント|工事|建設工事)\)")
_CATEGORY_OF = {"役務": "services", "業務委託": "services", "委託": "services", "物品": "goods", "測量": "consulting",
                "建設コンサルタント": "consulting", "工事": "works", "建設工事": "works"}
_PREFECTURE_BODY = re.compile(r"(都|道|府|県)の(?:競争)?入札参加資格")
_CORPORATION = re.compile(r"法人格を有する|法人に限る|法人であること|法人又は法人のグループ")
_NPO = re.compile(r"特定非営利活動法人|npo法人")
_NO_INDIVIDUAL = re.compile(r"個人(?:は|での応募は|の応募は)?(?:不可|除く|対象外)|個人を除く|法人その他の団体")
_SMALL_BUSINESS = re.compile(r"中小企業者?|個人事業主")
_CIVIC = re.compile(r"市民活動団体|地域活動団体|ボランティア団体|npo法人等|市民団体")
_NOT_FOR_PROFIT = re.compile(r"営利(?:・[^。]*?)?を目的とする(?:団体|もの)を除く")
_MEMBERS = re.compile(r"(\d+)\s*(?:人|名)以上で構成")
_YEARS = re.compile(r"(\d+)\s*年以上の活動(?:実績)?")
_TRACK = re.compile(r"(?:同種|類似)[^。]*?(?:業務|事業)?[^。]*?実績")
_NOMINATION = re.compile(r"指名します|指名する|指名を受けた")
_DISQUALIFICATION = re.compile(r"施行令第\s*167\s*条の\s*4|欠格")
_GROUP = re.compile(r"(?:共同企業体|グループ|コンソーシアム)(?:で|による|での)(?:参加|応募)[^。]*?可")


def _split(text: str) -> list[str]:
    """Sentences, on 。 and line breaks, but not inside brackets: 「法人格を有する者（NPO法人を含む。）。」 is one."""
    text = unicodedata.normalize("NFKC", text or "")
    sentences, current, depth = [], [], 0
    for char in text:
        if char in "(「『[【":
            depth += 1
        elif char in ")」』]】":
            depth = max(0, depth - 1)
        if char == "\n" and depth == 0:
            sentences.append("".join(current))
            current = []
            continue
        current.append(char)
        if char in "。." and depth == 0:
            sentences.append("".join(current))
            current = []
    sentences.append("".join(current))
    return [s.strip() for s in sentences if s.strip(" 。.")]


@functools.lru_cache(maxsize=4096)
def parse_eligibility(text: str) -> tuple[Requirement, ...]:
    """Requirements in the order written; each sentence gives one or more (UNKNOWN when none)."""
    found: list[Requirement] = []
    for sentence in _split(text):
        found.extend(_sentence_requirements(sentence) or [Requirement(UNKNOWN, sentence)])
    return tuple(found)


def _sentence_requirements(sentence: str) -> list[Requirement]:
    lower = sentence.casefold()
    out: list[Requirement] = []

    def add(kind: str, **kwargs) -> None:
        out.append(Requirement(kind, sentence, **kwargs))

    area = _AREA.search(sentence)
    if area:
        scope = PREFECTURE if area.group(1) in "県都府道" else MUNICIPALITY
        rest = sentence[area.end() - 1 :]
        if _OFFICE.search(rest):
            add(OFFICE_IN_AREA, scope=scope)
        elif _ACTIVE.search(sentence[area.start() :]):
            add(ACTIVE_IN_AREA, scope=scope)
    if _REGISTERED.search(sentence):
        named = _CATEGORY.search(sentence)
        category = _CATEGORY_OF.get(named.group(1), "consulting") if named else ""
        add(REGISTERED, scope=PREFECTURE if _PREFECTURE_BODY.search(sentence) else MUNICIPALITY, category=category)
    if _CORPORATION.search(sentence):
        add(CORPORATION, npo_named=bool(_NPO.search(lower)))
    if _NO_INDIVIDUAL.search(sentence):
        add(NO_INDIVIDUAL)
    if _SMALL_BUSINESS.search(sentence):
        add(SMALL_BUSINESS)
    if _CIVIC.search(lower):
        add(CIVIC_GROUP)
    if _NOT_FOR_PROFIT.search(sentence):
        add(NOT_FOR_PROFIT)
    if members := _MEMBERS.search(sentence):
        add(MEMBERS, number=int(members.group(1)))
    if years := _YEARS.search(sentence):
        add(YEARS_ACTIVE, number=int(years.group(1)))
    elif _TRACK.search(sentence):
        add(TRACK_RECORD)
    if _NOMINATION.search(sentence):
        add(NOMINATION)
    if _DISQUALIFICATION.search(sentence):
        add(DISQUALIFICATION)
    if _GROUP.search(sentence):
        add(GROUP_OK)
    return out
