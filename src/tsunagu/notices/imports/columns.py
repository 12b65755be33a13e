"""The import templates: one definition of each column, used by the importer, the exporter, the
downloadable XLSX template and the docs. Headers are Japanese; English keys are accepted too."""

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tsunagu.core.choices import TaxBasis, canonical_label

from ..models import NoticeKind
from tsunagu.core.spreadsheets import ImportFileError

NPO_CHOICES = ("○", "×")
TAX_CHOICES = tuple(canonical_label(basis) for basis in TaxBasis if basis != TaxBasis.UNKNOWN)
KIND_CHOICES = tuple(canonical_label(kind) for kind in NoticeKind)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 14


NOTICE_COLUMNS: tuple[Column, ...] = (
    Column("external_id", "管理ID", "自治体の案件番号など。同じ自治体の中で一意。空欄なら自治体・案件名・公告日で同一性を判断", ("id",)),
    Column("lg_code", "団体コード", "6桁（検査数字付き）または5桁", ("municipality_code", "lgcode"), width=10),
    Column("municipality", "自治体名", "例：東京都千代田区。団体コードと両方書く場合は一致させる", ("buyer",)),
    Column("department", "担当課", "例：子育て支援課"),
    Column("title", "案件名", "必須", required=True, width=40),
    Column("kind", "公募種別", "必須。" + "／".join(KIND_CHOICES) + "（プロポーザル・指定管理・補助金・助成金も可）",
           required=True, choices=KIND_CHOICES, width=18),
    Column("categories", "分野", "「、」または「,」区切り。例：子育て、福祉"),
    Column("description", "概要", "", width=40),
    Column("published_on", "公告日", "必須。2025/4/1、令和7年4月1日、R7.4.1 など", required=True),
    Column("enquiry_deadline", "質問締切", "日付。時刻も書ける：2025/4/10 17:00"),
    Column("application_deadline", "参加申込締切", "日付（時刻可）"),
    Column("submission_deadline", "提出期限", "日付（時刻可）"),
    Column("budget", "上限額", "円。1,234,000円、123.4万円、1億2,000万円（税込）など", ("budget_yen",)),
    Column("tax_basis", "税区分", "税込／税抜／空欄（不明）", choices=TAX_CHOICES, width=8),
    Column("contract_period", "契約期間", "例：契約締結日から令和8年3月31日まで", width=24),
    Column("eligibility", "参加資格", "", width=30),
    Column("npo_eligible", "NPO参加可", "○／×／空欄（不明）。可・不可・はい・いいえも可", choices=NPO_CHOICES, width=8),
    Column("source_url", "URL", "出典ページ（http または https）", ("url",), width=30),
    Column("notes", "備考", "", width=24),
)

AWARD_COLUMNS: tuple[Column, ...] = (
    Column("external_id", "管理ID", "公募の管理ID。空欄なら自治体と案件名で公募を探す", ("notice_external_id", "id")),
    Column("lg_code", "団体コード", "6桁（検査数字付き）または5桁", ("municipality_code", "lgcode"), width=10),
    Column("municipality", "自治体名", "例：東京都千代田区", ("buyer",)),
    Column("title", "案件名", "管理IDが無いときに公募を探すために使う", width=40),
    Column("published_on", "公告日", "同じ案件名の公募が毎年あるとき、どの年のものかを決める（省略可）"),
    Column("winner", "落札者", "必須。事業者名", ("supplier",), required=True, width=30),
    Column("corporate_number", "法人番号", "13桁（検査数字を確認）。個人事業主などは空欄"),
    Column("amount", "落札金額", "円。（税込）（税抜）の注記も可", ("amount_yen",)),
    Column("estimated_value", "予定価格", "円", ("estimated_value_yen",)),
    Column("tax_basis", "税区分", "税込／税抜／空欄（不明）。落札金額・予定価格の両方に使う", choices=TAX_CHOICES, width=8),
    Column("bidders", "応札者数", "1以上の整数", width=8),
    Column("awarded_on", "決定日", "日付"),
    Column("score", "評価点", "数値。例：85.5", width=8),
    Column("notes", "備考", "", width=24),
)


def header_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").replace("　", "").casefold()


def map_header(header: list[str], columns: tuple[Column, ...]) -> dict[str, int]:
    """Column key → index in the row. Unknown headers (エラー, メモ) are ignored."""
    lookup: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, column.key, *column.aliases):
            lookup[header_key(name)] = column
    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        column = lookup.get(header_key(text))
        if column is None:
            continue
        if column.key in positions:
            raise ImportFileError(_("見出し「%(header)s」が2回あります。") % {"header": column.header})
        positions[column.key] = index
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        raise ImportFileError(
            _("必須の列がありません：%(missing)s。1行目の見出しをテンプレートに合わせてください。") % {"missing": "、".join(missing)}
        )
    return positions
