"""Demo data: realistic notices (公募), awards (落札結果・選定結果) and organisations (事業者) spread over the
real local governments, for the local demo and for benchmarks.

Everything generated is marked `is_demo=True, source="demo"`, so `demo_delete()` removes exactly it. The seed and
the anchor date (`today`) fully determine the content: each concern draws from its own `random.Random`, so the
batch size changes nothing but speed. (Existing non-demo rows can nudge a date or a 管理ID to avoid their keys.)

Speed (a million notices is a benchmark input): the organisations are created up front with `bulk_create`; notices
and awards are built without queries as tuples of database-ready values and written with one `executemany` per
table and batch, one transaction per batch (`RowWriter` says why not `bulk_create`); in large runs a forked child
builds the next batch while this process writes. Memory stays flat except for one small integer per notice without
管理ID (the uniqueness guard of its fingerprint) and SQLite's page cache (up to 128 MB, see `_large_page_cache`).
"""

from __future__ import annotations

import bisect
import datetime
import functools
import math
import multiprocessing
import random
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.bulk import RowWriter
from tsunagu.core.choices import TaxBasis
from tsunagu.core.codes import corporate_number_check_digit
from tsunagu.core.errors import DomainError
from tsunagu.core.text import organisation_name_key
from tsunagu.municipalities.models import Municipality

from .identity import notice_fingerprint, notice_title_key
from .models import Award, Notice, NoticeKind, Organisation
from .signals import notices_changed, notices_deleted

DEMO_SOURCE = "demo"

Progress = Callable[[int, int], None]


class DemoDataExists(DomainError):
    """Demo data is already there: delete it first (the command's --replace)."""


class NoMunicipalities(DomainError):
    """The municipality master is empty: nothing to attach notices to."""


@dataclass(frozen=True)
class DemoResult:
    notices: int
    awards: int
    organisations: int
    seconds: float

    @property
    def notices_per_second(self) -> float:
        return self.notices / self.seconds if self.seconds > 0 else float("inf")


def demo_data_exists() -> bool:
    return (
        Notice.objects.filter(is_demo=True).exists()
        or Award.objects.filter(is_demo=True).exists()
        or Organisation.objects.filter(is_demo=True).exists()
    )


def demo_delete(*, chunk_size: int = 50000) -> int:
    """Delete the demo rows (awards, notices, organisations with `is_demo`) and nothing else.

    Notices go in chunks so that memory stays flat for a million rows; a demo organisation that a real award
    refers to (an import matched it by name) is kept. Returns the number of notices deleted.
    """
    Award.objects.filter(is_demo=True).delete()
    deleted = 0
    with _large_page_cache():
        while True:
            chunk = Notice.objects.filter(is_demo=True).order_by("pk").values("pk")[:chunk_size]
            with transaction.atomic():
                notices_deleted.send(sender=Notice, ids=[row["pk"] for row in chunk])
                # Only the keys: the cascade (awards, revisions, whatever refers to notices) needs no more.
                count = Notice.objects.filter(pk__in=Subquery(chunk)).only("pk").delete()[1].get(Notice._meta.label, 0)
            if not count:
                break
            deleted += count
    Organisation.objects.filter(is_demo=True).exclude(Exists(Award.objects.filter(winner=OuterRef("pk")))).delete()
    return deleted


def demo_generate(
    *,
    notices: int,
    seed: int,
    batch_size: int = 5000,
    progress: Progress | None = None,
    today: datetime.date | None = None,
    parallel: bool | None = None,
) -> DemoResult:
    """Create `notices` demo notices with awards and the organisations that won them.

    Preconditions: municipalities are loaded; no demo rows exist (raises `DemoDataExists`; call `demo_delete`).
    Guarantees: exactly `notices` notices, every one `is_demo=True, source="demo"` with its fingerprint from
    `notice_fingerprint`; deadlines strictly after publication and in order; awards only on notices whose last
    deadline is before `today`, decided after it and not after `today`. Same (`seed`, `today`) → same data.
    `progress(done, total)` is called after each batch. `parallel`: build the rows in a child process while this
    one writes (None: when there are many and the platform can fork); the rows are the same either way.
    """
    if notices < 0:
        raise ValueError("notices must be >= 0")
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    if demo_data_exists():
        raise DemoDataExists(_("デモデータが既にあります。作り直すには先に削除してください。"))
    started = time.perf_counter()
    today = today or timezone.localdate()
    generator = _Generator(seed=seed, today=today, total=notices)
    organisations = generator.create_organisations()

    notice_writer = RowWriter(Notice, NOTICE_FIELDS, with_ids=True)
    award_writer = RowWriter(Award, AWARD_FIELDS, with_ids=False)
    done = awards_done = 0
    if parallel is None:
        parallel = notices >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods()
    batches = _batches_from_child if parallel else _batches
    with _large_page_cache():
        for rows, plans in batches(generator, batch_size):
            with transaction.atomic():
                ids = notice_writer.write(rows)
                awards = [(notice_id, *award) for notice_id, plan in zip(ids, plans, strict=True) for award in plan]
                award_writer.write(awards)
                notices_changed.send(sender=Notice, ids=ids)  # after the awards: followers read a notice whole
            done += len(rows)
            awards_done += len(awards)
            if progress:
                progress(done, notices)
    return DemoResult(notices=done, awards=awards_done, organisations=organisations, seconds=time.perf_counter() - started)


@contextmanager
def _large_page_cache(kibibytes: int = 128 * 1024) -> Iterator[None]:
    """On SQLite, a page cache that holds the indexes being written while the table grows.

    The notice indexes are on random keys (fingerprint, title, date), so each batch touches most of their pages;
    with SQLite's default 2 MB cache those pages spill and are written again and again: a million notices took
    half as long again. The cache grows only as pages are used, and is given back afterwards.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kibibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _batches(generator: _Generator, batch_size: int) -> Iterator[tuple[list, list]]:
    rows: list[tuple] = []
    plans: list[list[tuple]] = []
    for row, plan in generator.notices():
        rows.append(row)
        plans.append(plan)
        if len(rows) >= batch_size:
            yield rows, plans
            rows, plans = [], []
    if rows:
        yield rows, plans


PARALLEL_FROM = 20_000  # notices; below that a second process costs more than it saves


def _batches_from_child(generator: _Generator, batch_size: int) -> Iterator[tuple[list, list]]:
    """`_batches`, built in a forked child while this process writes: building rows (Python) and writing them
    (the database) take about as long each, and the machine has two cores; a thread would share one GIL.

    The child starts from this process's generator (municipalities, organisation pools, taken keys), so the rows
    are exactly those `_batches` builds. It never touches the database: the values were prepared with this
    connection's operations, and it leaves with `os._exit` (multiprocessing's fork start), closing nothing
    inherited. The pipe blocks the child when it is a batch ahead, so memory stays flat.
    """
    receiver, sender = multiprocessing.Pipe(duplex=False)

    def produce() -> None:
        receiver.close()
        try:
            for batch in _batches(generator, batch_size):
                sender.send(("batch", batch))
            sender.send(("done", None))
        except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
            sender.send(("error", traceback.format_exc()))
        finally:
            sender.close()

    child = multiprocessing.get_context("fork").Process(target=produce, name="generate_demo", daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                raise RuntimeError("the demo generator process stopped without a word") from None
            if kind == "done":
                break
            if kind == "error":
                raise RuntimeError(f"the demo generator process failed:\n{payload}")
            yield payload
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


# What the generator produces, in order: notices (after the id) and awards (the notice id first).
NOTICE_FIELDS = (
    "municipality", "department", "external_id", "fingerprint", "title", "title_key", "description", "kind",
    "categories", "published_on", "enquiry_deadline", "enquiry_deadline_time", "application_deadline",
    "application_deadline_time", "submission_deadline", "submission_deadline_time", "budget_yen",
    "budget_tax_basis", "budget_text", "contract_period", "eligibility", "npo_eligible", "source_url", "notes",
    "cancelled", "source", "is_demo",
)  # fmt: skip
AWARD_FIELDS = (
    "notice", "winner", "amount_yen", "amount_tax_basis", "estimated_value_yen", "estimated_value_tax_basis",
    "bidders", "awarded_on", "score", "notes", "source", "is_demo",
)  # fmt: skip

# --------------------------------------------------------------------------------------------------------------
# What the data looks like
# --------------------------------------------------------------------------------------------------------------

K = NoticeKind
INCLUDED, EXCLUDED, UNKNOWN = TaxBasis.INCLUDED.value, TaxBasis.EXCLUDED.value, TaxBasis.UNKNOWN.value
KIND_SHARES = (
    (K.OPEN_TENDER, 29), (K.PROPOSAL, 20), (K.PLANNING_COMPETITION, 8), (K.SELECTIVE_TENDER, 8),
    (K.NEGOTIATED, 7), (K.GRANT, 9), (K.DESIGNATED_MANAGER, 6), (K.COLLABORATION, 6), (K.OTHER, 7),
)  # fmt: skip
# Yearly calls: the same title with the 年度 changed, in the same municipality, 3 to 5 years running.
RECURRING_KINDS = {K.OPEN_TENDER, K.PROPOSAL, K.PLANNING_COMPETITION, K.NEGOTIATED, K.GRANT, K.COLLABORATION}
RECURRING_SHARE = 0.12  # of series started; each series is 3–5 notices, so ~30% of notices recur

# Publications per fiscal month: peaks in April–June and January–March, few in August (お盆).
MONTH_WEIGHTS = {4: 12, 5: 13, 6: 11, 7: 8, 8: 3, 9: 6, 10: 8, 11: 7, 12: 5, 1: 9, 2: 10, 3: 9}
KIND_MONTH_WEIGHTS = {
    K.DESIGNATED_MANAGER: {4: 2, 5: 4, 6: 9, 7: 12, 8: 7, 9: 9, 10: 6, 11: 2, 12: 1, 1: 1, 2: 1, 3: 1},
    K.COLLABORATION: {4: 4, 5: 9, 6: 12, 7: 10, 8: 3, 9: 4, 10: 3, 11: 2, 12: 1, 1: 2, 2: 2, 3: 1},
    K.GRANT: {4: 14, 5: 13, 6: 9, 7: 6, 8: 2, 9: 4, 10: 4, 11: 3, 12: 2, 1: 5, 2: 6, 3: 4},
}
# The last five fiscal years, more in recent ones (collection grows); a few notices up to a month ahead.
FISCAL_YEAR_WEIGHTS = (0.12, 0.16, 0.20, 0.24, 0.28)  # oldest → current
DAYS_AHEAD = 14
# Besides the seasons, a share of calls from the last few weeks: the demo shows calls that are still open.
RECENT_SHARE, RECENT_DAYS = 0.05, 40

LEVEL_WEIGHTS = {
    Municipality.Level.PREFECTURE: 30.0,
    Municipality.Level.DESIGNATED_CITY: 28.0,
    Municipality.Level.SPECIAL_WARD: 7.0,
    Municipality.Level.CITY: 5.0,
    Municipality.Level.TOWN: 1.6,
    Municipality.Level.VILLAGE: 0.8,
}
HOST_WORDS = {"prefecture": "pref", "designated_city": "city", "special_ward": "city", "city": "city", "town": "town",
              "village": "vill"}  # fmt: skip

# field (分野) → departments, services (業務), goods (物品)
FIELDS: dict[str, tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...], tuple[str, ...]]] = {
    "子育て": (
        ("子育て支援課", "こども家庭課", "保育課"),
        (
            ("子育て支援アプリ運用保守業務", ("DX",)),
            ("子ども・子育て支援事業計画策定支援業務", ()),
            ("放課後児童クラブ運営業務", ("教育",)),
            ("病児・病後児保育事業運営業務", ("健康",)),
            ("ファミリー・サポート・センター運営業務", ()),
            ("こども家庭センター相談支援業務", ("福祉",)),
            ("子育て情報誌制作業務", ("広報",)),
            ("妊婦・子育て家庭伴走型相談支援業務", ("健康",)),
            ("こども誰でも通園制度システム導入業務", ("DX",)),
        ),
        ("保育所午睡チェックセンサー購入", "児童館遊具購入"),
    ),
    "観光": (
        ("観光振興課", "観光課", "商工観光課"),
        (
            ("観光プロモーション動画制作業務", ("広報",)),
            ("観光公式ウェブサイトリニューアル業務", ("DX",)),
            ("インバウンド誘客促進事業業務", ()),
            ("観光案内所運営業務", ()),
            ("観光振興計画策定支援業務", ()),
            ("ふるさと納税返礼品PR業務", ("産業振興",)),
            ("教育旅行誘致促進業務", ("教育",)),
            ("観光ガイドマップ制作業務", ("広報",)),
        ),
        ("観光案内看板製作", "観光パンフレット印刷"),
    ),
    "福祉": (
        ("福祉総務課", "高齢福祉課", "障がい福祉課", "地域福祉課"),
        (
            ("地域福祉計画策定支援業務", ()),
            ("高齢者見守り支援事業業務", ()),
            ("障がい者就労支援事業業務", ()),
            ("生活困窮者自立相談支援事業業務", ()),
            ("介護予防・日常生活支援総合事業業務", ("健康",)),
            ("重層的支援体制整備事業業務", ()),
            ("成年後見制度利用促進業務", ()),
            ("認知症カフェ運営業務", ("健康",)),
        ),
        ("福祉車両購入",),
    ),
    "防災": (
        ("危機管理課", "防災課", "危機管理室"),
        (
            ("防災行政無線デジタル化実施設計業務", ()),
            ("ハザードマップ作成業務", ()),
            ("避難所運営訓練支援業務", ()),
            ("地域防災計画改定支援業務", ()),
            ("防災アプリ導入業務", ("DX",)),
            ("国土強靱化地域計画策定支援業務", ("まちづくり",)),
        ),
        ("防災備蓄品購入", "避難所用段ボールベッド購入", "可搬型発電機購入"),
    ),
    "DX": (
        ("情報政策課", "DX推進課", "デジタル推進課"),
        (
            ("庁内ネットワーク機器更新業務", ()),
            ("電子申請システム導入業務", ()),
            ("RPA導入支援業務", ()),
            ("基幹業務システム標準化移行支援業務", ()),
            ("AI-OCR導入業務", ()),
            ("公式ウェブサイトリニューアル業務", ("広報",)),
            ("自治体DX推進計画策定支援業務", ()),
            ("オープンデータ推進業務", ()),
            ("窓口DX（書かない窓口）導入業務", ()),
        ),
        ("庁内パソコン賃貸借", "タブレット端末購入", "電子複合機賃貸借"),
    ),
    "環境": (
        ("環境政策課", "環境課", "ゼロカーボン推進課"),
        (
            ("地球温暖化対策実行計画策定支援業務", ()),
            ("一般廃棄物収集運搬業務", ()),
            ("再生可能エネルギー導入可能性調査業務", ()),
            ("環境学習推進事業業務", ("教育",)),
            ("脱炭素ロードマップ策定支援業務", ()),
            ("生物多様性地域戦略策定支援業務", ()),
            ("食品ロス削減推進業務", ()),
        ),
        ("公共施設LED照明導入", "電気自動車購入"),
    ),
    "教育": (
        ("学校教育課", "生涯学習課", "教育総務課"),
        (
            ("GIGAスクール端末保守業務", ("DX",)),
            ("学校給食調理業務", ()),
            ("部活動地域移行推進事業業務", ("文化・スポーツ",)),
            ("外国語指導助手派遣業務", ()),
            ("不登校児童生徒支援事業業務", ("子育て",)),
            ("学習支援教室運営業務", ("子育て",)),
            ("校務支援システム導入業務", ("DX",)),
        ),
        ("児童生徒用タブレット端末購入", "学校図書購入", "教材用消耗品購入"),
    ),
    "まちづくり": (
        ("都市計画課", "まちづくり推進課", "企画政策課", "市民協働課"),
        (
            ("立地適正化計画策定支援業務", ()),
            ("空き家等実態調査業務", ()),
            ("中心市街地活性化事業業務", ("産業振興",)),
            ("都市計画マスタープラン改定支援業務", ()),
            ("地域公共交通計画策定支援業務", ()),
            ("デマンド型交通運行業務", ()),
            ("移住定住促進事業業務", ("広報",)),
            ("地域おこし協力隊サポート業務", ()),
        ),
        ("コミュニティバス車両購入",),
    ),
    "健康": (
        ("健康づくり課", "健康推進課", "保健センター"),
        (
            ("特定健康診査受診勧奨業務", ()),
            ("健康ポイント事業運営業務", ("DX",)),
            ("がん検診受診率向上業務", ()),
            ("データヘルス計画策定支援業務", ()),
        ),
        ("予防接種用ワクチン購入",),
    ),
    "産業振興": (
        ("商工振興課", "産業振興課", "経済政策課"),
        (
            ("創業支援事業業務", ()),
            ("企業誘致プロモーション業務", ("広報",)),
            ("プレミアム付商品券発行事業業務", ()),
            ("中小企業デジタル化支援業務", ("DX",)),
            ("地場産品販路拡大支援業務", ()),
        ),
        (),
    ),
    "農林水産": (
        ("農政課", "農林振興課", "農林水産課"),
        (
            ("鳥獣被害対策実施業務", ()),
            ("農産物ブランド化推進業務", ("産業振興",)),
            ("森林経営管理意向調査業務", ("環境",)),
            ("新規就農者確保育成支援業務", ()),
        ),
        ("ドローン（農薬散布用）購入",),
    ),
    "文化・スポーツ": (
        ("文化振興課", "スポーツ振興課", "生涯学習課"),
        (
            ("文化芸術振興計画策定支援業務", ()),
            ("スポーツ大会運営業務", ()),
            ("市民文化祭運営業務", ()),
            ("文化財保存活用地域計画策定支援業務", ("教育",)),
        ),
        ("体育館用トレーニング機器購入",),
    ),
    "広報": (
        ("広報課", "秘書広報課", "シティプロモーション課"),
        (
            ("広報誌印刷業務", ()),
            ("シティプロモーション推進業務", ("観光",)),
            ("広報番組制作業務", ()),
            ("SNS運用支援業務", ("DX",)),
        ),
        (),
    ),
    "行政運営": (
        ("総務課", "管財課", "企画政策課", "財政課", "人事課"),
        (
            ("庁舎清掃業務", ()),
            ("庁舎警備業務", ()),
            ("庁舎空調設備保守点検業務", ()),
            ("総合計画策定支援業務", ("まちづくり",)),
            ("市民意識調査業務", ()),
            ("公共施設等総合管理計画改定支援業務", ("まちづくり",)),
            ("職員研修業務", ()),
            ("固定資産評価替え支援業務", ()),
        ),
        ("公用車購入", "コピー用紙購入", "庁舎用電力供給", "事務用机・椅子購入"),
    ),
}
CONTRACT_DEPARTMENTS = ("契約課", "契約管財課", "管財課", "財政課契約係")

# (joiner, facility, field, department) for 指定管理者: 「○○市立図書館」「○○市営駐車場」「○○市総合体育館」
FACILITIES = (
    ("立", "図書館", "教育", "生涯学習課"),
    ("立", "児童館", "子育て", "子育て支援課"),
    ("", "総合体育館", "文化・スポーツ", "スポーツ振興課"),
    ("", "文化会館", "文化・スポーツ", "文化振興課"),
    ("営", "駐車場", "まちづくり", "道路管理課"),
    ("", "中央公園", "まちづくり", "公園緑地課"),
    ("", "コミュニティセンター", "まちづくり", "市民協働課"),
    ("", "老人福祉センター", "福祉", "高齢福祉課"),
    ("", "観光交流センター", "観光", "観光振興課"),
    ("", "オートキャンプ場", "観光", "観光振興課"),
    ("立", "保育園", "子育て", "保育課"),
    ("", "障がい者福祉センター", "福祉", "障がい福祉課"),
    ("", "市民プール", "文化・スポーツ", "スポーツ振興課"),
    ("", "産業振興センター", "産業振興", "商工振興課"),
    ("", "道の駅", "観光", "商工観光課"),
)
GRANTS = (
    ("地域活性化活動補助金", "まちづくり", "市民協働課"),
    ("市民活動団体支援補助金", "まちづくり", "市民協働課"),
    ("子ども食堂運営支援補助金", "子育て", "子育て支援課"),
    ("空き家改修支援補助金", "まちづくり", "建築指導課"),
    ("創業支援補助金", "産業振興", "商工振興課"),
    ("省エネルギー設備導入補助金", "環境", "環境政策課"),
    ("住宅用太陽光発電システム設置費補助金", "環境", "環境政策課"),
    ("自主防災組織育成補助金", "防災", "危機管理課"),
    ("観光誘客イベント支援補助金", "観光", "観光振興課"),
    ("文化芸術活動助成金", "文化・スポーツ", "文化振興課"),
    ("中小企業DX推進補助金", "DX", "商工振興課"),
    ("地域福祉活動助成金", "福祉", "地域福祉課"),
    ("新規就農者支援補助金", "農林水産", "農政課"),
    ("商店街にぎわい創出事業補助金", "産業振興", "商工振興課"),
    ("地域スポーツ振興助成金", "文化・スポーツ", "スポーツ振興課"),
)
COLLABORATION_THEMES = (
    ("子育て支援", "子育て"), ("高齢者の見守り", "福祉"), ("防災・減災", "防災"), ("環境保全", "環境"),
    ("多文化共生", "まちづくり"), ("地域の魅力発信", "観光"), ("青少年の居場所づくり", "教育"),
    ("デジタル活用支援", "DX"), ("健康づくり", "健康"),
)  # fmt: skip

# Title templates. {n}: 年度 (「令和8年度」), {m}: the municipality (「○○市」), {s}: the subject, {f}: the facility,
# {g}: the grant, {t}: the theme, {j}: 市民/町民/県民..., {p}: the designation period
SERVICE_TITLES = {
    K.OPEN_TENDER: ("{n} {s}委託", "{s}委託（条件付一般競争入札）", "【一般競争入札】{n}{s}委託", "{n}{m}{s}委託"),
    K.SELECTIVE_TENDER: ("{n} {s}委託（指名競争入札）", "{s}委託 指名競争入札の執行について"),
    K.NEGOTIATED: ("{s}委託に係る随意契約の相手方募集", "{n} {s}委託 参加意向確認型随意契約（公募）",
                   "{s}委託に係る見積合わせ（オープンカウンター方式）"),
    K.PROPOSAL: ("{n} {m}{s}委託に係る公募型プロポーザル", "{s}に係る公募型プロポーザル",
                 "{s}委託 公募型プロポーザルの実施について", "{n}{s}委託事業者募集（公募型プロポーザル）"),
    K.PLANNING_COMPETITION: ("{n} {s}委託に係る企画競争", "{s}企画提案募集（企画競争）",
                             "{n} {s}企画提案の募集について"),
    K.OTHER: ("{s}に係るサウンディング型市場調査の実施について", "{n} {s}に関する事業者登録の募集",
              "{s}に係る参考見積の依頼について"),
}  # fmt: skip
GOODS_TITLES = {
    K.OPEN_TENDER: ("{n} {s}（一般競争入札）", "{s}に係る一般競争入札の公告", "{n}{m}{s}"),
    K.SELECTIVE_TENDER: ("{n} {s}（指名競争入札）",),
    K.NEGOTIATED: ("{s}に係る見積合わせ（オープンカウンター方式）", "{n} {s} 見積書の募集"),
}
FACILITY_TITLES = ("{f}指定管理者募集", "{f}の指定管理者の募集について", "{f}指定管理者公募（指定期間：{p}）",
                   "{n} {f}指定管理者の募集")  # fmt: skip
OTHER_FACILITY_TITLES = ("{f}ネーミングライツ・パートナー募集", "{f}の利活用に関するサウンディング型市場調査")
GRANT_TITLES = ("{n} {g}の募集", "{n}{m}{g}交付申請の受付", "{g}（{n}）募集のお知らせ", "{n} {g}（二次募集）")
COLLABORATION_TITLES = ("{n} {j}活動団体協働事業提案募集", "{n}{m}協働事業提案制度（自由提案型）の募集",
                        "{n} テーマ設定型協働事業「{t}」提案募集", "地域課題解決型協働事業提案募集（{t}）",
                        "{j}協働事業提案募集")  # fmt: skip

DESCRIPTIONS = {
    K.OPEN_TENDER: "{s}について、一般競争入札により受注者を決定します。入札は電子入札システムにより行います。",
    K.SELECTIVE_TENDER: "{s}について、指名競争入札を執行します。指名業者は入札参加資格者名簿から選定します。",
    K.NEGOTIATED: "{s}について、地方自治法施行令第167条の2第1項の規定により随意契約の相手方を募集します。",
    K.PROPOSAL: "{s}の実施にあたり、専門的な知識と企画力を有する事業者を公募型プロポーザル方式により選定します。",
    K.PLANNING_COMPETITION: "{s}について、企画提案を広く募集し、最も優れた提案を行った者を契約候補者とします。",
    K.DESIGNATED_MANAGER: "{s}の管理運営を行う指定管理者を募集します。選定委員会の審査を経て、議会の議決により指定します。",
    K.GRANT: "{s}として、地域の課題解決に取り組む団体等の事業に要する経費の一部を補助します。",
    K.COLLABORATION: "{s}。市民活動団体等と行政がそれぞれの特性を活かし、協働で地域課題の解決に取り組む事業の提案を募集します。",
    K.OTHER: "{s}について、民間事業者の皆様からご意見・ご提案を募集します。",
}
ELIGIBILITY = {
    K.OPEN_TENDER: ("{m}の競争入札参加資格者名簿に登載されている者で、{m}内に本店又は営業所を有する者。",
                    "地方自治法施行令第167条の4の規定に該当しない者。入札参加資格者名簿（役務）に登載されている者。"),
    K.SELECTIVE_TENDER: ("{m}の競争入札参加資格者名簿に登載されている者のうちから指名します。",),
    K.NEGOTIATED: ("{m}の競争入札参加資格を有する者。", "同種業務の履行実績を有する者。"),
    K.PROPOSAL: ("地方自治法施行令第167条の4の規定に該当しない者。過去5年間に地方公共団体から同種業務を受託した実績を有する者。",
                 "法人格を有する者（特定非営利活動法人を含む。）。共同企業体での参加も可。"),
    K.PLANNING_COMPETITION: ("法人格を有する者で、同種又は類似業務の実績を有する者。",),
    K.DESIGNATED_MANAGER: ("法人その他の団体（個人は不可）。複数の団体で構成するグループでの応募も可。",),
    K.GRANT: ("{m}内で活動する団体（5人以上で構成され、1年以上の活動実績があること）。",
              "{m}内に事業所を有する中小企業者又は個人事業主。"),
    K.COLLABORATION: ("{m}内に活動拠点を有し、5人以上で構成される市民活動団体、NPO法人等。営利・宗教・政治活動を目的とする団体を除く。",),
    K.OTHER: ("法人又は法人のグループ。",),
}  # fmt: skip
NOTES = {
    K.OPEN_TENDER: ("予定価格は事後公表とします。", "最低制限価格を設定しています。", "入札参加資格確認申請書の提出が必要です。"),
    K.SELECTIVE_TENDER: ("予定価格は事後公表とします。",),
    K.NEGOTIATED: ("見積書は電子メールで提出してください。",),
    K.PROPOSAL: ("参加申込書の提出がない者は企画提案書を提出できません。", "提出は持参又は郵送（必着）に限ります。",
                 "プレゼンテーション審査を実施します（オンライン可）。", "郵送のみ・消印有効。"),
    K.PLANNING_COMPETITION: ("説明会を開催します（参加は任意）。", "ヒアリング審査を実施します。"),
    K.DESIGNATED_MANAGER: ("現地説明会を開催します（参加必須）。", "指定期間は5年間です。"),
    K.GRANT: ("予算の範囲内で交付します。", "事前相談が必要です。"),
    K.COLLABORATION: ("応募前に事前相談が必要です。", "持参のみ受け付けます（郵送・ファクス・メールでの応募は不可）。",
                      "採択された事業は翌年度に実施します。"),
    K.OTHER: ("対話への参加は任意です。",),
}  # fmt: skip
URL_SECTIONS = {
    K.OPEN_TENDER: "business/nyusatsu", K.SELECTIVE_TENDER: "business/nyusatsu", K.NEGOTIATED: "business/zuikei",
    K.PROPOSAL: "business/proposal", K.PLANNING_COMPETITION: "business/proposal",
    K.DESIGNATED_MANAGER: "shisei/shiteikanri", K.GRANT: "kurashi/hojokin", K.COLLABORATION: "kurashi/kyodo",
    K.OTHER: "business/boshu",
}  # fmt: skip

# Budgets (median yen, log sigma, clip low, clip high), chance of no published amount, tax basis shares
BUDGETS = {
    K.OPEN_TENDER: (9_000_000, 1.0, 300_000, 800_000_000, 0.45, (15, 55, 30)),
    K.SELECTIVE_TENDER: (4_000_000, 0.8, 300_000, 100_000_000, 0.6, (10, 55, 35)),
    K.NEGOTIATED: (1_500_000, 0.7, 100_000, 20_000_000, 0.4, (40, 30, 30)),
    K.PROPOSAL: (9_000_000, 0.6, 1_000_000, 200_000_000, 0.08, (85, 5, 10)),
    K.PLANNING_COMPETITION: (7_000_000, 0.6, 1_000_000, 100_000_000, 0.1, (85, 5, 10)),
    K.DESIGNATED_MANAGER: (35_000_000, 0.9, 3_000_000, 600_000_000, 0.15, (80, 5, 15)),
    K.GRANT: (400_000, 0.8, 50_000, 5_000_000, 0.1, (0, 0, 100)),
    K.COLLABORATION: (500_000, 0.4, 100_000, 2_000_000, 0.1, (0, 0, 100)),
    K.OTHER: (2_000_000, 1.0, 100_000, 50_000_000, 0.75, (40, 20, 40)),
}
BUDGET_TEXTS = {
    INCLUDED: ("{man}（税込）以内", "上限額 {yen}（消費税及び地方消費税を含む）",
                        "{yen}（消費税及び地方消費税の額を含む。）を上限とする", "提案上限額 {yen}（税込）"),
    EXCLUDED: ("{yen}（消費税及び地方消費税の額を除く）", "予定価格 {yen}（税抜）", "{man}（税抜）以内"),
    UNKNOWN: ("{man}以内", "上限額 {yen}", "{man}程度", "予算額 {yen}"),
}  # fmt: skip
DESIGNATED_BUDGET_TEXTS = (
    "指定管理料上限額 年額{yen}（税込）",
    "指定管理料の上限 {man}（消費税及び地方消費税を含む）／年",
)
GRANT_BUDGET_TEXTS = ("1団体あたり上限{yen}", "上限{man}（補助率2/3以内）", "補助対象経費の1/2以内（上限{yen}）",
                      "予算総額 {yen}（予算の範囲内で交付）")  # fmt: skip
COLLABORATION_BUDGET_TEXTS = ("1事業あたり上限{man}", "負担金上限 {yen}", "事業費の2/3以内（上限{man}）")

# (P(True), P(False)); the rest is unknown (None)
NPO_ELIGIBLE = {
    K.COLLABORATION: (0.97, 0.0), K.GRANT: (0.85, 0.05), K.DESIGNATED_MANAGER: (0.75, 0.05),
    K.PROPOSAL: (0.5, 0.1), K.PLANNING_COMPETITION: (0.5, 0.1), K.OTHER: (0.3, 0.1),
    K.NEGOTIATED: (0.1, 0.3), K.OPEN_TENDER: (0.1, 0.4), K.SELECTIVE_TENDER: (0.05, 0.5),
}  # fmt: skip

# Deadlines in days after publication: (chance, earliest, latest) for 質問締切, 参加申込締切, 提出期限, and the
# chance that a time of day is given (「17時まで」)
_ENQUIRY, _APPLICATION, _SUBMISSION = 0.6, 0.5, 0.6
SCHEDULES = {
    kind: tuple((*days, share) for days, share in zip(schedule, (_ENQUIRY, _APPLICATION, _SUBMISSION), strict=True))
    for kind, schedule in {
        K.PROPOSAL: ((0.9, 5, 12), (0.85, 10, 21), (1.0, 20, 42)),
        K.PLANNING_COMPETITION: ((0.8, 5, 12), (0.7, 10, 21), (1.0, 18, 40)),
        K.OPEN_TENDER: ((0.7, 4, 10), (0.8, 7, 14), (1.0, 14, 28)),
        K.SELECTIVE_TENDER: ((0.4, 3, 7), (0.0, 0, 0), (1.0, 8, 16)),
        K.NEGOTIATED: ((0.3, 3, 7), (0.9, 7, 14), (0.6, 12, 24)),
        K.DESIGNATED_MANAGER: ((0.95, 14, 30), (0.7, 25, 45), (1.0, 40, 75)),
        K.GRANT: ((0.2, 10, 20), (1.0, 21, 60), (0.0, 0, 0)),
        K.COLLABORATION: ((0.5, 10, 25), (0.6, 20, 40), (1.0, 35, 70)),
        K.OTHER: ((0.5, 5, 14), (0.8, 10, 30), (0.3, 20, 40)),
    }.items()
}
TIMES = tuple(datetime.time(h, m) for h, m in ((17, 0), (17, 0), (17, 0), (17, 15), (12, 0), (15, 0), (16, 0)))

# Awards: chance a passed notice has a published result, days from the last deadline to the decision
AWARD_CHANCE = {
    K.OPEN_TENDER: 0.7, K.SELECTIVE_TENDER: 0.7, K.NEGOTIATED: 0.6, K.PROPOSAL: 0.65, K.PLANNING_COMPETITION: 0.6,
    K.DESIGNATED_MANAGER: 0.7, K.GRANT: 0.45, K.COLLABORATION: 0.55, K.OTHER: 0.15,
}  # fmt: skip
AWARD_DELAY = {
    K.OPEN_TENDER: (1, 10), K.SELECTIVE_TENDER: (1, 7), K.NEGOTIATED: (2, 14), K.PROPOSAL: (10, 40),
    K.PLANNING_COMPETITION: (10, 40), K.DESIGNATED_MANAGER: (60, 130), K.GRANT: (20, 60),
    K.COLLABORATION: (25, 70), K.OTHER: (10, 40),
}  # fmt: skip
# Who wins: (company, nonprofit, sole proprietor, voluntary group) shares
WINNER_KINDS = {
    K.OPEN_TENDER: (88, 5, 7, 0), K.SELECTIVE_TENDER: (92, 3, 5, 0), K.NEGOTIATED: (85, 5, 10, 0),
    K.PROPOSAL: (75, 12, 13, 0), K.PLANNING_COMPETITION: (75, 12, 13, 0), K.DESIGNATED_MANAGER: (45, 55, 0, 0),
    K.GRANT: (10, 45, 10, 35), K.COLLABORATION: (0, 65, 0, 35), K.OTHER: (70, 30, 0, 0),
}  # fmt: skip
BIDDERS = {
    K.OPEN_TENDER: (5, 12, 18, 18, 15, 12, 10, 10), K.SELECTIVE_TENDER: (2, 8, 15, 20, 20, 15, 10, 10),
    K.NEGOTIATED: (70, 20, 10), K.PROPOSAL: (20, 25, 25, 15, 10, 5), K.PLANNING_COMPETITION: (20, 25, 25, 15, 10, 5),
    K.DESIGNATED_MANAGER: (45, 30, 15, 10), K.OTHER: (60, 30, 10),
}  # fmt: skip
SCORED_KINDS = {K.PROPOSAL, K.PLANNING_COMPETITION, K.DESIGNATED_MANAGER}
MULTI_WINNER_KINDS = {K.GRANT, K.COLLABORATION}  # 採択: several groups, no 予定価格

COMPANY, NONPROFIT, SOLE, GROUP = 0, 1, 2, 3
ORGANISATION_SHARES = (60, 20, 10, 10)
ZIPF_EXPONENT = 0.8
LOCAL_WINNER_SHARE = 0.65  # local firms win most local calls; the rest go to firms from anywhere

COMPANY_WORDS = (
    "アオバ", "ミライ", "ひかり", "さくら", "あおぞら", "コスモ", "テクノ", "ネクスト", "フロンティア", "サンライズ",
    "グリーン", "ブルースカイ", "ユニオン", "日本", "東日本", "西日本", "中央", "総合", "北斗", "みどり", "未来",
    "創造", "協和", "共栄", "太平", "大和", "三和", "アーバン", "リージョナル", "ジャパン", "エコ", "クリエイティブ",
    "ソーシャル", "ローカル", "パブリック", "インフォ", "デジタル", "まち", "ふるさと", "つばさ", "地域", "国際",
)  # fmt: skip
COMPANY_SUFFIXES = (
    "システム", "システムズ", "コンサルタント", "コンサルタンツ", "企画", "プランニング", "ソリューションズ", "サービス",
    "計画研究所", "設計", "情報センター", "ビジネスサービス", "クリエイト", "メディア", "エンジニアリング", "環境開発",
    "総合研究所", "データサービス", "ネットワーク", "印刷", "広告社", "ビルサービス", "警備保障", "映像", "デザイン",
    "技研", "測量", "地域研究所", "観光開発", "ラボ", "電算", "情報処理", "給食", "交通", "建設コンサルタント",
)  # fmt: skip
# (legal form, prefix share, 法人番号 organisation-kind digits)
COMPANY_FORMS = (("株式会社", 0.45, "01", 70), ("有限会社", 0.5, "02", 15), ("合同会社", 0.7, "03", 15))
NONPROFIT_FORMS = (
    ("特定非営利活動法人", "05", 50, ("子育てネットワーク", "まちづくりネット", "環境ネットワーク", "スポーツクラブ",
                                     "地域福祉サポート", "こども食堂ネットワーク", "地域活性化センター", "国際交流協会",
                                     "防災ネットワーク", "ITサポートセンター", "里山保全の会", "ユースサポート",
                                     "高齢者支援の会", "市民活動サポートセンター", "アートプロジェクト")),
    ("一般社団法人", "05", 30, ("観光協会", "地域づくり協会", "まちづくり機構", "観光推進機構", "スポーツコミッション",
                                "地域創生ラボ", "シェアリングエコノミー協会", "移住交流推進機構")),
    ("一般財団法人", "05", 12, ("文化振興財団", "公園協会", "地域振興財団", "福祉事業団")),
    ("公益財団法人", "05", 8, ("スポーツ協会", "文化財団", "国際交流協会", "体育協会")),
)  # fmt: skip
SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木",
            "山口", "松本", "井上", "木村", "林", "斎藤", "清水", "森", "池田", "橋本", "石川", "前田", "藤田", "岡田")  # fmt: skip
SOLE_SUFFIXES = ("デザイン事務所", "写真事務所", "設計事務所", "企画", "映像工房", "編集室", "翻訳サービス", "ウェブ制作室",
                 "造園", "コンサルティング事務所", "行政書士事務所", "イラスト工房")  # fmt: skip
GROUP_SUFFIXES = ("まちづくり協議会", "地区自治会連合会", "子ども食堂", "子育てサークル", "ボランティアの会", "自主防災会",
                  "おやじの会", "文化協会", "商店会", "観光ボランティアガイドの会", "里山の会", "読み聞かせの会")  # fmt: skip

# --------------------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------------------


class _Muni:
    __slots__ = ("host", "id", "jumin", "level", "lg_code", "name", "pref_id", "stem", "url_base")

    def __init__(self, row: dict) -> None:
        self.id = row["id"]
        self.lg_code = row["lg_code"]
        self.name = row["name"]
        self.level = row["level"]
        self.pref_id = row["prefecture_id"]
        host = urlsplit(row["website_url"]).netloc if row["website_url"] else ""
        self.host = host or f"www.{HOST_WORDS.get(self.level, 'city')}-{self.lg_code}.example.lg.jp"
        self.url_base = f"https://{self.host}/"
        self.jumin = self.name[-1] + "民" if self.name[-1] in "都道府県市区町村" else "市民"
        self.stem = self.name[:-1] if len(self.name) > 2 and self.name[-1] in "都府県市区町村" else self.name


class _Weighted:
    """Fast weighted choice: cumulative weights and bisect (rng.choices redoes the sums every call)."""

    __slots__ = ("cum", "items", "last", "total")

    def __init__(self, items: Sequence, weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = []
        total = 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.total = total
        self.last = len(self.cum) - 1

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total, 0, self.last)]


def _zipf(items: Sequence) -> _Weighted:
    return _Weighted(items, [1.0 / (rank**ZIPF_EXPONENT) for rank in range(1, len(items) + 1)])


def _fiscal_year(d: datetime.date) -> int:
    return d.year if d.month >= 4 else d.year - 1


@functools.cache
def _fiscal_year_end(fy: int) -> str:
    """令和9年3月31日 for 2026."""
    return _wareki(datetime.date(fy + 1, 3, 31))


@functools.cache
def _nendo(fy: int) -> str:
    """令和8年度; 令和元年度 for 2019; 平成 before."""
    if fy >= 2019:
        return "令和元年度" if fy == 2019 else f"令和{fy - 2018}年度"
    return f"平成{fy - 1988}年度"


def _era_prefix(fy: int) -> str:
    return f"R{fy - 2018}" if fy >= 2019 else f"H{fy - 1988}"


def _wareki(d: datetime.date) -> str:
    if d >= datetime.date(2019, 5, 1):
        year = "元" if d.year == 2019 else str(d.year - 2018)
        return f"令和{year}年{d.month}月{d.day}日"
    return f"平成{d.year - 1988}年{d.month}月{d.day}日"


def _yen(value: int) -> str:
    return f"{value:,}円"


def _man(value: int) -> str:
    """2,000万円 / 1億2,000万円, falling back to yen when not a whole 万."""
    if value % 10_000:
        return _yen(value)
    oku, man = divmod(value // 10_000, 10_000)
    if oku:
        return f"{oku:,}億{man:,}万円" if man else f"{oku:,}億円"
    return f"{man:,}万円"


@functools.cache
def _department_abbreviation(department: str) -> str:
    """企画政策課 → 企画, 障がい福祉課 → 障福: the first two kanji, as in 管理IDs like R8-企画-0123."""
    kanji = [c for c in department.removesuffix("課") if "\u4e00" <= c <= "\u9fff"]
    return "".join(kanji[:2]) if len(kanji) >= 2 else "総務"


def _weekday_on_or_after(ordinal: int) -> int:
    weekday = (ordinal - 1) % 7  # date.fromordinal(1) is a Monday
    return ordinal + (7 - weekday if weekday >= 5 else 0)


class _Generator:
    def __init__(self, *, seed: int, today: datetime.date, total: int) -> None:
        self.seed = seed
        self.today = today
        self.total = total
        self.today_ord = today.toordinal()
        self.latest_ord = self.today_ord + DAYS_AHEAD
        self.current_fy = _fiscal_year(today)
        self.first_fy = self.current_fy - len(FISCAL_YEAR_WEIGHTS) + 1
        # One stream per concern: the batch size (or the number of organisations) never shifts the notices.
        self.rng = random.Random(f"tsunagu-demo:{seed}:notices")
        self.award_rng = random.Random(f"tsunagu-demo:{seed}:awards")
        self.org_rng = random.Random(f"tsunagu-demo:{seed}:organisations")
        weight_rng = random.Random(f"tsunagu-demo:{seed}:municipalities")

        rows = list(
            Municipality.objects.order_by("lg_code").values("id", "lg_code", "name", "level", "website_url", "prefecture_id")
        )
        if not rows:
            raise NoMunicipalities(_("自治体が登録されていません。先に migrate で自治体マスタを読み込んでください。"))
        self.munis = [_Muni(row) for row in rows]
        # Bigger bodies publish more: level, times a per-body factor (population and habits differ).
        weights = [LEVEL_WEIGHTS.get(m.level, 1.0) * weight_rng.lognormvariate(0.0, 0.45) for m in self.munis]
        self.muni_pick = _Weighted(self.munis, weights)
        self.pref_weights: dict[int, float] = {}
        for muni, weight in zip(self.munis, weights, strict=True):
            self.pref_weights[muni.pref_id] = self.pref_weights.get(muni.pref_id, 0.0) + weight
        self.munis_by_pref: dict[int, list[_Muni]] = {}
        for muni in self.munis:
            self.munis_by_pref.setdefault(muni.pref_id, []).append(muni)

        self.kind_pick = _Weighted([k for k, _w in KIND_SHARES], [w for _k, w in KIND_SHARES])
        self.fy_pick = _Weighted(range(self.first_fy, self.current_fy + 1), FISCAL_YEAR_WEIGHTS)
        self.month_picks = {
            kind: _Weighted(list(weights_.keys()), list(weights_.values()))
            for kind, weights_ in {None: MONTH_WEIGHTS, **KIND_MONTH_WEIGHTS}.items()
        }
        self.subjects: list[tuple[str, list[str], tuple[str, ...], bool]] = []
        for field, (departments, services, goods) in FIELDS.items():
            for text, extra in services:
                self.subjects.append((text, [field, *extra], departments, False))
            for text in goods:
                self.subjects.append((text, [field], departments, True))
        self.service_subjects = [s for s in self.subjects if not s[3]]

        self.connection = connections[DEFAULT_DB_ALIAS]
        self._prep_date = Notice._meta.get_field("published_on").get_db_prep_save
        self._prep_time = Notice._meta.get_field("submission_deadline_time").get_db_prep_save
        self._prep_json = Notice._meta.get_field("categories").get_db_prep_save
        self._prep_score = Award._meta.get_field("score").get_db_prep_save
        self._dates: dict[int, object] = {}
        self._times: dict[datetime.time, object] = {}
        self._scores: dict[int, object] = {}
        self._categories: dict[tuple[str, ...], object] = {}
        self._title_keys: dict[str, str] = {}

        self.external_seq: dict[tuple[int, int], int] = {}
        self.taken_external: set[tuple[int, str]] = set()
        self.taken_fingerprints: set[int] = set()
        self._load_existing_keys()
        self.pools: dict[tuple[int, int | None], _Weighted] = {}
        self.bidder_counts = {kind: _Weighted(range(1, len(w) + 1), w) for kind, w in BIDDERS.items()}
        self.winner_categories = {kind: _Weighted((COMPANY, NONPROFIT, SOLE, GROUP), shares)
                                  for kind, shares in WINNER_KINDS.items()}  # fmt: skip

    # Database-ready values, each distinct one prepared once by its field.

    def _date(self, ordinal: int | None):
        if ordinal is None:
            return None
        value = self._dates.get(ordinal)
        if value is None:
            value = self._dates[ordinal] = self._prep_date(datetime.date.fromordinal(ordinal), self.connection)
        return value

    def _time(self, value: datetime.time | None):
        if value is None:
            return None
        prepared = self._times.get(value)
        if prepared is None:
            prepared = self._times[value] = self._prep_time(value, self.connection)
        return prepared

    def _score(self, hundredths: int):
        value = self._scores.get(hundredths)
        if value is None:
            value = self._scores[hundredths] = self._prep_score(Decimal(hundredths).scaleb(-2), self.connection)
        return value

    def _title_key(self, title: str) -> str:
        """`notice_title_key`, remembered: titles repeat across bodies and years (a few thousand templates)."""
        key = self._title_keys.get(title)
        if key is None:
            if len(self._title_keys) >= 200_000:
                self._title_keys.clear()
            key = self._title_keys[title] = notice_title_key(title)
        return key

    def _json(self, categories: list[str]):
        key = tuple(categories)
        value = self._categories.get(key)
        if value is None:
            value = self._categories[key] = self._prep_json(list(categories), self.connection)
        return value

    def _load_existing_keys(self) -> None:
        """Keys of the notices already there (real data kept by --replace), so the demo never collides."""
        existing = Notice.objects.order_by()
        for muni_id, external_id in existing.exclude(external_id="").values_list("municipality_id", "external_id").iterator():
            self.taken_external.add((muni_id, external_id))
        for fingerprint in existing.filter(external_id="").values_list("fingerprint", flat=True).iterator():
            self.taken_fingerprints.add(int(fingerprint[:16], 16))

    # -- organisations ------------------------------------------------------------------------------------------

    def create_organisations(self) -> int:
        """Create the pool of suppliers and groups up front, in bulk; build the Zipf pools winners come from."""
        rng = self.org_rng
        size = max(60, min(4000, self.total // 2))
        taken_numbers = set(Organisation.objects.exclude(corporate_number=None).values_list("corporate_number", flat=True))
        taken_names = set(Organisation.objects.filter(corporate_number=None).values_list("normalized_name", flat=True))
        company_forms = _Weighted(COMPANY_FORMS, [f[3] for f in COMPANY_FORMS])
        nonprofit_forms = _Weighted(NONPROFIT_FORMS, [f[2] for f in NONPROFIT_FORMS])
        category_pick = _Weighted((COMPANY, NONPROFIT, SOLE, GROUP), ORGANISATION_SHARES)
        pref_pick = _Weighted(list(self.pref_weights), list(self.pref_weights.values()))
        seen_names: set[str] = set()
        organisations: list[Organisation] = []
        homes: list[tuple[int, int]] = []
        for _i in range(size):
            category = category_pick.pick(rng)
            pref_id = pref_pick.pick(rng)
            for _attempt in range(30):
                place = rng.choice(self.munis_by_pref[pref_id]).stem
                number = None
                if category == COMPANY:
                    form, prefix_share, kind_digits, _w = company_forms.pick(rng)
                    core = (place if rng.random() < 0.4 else rng.choice(COMPANY_WORDS)) + rng.choice(COMPANY_SUFFIXES)
                    name = form + core if rng.random() < prefix_share else core + form
                elif category == NONPROFIT:
                    form, kind_digits, _w, suffixes = nonprofit_forms.pick(rng)
                    name = form + (" " if rng.random() < 0.2 else "") + place + rng.choice(suffixes)
                elif category == SOLE:
                    name = rng.choice(SURNAMES + COMPANY_WORDS) + rng.choice(SOLE_SUFFIXES)
                else:
                    name = place + rng.choice(GROUP_SUFFIXES)
                if category in (COMPANY, NONPROFIT):
                    registry = f"{rng.randrange(1, 100):02d}{rng.randrange(0, 100):02d}"
                    body = f"{registry}{kind_digits}{rng.randrange(0, 1_000_000):06d}"
                    number = corporate_number_check_digit(body) + body
                    if name in seen_names or number in taken_numbers:
                        continue
                    taken_numbers.add(number)
                    key = organisation_name_key(name)
                else:
                    key = organisation_name_key(name)
                    if name in seen_names or key in taken_names:
                        continue
                    taken_names.add(key)
                seen_names.add(name)
                organisations.append(
                    Organisation(
                        name=name,
                        normalized_name=key,
                        corporate_number=number,
                        source=DEMO_SOURCE,
                        is_demo=True,
                    )
                )
                homes.append((category, pref_id))
                break
        with transaction.atomic():
            Organisation.objects.bulk_create(organisations, batch_size=1000)
        by_pool: dict[tuple[int, int | None], list[int]] = {}
        for organisation, (category, pref_id) in zip(organisations, homes, strict=True):
            by_pool.setdefault((category, None), []).append(organisation.pk)
            by_pool.setdefault((category, pref_id), []).append(organisation.pk)
        # Creation order is random, so rank by it: the first few of each pool win again and again.
        self.pools = {key: _zipf(ids) for key, ids in by_pool.items()}
        return len(organisations)

    def _winner(self, category: int, pref_id: int) -> int | None:
        rng = self.award_rng
        pool = self.pools.get((category, pref_id)) if rng.random() < LOCAL_WINNER_SHARE else None
        pool = pool or self.pools.get((category, None))
        if pool is None:  # a tiny pool may lack a category
            pool = next(iter(self.pools.values()), None)
        return pool.pick(rng) if pool else None

    # -- notices ------------------------------------------------------------------------------------------------

    def notices(self) -> Iterator[tuple[tuple, list[tuple]]]:
        """Yield exactly `total` (notice row, award rows) pairs, in `NOTICE_FIELDS` and `AWARD_FIELDS` order
        (without the ids) and ready for the database: single calls and yearly series."""
        rng = self.rng
        made = 0
        while made < self.total:
            kind = self.kind_pick.pick(rng)
            muni = self.muni_pick.pick(rng)
            years = 1
            if kind in RECURRING_KINDS and rng.random() < RECURRING_SHARE:
                years = rng.choice((3, 3, 4, 4, 5))
            call = self._call(kind, muni, yearly=years > 1)
            month_pick = self.month_picks[kind if kind in KIND_MONTH_WEIGHTS else None]
            if years == 1:
                if rng.random() < RECENT_SHARE:
                    published = _weekday_on_or_after(self.today_ord - rng.randint(0, RECENT_DAYS))
                    occurrences = [(_fiscal_year(datetime.date.fromordinal(published)), published)]
                else:
                    occurrences = [self._publication(self.fy_pick.pick(rng), month_pick.pick(rng), rng.randint(1, 28))]
            else:  # about the same day each year
                start = rng.randint(self.first_fy, self.current_fy - years + 1)
                month, day = month_pick.pick(rng), rng.randint(1, 28)
                occurrences = [
                    self._publication(start + i, month, max(1, min(28, day + rng.randint(-7, 7)))) for i in range(years)
                ]
            for fy, published in occurrences:
                if made >= self.total:
                    break
                if published > self.latest_ord:
                    if years == 1:  # re-draw: a single call may not lie beyond the horizon
                        continue
                    break  # the series hasn't reached this year yet
                yield self._notice(kind, muni, call, fy, published)
                made += 1

    @staticmethod
    def _publication(fy: int, month: int, day: int) -> tuple[int, int]:
        """(年度, 公告日 ordinal) on a weekday; days up to the 28th, so a weekend never moves it out of the month."""
        year = fy if month >= 4 else fy + 1
        return fy, _weekday_on_or_after(datetime.date(year, month, day).toordinal())

    def _call(self, kind: str, muni: _Muni, *, yearly: bool) -> dict:
        """What stays the same across the years of a recurring call: subject, department, title, budget."""
        rng = self.rng
        values: dict = {"m": muni.name, "j": muni.jumin}
        if kind == K.DESIGNATED_MANAGER or (kind == K.OTHER and rng.random() < 0.3):
            joiner, facility, field, department = rng.choice(FACILITIES)
            values["f"] = values["s"] = f"{muni.name}{joiner}{facility}"
            categories = [field]
            templates = FACILITY_TITLES if kind == K.DESIGNATED_MANAGER else OTHER_FACILITY_TITLES
        elif kind == K.GRANT:
            grant, field, department = rng.choice(GRANTS)
            values["g"] = values["s"] = grant
            categories = [field]
            templates = GRANT_TITLES
        elif kind == K.COLLABORATION:
            theme, field = rng.choice(COLLABORATION_THEMES)
            values["t"] = theme
            values["s"] = f"{muni.jumin}協働事業提案制度（{theme}）"
            categories = [field, "まちづくり"] if field != "まちづくり" else [field]
            department = rng.choice(("市民協働課", "協働推進課", "地域振興課"))
            templates = COLLABORATION_TITLES
        else:
            goods_ok = kind in GOODS_TITLES
            text, categories, departments, goods = rng.choice(self.subjects if goods_ok else self.service_subjects)
            values["s"] = text
            templates = (GOODS_TITLES if goods else SERVICE_TITLES)[kind]
            department = rng.choice(departments)
            if kind in (K.OPEN_TENDER, K.SELECTIVE_TENDER, K.NEGOTIATED) and rng.random() < 0.45:
                department = rng.choice(CONTRACT_DEPARTMENTS)
        if muni.jumin != "市民":  # 町民協働課, 県民意識調査, ○○町町民プール
            department = department.replace("市民", muni.jumin)
            values["s"] = values["s"].replace("市民", muni.jumin)
            if "f" in values:
                values["f"] = values["s"]
        if yearly:  # a yearly call says which 年度 it is for
            templates = [t for t in templates if "{n}" in t] or templates
        template = rng.choice(templates)
        median, sigma, low, high, none_share, basis_shares = BUDGETS[kind]
        budget = None
        if rng.random() >= none_share:
            budget = self._round_budget(min(high, max(low, rng.lognormvariate(math.log(median), sigma))))
        basis = rng.choices((INCLUDED, EXCLUDED, UNKNOWN), basis_shares)[0]
        # Calls published in January–March are mostly for the next 年度; designated managers and
        # collaboration programmes start next April.
        next_year = kind in (K.DESIGNATED_MANAGER, K.COLLABORATION) or rng.random() < 0.65
        return {
            "abbreviation": _department_abbreviation(department), "template": template, "values": values,
            "categories": self._json(categories), "department": department, "budget": budget, "basis": basis,
            "next_year": next_year, "description": DESCRIPTIONS[kind].format(s=values["s"]),
            "eligibility": rng.choice(ELIGIBILITY[kind]).format(m=muni.name),
            "url_base": f"{muni.url_base}{URL_SECTIONS[kind]}/",
        }  # fmt: skip

    def _round_budget(self, value: float) -> int:
        rng = self.rng
        r = rng.random()
        step = (1_000_000 if value >= 10_000_000 else 100_000) if r < 0.55 else (10_000 if r < 0.9 else 1_000)
        step = min(step, 10_000) if value < 1_000_000 else step
        return max(step, round(value / step) * step)

    def _notice(self, kind: str, muni: _Muni, call: dict, fy: int, published_ord: int) -> tuple[tuple, list[tuple]]:
        rng = self.rng
        random = rng.random
        published = datetime.date.fromordinal(published_ord)
        title_fy = fy + 1 if (published.month <= 3 and call["next_year"]) or kind == K.DESIGNATED_MANAGER else fy
        if kind == K.COLLABORATION and call["next_year"] and published.month >= 4:
            title_fy = fy + 1  # 協働事業: proposals in June–July for next year's projects
        values = call["values"]
        nendo = _nendo(title_fy)
        period = short_period = ""
        if kind == K.DESIGNATED_MANAGER:
            start, end = _wareki(datetime.date(title_fy, 4, 1)), _fiscal_year_end(title_fy + 4)
            period, short_period = f"{start}から{end}まで（5年間）", f"{start}～{end}"
        title = call["template"].format(n=nendo, p=short_period, **values)
        cancelled = random() < 0.01
        if cancelled and random() < 0.5:
            title = "【中止】" + title
        external_id = ""
        if random() < 0.7:
            seq_key = (muni.id, fy)
            seq = self.external_seq.get(seq_key, 0)
            prefix = f"{_era_prefix(fy)}-{call['abbreviation']}-"
            while True:
                seq += 1
                external_id = f"{prefix}{seq:04d}"
                if (muni.id, external_id) not in self.taken_external:
                    break
            self.external_seq[seq_key] = seq
            fingerprint = notice_fingerprint(lg_code=muni.lg_code, title=title, published_on=published)
        else:
            while True:  # the same title on the same day in the same body: publish it a day later
                fingerprint = notice_fingerprint(lg_code=muni.lg_code, title=title, published_on=published)
                key = int(fingerprint[:16], 16)
                if key not in self.taken_fingerprints:
                    self.taken_fingerprints.add(key)
                    break
                published_ord = _weekday_on_or_after(published_ord + 1)
                published = datetime.date.fromordinal(published_ord)

        # Deadlines: strictly after publication and each other, on weekdays.
        deadlines = []
        times = []
        previous = published_ord
        for chance, earliest, latest, time_share in SCHEDULES[kind]:
            if chance and random() < chance:
                day = published_ord + earliest + int(random() * (latest - earliest + 1))
                previous = _weekday_on_or_after(day if day > previous else previous + 1)
                deadlines.append(previous)
                times.append(TIMES[int(random() * len(TIMES))] if random() < time_share else None)
            else:
                deadlines.append(None)
                times.append(None)
        if deadlines[1] is None and deadlines[2] is None:
            deadlines[2] = _weekday_on_or_after(previous + 7 + int(random() * 15))

        budget = call["budget"]
        basis = call["basis"] if budget is not None else UNKNOWN
        if budget is not None and random() < 0.5:  # the amounts of a yearly call drift a little
            budget = self._round_budget(budget * rng.uniform(0.92, 1.1))
        budget_text = self._budget_text(kind, budget, basis)

        if kind == K.DESIGNATED_MANAGER:
            contract_period = period
        elif kind in (K.GRANT, K.COLLABORATION):
            contract_period = f"交付決定日から{_fiscal_year_end(title_fy)}まで" if random() < 0.5 else ""
        elif kind == K.OTHER:
            contract_period = ""
        else:
            end_fy = title_fy + (rng.choice((1, 2, 4)) if random() < 0.15 else 0)
            contract_period = f"契約締結日から{_fiscal_year_end(end_fy)}まで"
        notes = rng.choice(NOTES[kind]) if random() < 0.5 else ""
        if cancelled:
            notes = "本件は都合により中止しました。"
        p_true, p_false = NPO_ELIGIBLE[kind]
        r = random()
        npo_eligible = True if r < p_true else (False if r < p_true + p_false else None)
        source_url = f"{call['url_base']}{published.year}/{1000 + int(random() * 99000)}.html"

        row = (
            muni.id, call["department"], external_id, fingerprint, title, self._title_key(title), call["description"],
            kind.value, call["categories"], self._date(published_ord), self._date(deadlines[0]), self._time(times[0]),
            self._date(deadlines[1]), self._time(times[1]), self._date(deadlines[2]), self._time(times[2]), budget,
            basis, budget_text, contract_period, call["eligibility"], npo_eligible, source_url, notes, cancelled,
            DEMO_SOURCE, True,
        )  # fmt: skip
        last = max(d for d in (deadlines[1], deadlines[2]) if d is not None)
        plan = [] if cancelled else self._award_plan(kind, muni, last, budget, basis)
        return row, plan

    def _budget_text(self, kind: str, budget: int | None, basis: str) -> str:
        rng = self.rng
        if budget is None:
            if kind in (K.OPEN_TENDER, K.SELECTIVE_TENDER):
                return rng.choice(("予定価格は事後公表", "", ""))
            return ""
        if kind == K.DESIGNATED_MANAGER and basis == INCLUDED:
            template = rng.choice(DESIGNATED_BUDGET_TEXTS)
        elif kind == K.GRANT:
            template = rng.choice(GRANT_BUDGET_TEXTS)
        elif kind == K.COLLABORATION:
            template = rng.choice(COLLABORATION_BUDGET_TEXTS)
        else:
            template = rng.choice(BUDGET_TEXTS[basis])
        return template.format(yen=_yen(budget), man=_man(budget))

    # -- awards -------------------------------------------------------------------------------------------------

    def _award_plan(self, kind: str, muni: _Muni, last_ord: int, budget: int | None, basis: str) -> list[tuple]:
        """The results of one notice as tuples in `AWARD_FIELDS` order (without the notice); none while the call is open."""
        rng = self.award_rng
        if last_ord >= self.today_ord or rng.random() >= AWARD_CHANCE[kind]:
            return []
        low, high = AWARD_DELAY[kind]
        awarded_ord = last_ord + rng.randint(low, high)
        if awarded_ord > self.today_ord:
            return []  # decided later: not published yet
        awarded_on = self._date(awarded_ord)
        categories = self.winner_categories[kind]

        if kind in MULTI_WINNER_KINDS:  # 採択: several groups, no 予定価格
            count = rng.choices((1, 2, 3, 4), (45, 30, 15, 10))[0]
            winners: list[int] = []
            for _i in range(count * 3):
                winner = self._winner(categories.pick(rng), muni.pref_id)
                if winner is not None and winner not in winners:
                    winners.append(winner)
                if len(winners) == count:
                    break
            cap = budget or 500_000
            applicants = len(winners) + rng.randint(0, 6)
            plan = []
            for winner in winners:
                amount = max(10_000, int(cap * rng.uniform(0.3, 1.0)) // 1000 * 1000)
                score = self._score(rng.randrange(600, 950) * 10) if rng.random() < 0.3 else None
                plan.append(
                    (
                        winner,
                        amount,
                        UNKNOWN,
                        None,
                        UNKNOWN,
                        applicants,
                        awarded_on,
                        score,
                        "",
                        DEMO_SOURCE,
                        True,
                    )
                )
            return plan

        winner = self._winner(categories.pick(rng), muni.pref_id)
        if winner is None:
            return []
        bidders = self.bidder_counts[kind].pick(rng) if kind in self.bidder_counts else None
        score = self._score(rng.randrange(6000, 9600)) if kind in SCORED_KINDS else None
        notes = ""
        if kind in (K.OPEN_TENDER, K.SELECTIVE_TENDER, K.NEGOTIATED, K.OTHER):
            median = BUDGETS[kind][0]
            estimate = budget or self._round_award_value(rng.lognormvariate(math.log(median), 0.9))
            estimate_basis = basis if budget and basis != UNKNOWN else rng.choices((EXCLUDED, INCLUDED, UNKNOWN), (70, 20, 10))[0]
            r = rng.random()
            if kind == K.NEGOTIATED:
                ratio = rng.uniform(0.93, 1.0)
            elif r < 0.85:
                ratio = rng.uniform(0.80, 0.99)
            elif r < 0.93:
                ratio = rng.uniform(0.99, 1.0)
            else:
                ratio = rng.uniform(0.6, 0.8)
                notes = "低入札価格調査を経て決定"
            amount = max(1000, int(estimate * ratio) // 1000 * 1000)
            amount_basis = estimate_basis
            if rng.random() < 0.06:  # published on another basis: no 落札率 can be computed
                if estimate_basis == EXCLUDED:
                    amount, amount_basis = amount * 11 // 10, INCLUDED
                elif estimate_basis == INCLUDED:
                    amount, amount_basis = amount * 10 // 11, EXCLUDED
                else:
                    amount_basis = EXCLUDED
            if kind == K.OTHER and rng.random() < 0.5:
                estimate, estimate_basis = None, UNKNOWN
            return [
                (
                    winner,
                    amount,
                    amount_basis,
                    estimate,
                    estimate_basis,
                    bidders,
                    awarded_on,
                    score,
                    notes,
                    DEMO_SOURCE,
                    True,
                )
            ]

        # Proposals and designated managers: the price is within the ceiling (上限額 = 予定価格).
        if budget is None:
            amount = self._round_award_value(rng.lognormvariate(math.log(BUDGETS[kind][0]), 0.6))
            return [
                (
                    winner,
                    amount,
                    INCLUDED,
                    None,
                    UNKNOWN,
                    bidders,
                    awarded_on,
                    score,
                    notes,
                    DEMO_SOURCE,
                    True,
                )
            ]
        ratio = 1.0 if rng.random() < 0.2 else rng.uniform(0.85, 0.999)
        amount = max(1000, int(budget * ratio) // 1000 * 1000)
        amount_basis = basis
        if rng.random() < 0.06:
            if basis == INCLUDED:
                amount, amount_basis = amount * 10 // 11, EXCLUDED
            elif basis == UNKNOWN:
                amount_basis = INCLUDED
            # an excluded ceiling with an included price would look above the cap: keep the same basis
        return [
            (
                winner,
                amount,
                amount_basis,
                budget,
                basis,
                bidders,
                awarded_on,
                score,
                notes,
                DEMO_SOURCE,
                True,
            )
        ]

    def _round_award_value(self, value: float) -> int:
        return max(10_000, int(value) // 10_000 * 10_000)
