import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.core.choices import TaxBasis
from tsunagu.core.spreadsheets import ImportFileError
from tsunagu.notices.models import Notice, NoticeKind, NoticeRevision, NoticeStatus
from tsunagu.notices.services import notice_import

pytestmark = pytest.mark.django_db

HEADER = ["管理ID", "団体コード", "自治体名", "担当課", "案件名", "公募種別", "分野", "概要", "公告日", "質問締切",
          "参加申込締切", "提出期限", "上限額", "税区分", "契約期間", "参加資格", "NPO参加可", "URL", "備考"]


def row(**cells):
    """A template row; unnamed cells are blank. Keys are the Japanese headers."""
    base = {"団体コード": "131016", "案件名": "子育て支援アプリ運用業務", "公募種別": "公募型プロポーザル", "公告日": "2025/4/1"}
    base.update(cells)
    return [base.get(h, "") for h in HEADER]


def test_a_clean_row_is_stored_with_every_value_parsed(write_csv):
    path = write_csv([HEADER, row(**{
        "管理ID": "R7-001", "担当課": "子育て支援課", "分野": "子育て、福祉,ＤＸ", "概要": "アプリの運用",
        "公告日": "令和7年4月1日（火）", "質問締切": "R7.4.10 17:00", "参加申込締切": "2025年4月15日 午後5時",
        "提出期限": "２０２５/４/２５", "上限額": "1,234万円（税込）", "契約期間": "契約締結日から令和8年3月31日まで",
        "参加資格": "市内に事務所を有する法人", "NPO参加可": "○", "URL": "https://www.city.chiyoda.lg.jp/koho/1.html",
        "備考": "説明会あり"})])
    result = notice_import(path=path)
    assert (result.created, result.rejected) == (1, 0)
    n = Notice.objects.get()
    assert n.municipality.lg_code == "131016"
    assert n.external_id == "R7-001"
    assert n.department == "子育て支援課"
    assert n.kind == NoticeKind.PROPOSAL
    assert n.categories == ["子育て", "福祉", "DX"]
    assert n.published_on == datetime.date(2025, 4, 1)
    assert (n.enquiry_deadline, n.enquiry_deadline_time) == (datetime.date(2025, 4, 10), datetime.time(17, 0))
    assert (n.application_deadline, n.application_deadline_time) == (datetime.date(2025, 4, 15), datetime.time(17, 0))
    assert (n.submission_deadline, n.submission_deadline_time) == (datetime.date(2025, 4, 25), None)
    assert (n.budget_yen, n.budget_tax_basis, n.budget_text) == (12_340_000, TaxBasis.INCLUDED, "1,234万円（税込）")
    assert n.npo_eligible is True
    assert n.source == "import:data.csv"
    assert n.fiscal_year == 2025


def test_reimporting_the_same_file_changes_nothing(write_csv):
    path = write_csv([HEADER, row(**{"管理ID": "A-1"}), row(**{"案件名": "図書館指定管理者募集", "公募種別": "指定管理"})])
    notice_import(path=path)
    before = list(Notice.objects.values_list("pk", "updated_at"))
    result = notice_import(path=path)
    assert (result.created, result.updated, result.unchanged, result.rejected) == (0, 0, 2, 0)
    assert list(Notice.objects.values_list("pk", "updated_at")) == before
    assert not NoticeRevision.objects.exists()


def test_a_changed_value_updates_the_notice_and_lands_in_its_history(write_csv, coordinator):
    notice_import(path=write_csv([HEADER, row(**{"管理ID": "A-1", "上限額": "500万円"})], "v1.csv"))
    result = notice_import(path=write_csv([HEADER, row(**{"管理ID": "A-1", "上限額": "600万円"})], "v2.csv"), user=coordinator)
    assert (result.created, result.updated) == (0, 1)
    notice = Notice.objects.get()
    assert notice.budget_yen == 6_000_000
    revision = notice.revisions.get()
    assert revision.changed_by == coordinator
    assert revision.source == "import:v2.csv"
    assert revision.changes["budget_yen"] == [5_000_000, 6_000_000]
    assert revision.changes["budget_text"] == ["500万円", "600万円"]


def test_cp932_and_utf8_bom_files_import_the_same(write_csv):
    rows = [HEADER, row(**{"案件名": "障がい者就労支援事業", "上限額": "￥1,000,000"})]
    notice_import(path=write_csv(rows, "sjis.csv", encoding="cp932"))
    result = notice_import(path=write_csv(rows, "bom.csv", encoding="utf-8-sig"))
    assert result.unchanged == 1
    assert Notice.objects.get().title == "障がい者就労支援事業"


def test_xlsx_date_cells_are_dates_and_a_named_sheet_can_be_chosen(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "メモ"
    book.active.append(["これは取り込まないシート"])
    sheet = book.create_sheet("公募")
    sheet.append(HEADER)
    values = row(**{"公告日": None, "上限額": None})
    values[HEADER.index("公告日")] = datetime.datetime(2025, 5, 7)
    values[HEADER.index("提出期限")] = datetime.datetime(2025, 6, 2, 17, 0)
    values[HEADER.index("上限額")] = 3300000
    values[HEADER.index("団体コード")] = 131016
    sheet.append(values)
    path = tmp_path / "team.xlsx"
    book.save(path)
    result = notice_import(path=path, sheet="公募")
    assert result.created == 1
    n = Notice.objects.get()
    assert n.published_on == datetime.date(2025, 5, 7)
    assert (n.submission_deadline, n.submission_deadline_time) == (datetime.date(2025, 6, 2), datetime.time(17, 0))
    assert n.budget_yen == 3_300_000
    with pytest.raises(ImportFileError, match="シート「ない」がありません"):
        notice_import(path=path, sheet="ない")


def test_bad_rows_are_rejected_with_row_column_and_message_and_good_rows_are_stored(write_csv, tmp_path):
    path = write_csv([
        HEADER,
        row(),                                                  # row 2: fine
        row(**{"公告日": "2025年2月30日", "案件名": "B"}),           # row 3: impossible date
        row(**{"公募種別": "見積", "案件名": "C", "URL": "ftp://x"}),  # row 4: two problems
        row(**{"団体コード": "131017", "案件名": "D"}),             # row 5: bad check digit
        row(**{"案件名": "E", "公告日": "R7.4.1"}),                 # row 6: fine
    ])
    result = notice_import(path=path, error_file_path=tmp_path / "errors")
    assert (result.created, result.rejected) == (2, 3)
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(3, "公告日"), (4, "公募種別"), (4, "URL"), (5, "団体コード")}
    date_error = next(e for e in result.errors if e.row == 3)
    assert "2025年2月30日" in date_error.message
    kind_error = next(e for e in result.errors if e.column == "公募種別")
    assert "公募型プロポーザル" in kind_error.message  # tells what is accepted
    assert sorted(Notice.objects.values_list("title", flat=True)) == ["E", "子育て支援アプリ運用業務"]


def test_the_error_file_holds_the_original_cells_plus_an_error_column_and_reimports_after_fixing(write_csv, tmp_path):
    import csv

    path = write_csv([HEADER, row(), row(**{"案件名": "B", "公告日": "13月1日"})])
    result = notice_import(path=path, error_file_path=tmp_path / "errors")
    assert result.error_file == tmp_path / "errors.csv"
    with result.error_file.open(encoding="utf-8-sig") as f:
        lines = list(csv.reader(f))
    assert lines[0] == [*HEADER, "エラー"]
    assert lines[1][HEADER.index("案件名")] == "B"
    assert "公告日" in lines[1][-1]
    lines[1][HEADER.index("公告日")] = "2025/1/13"
    fixed = write_csv(lines, "fixed.csv", encoding="utf-8-sig")
    again = notice_import(path=fixed)
    assert (again.created, again.rejected) == (1, 0)


def test_a_file_without_required_columns_cannot_be_read(write_csv):
    path = write_csv([["団体コード", "案件名"], ["131016", "A"]])
    with pytest.raises(ImportFileError, match="必須の列がありません：公募種別、公告日"):
        notice_import(path=path)
    assert not Notice.objects.exists()


def test_english_keys_are_accepted_as_headers(write_csv):
    path = write_csv([["lg_code", "title", "kind", "published_on", "budget"], ["131016", "A", "proposal", "2025-04-01", "48万円"]])
    assert notice_import(path=path).created == 1
    assert Notice.objects.get().budget_yen == 480_000


@pytest.mark.parametrize(("written", "kind"), [
    ("プロポーザル", NoticeKind.PROPOSAL), ("指定管理", NoticeKind.DESIGNATED_MANAGER), ("補助金", NoticeKind.GRANT),
    ("助成金", NoticeKind.GRANT), ("一般競争入札", NoticeKind.OPEN_TENDER), ("協働事業提案", NoticeKind.COLLABORATION),
])
def test_kind_accepts_canonical_names_and_aliases(write_csv, written, kind):
    notice_import(path=write_csv([HEADER, row(**{"公募種別": written})]))
    assert Notice.objects.get().kind == kind


def test_municipality_by_name_alone_and_a_disagreeing_code_is_an_error(write_csv):
    path = write_csv([HEADER, row(**{"団体コード": "", "自治体名": "東京都 千代田区"}),
                      row(**{"団体コード": "131016", "自治体名": "大阪市", "案件名": "B"})])
    result = notice_import(path=path)
    assert result.created == 1
    assert Notice.objects.get().municipality.name == "千代田区"
    assert [e.row for e in result.errors] == [3]


def test_an_ambiguous_municipality_name_lists_the_candidates(write_csv):
    result = notice_import(path=write_csv([HEADER, row(**{"団体コード": "", "自治体名": "府中市"})]))
    [error] = result.errors
    assert error.column == "自治体名"
    assert "東京都府中市" in error.message and "広島県府中市" in error.message


def test_a_deadline_before_the_publication_date_is_an_error(write_csv):
    result = notice_import(path=write_csv([HEADER, row(**{"公告日": "2025/4/10", "提出期限": "2025/4/1"})]))
    [error] = result.errors
    assert (error.column, error.row) == ("提出期限", 2)


def test_the_same_notice_twice_in_one_file_rejects_the_second_row(write_csv):
    result = notice_import(path=write_csv([HEADER, row(**{"管理ID": "X"}), row(**{"管理ID": "X", "上限額": "1円"})]))
    assert (result.created, result.rejected) == (1, 1)
    assert result.errors[0].row == 3 and "2行目" in result.errors[0].message


def test_without_external_id_the_fingerprint_recognises_the_notice_despite_width_and_spacing(write_csv):
    notice_import(path=write_csv([HEADER, row(**{"案件名": "ＤＸ推進 支援業務"})], "a.csv"))
    result = notice_import(path=write_csv([HEADER, row(**{"案件名": "DX推進　支援業務", "公告日": "令和7年4月1日"})], "b.csv"))
    assert (result.created, result.updated) == (0, 1)  # same notice; the title's spelling is the change
    assert Notice.objects.count() == 1


def test_a_notice_entered_without_external_id_is_adopted_when_the_id_arrives(write_csv):
    notice_import(path=write_csv([HEADER, row()], "a.csv"))
    result = notice_import(path=write_csv([HEADER, row(**{"管理ID": "R7-9"})], "b.csv"))
    assert (result.created, result.updated) == (0, 1)
    assert Notice.objects.get().external_id == "R7-9"


def test_dry_run_reports_the_same_counts_and_writes_nothing(write_csv):
    path = write_csv([HEADER, row(), row(**{"案件名": "B", "公告日": "x"})])
    result = notice_import(path=path, dry_run=True)
    assert (result.created, result.rejected, result.dry_run) == (1, 1, True)
    assert not Notice.objects.exists()


def test_an_interrupted_import_stores_nothing_and_a_rerun_imports_the_whole_file(write_csv):
    path = write_csv([HEADER, *(row(**{"案件名": f"案件{i}"}) for i in range(5))])

    def stop_after_first_batch(done, total):
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        notice_import(path=path, batch_size=2, progress=stop_after_first_batch)
    assert Notice.objects.count() == 0  # the first batch was written, then rolled back with the rest
    result = notice_import(path=path, batch_size=2)
    assert (result.created, result.unchanged) == (5, 0)


def test_a_title_marked_cancelled_gives_the_cancelled_status(write_csv):
    notice_import(path=write_csv([HEADER, row(**{"案件名": "【中止】観光PR動画制作業務"})]))
    assert Notice.objects.with_status().get().current_status == NoticeStatus.CANCELLED


def test_the_amount_note_and_the_tax_column_must_agree(write_csv):
    result = notice_import(path=write_csv([HEADER, row(**{"上限額": "100万円（税込）", "税区分": "税抜"})]))
    [error] = result.errors
    assert error.column == "上限額" and "一致しません" in error.message


def test_the_command_prints_one_json_object_and_exits_1_when_rows_were_rejected(write_csv, capsys):
    path = write_csv([HEADER, row(), row(**{"案件名": "", "公告日": ""})])
    with pytest.raises(CommandError) as raised:
        call_command("import_notices", str(path), "--json")
    assert raised.value.returncode == 1
    report = json.loads(capsys.readouterr().out)
    assert report["created"] == 1 and report["rejected"] == 1
    assert {(e["row"], e["column"]) for e in report["errors"]} == {(3, "案件名"), (3, "公告日")}
    assert set(report) == {"created", "updated", "unchanged", "rejected", "errors"}


def test_the_command_exits_0_when_all_rows_imported_and_2_when_the_file_cannot_be_read(write_csv, tmp_path, capsys):
    call_command("import_notices", str(write_csv([HEADER, row()])), "--dry-run")
    assert "新規 1件" in capsys.readouterr().out
    assert not Notice.objects.exists()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError) as raised:
        call_command("import_notices", str(broken))
    assert raised.value.returncode == 2
    with pytest.raises(CommandError) as missing:
        call_command("import_notices", str(tmp_path / "nope.csv"))
    assert missing.value.returncode == 2


def test_a_file_without_a_column_leaves_that_value_alone_but_a_blank_cell_clears_it(write_csv):
    notice_import(path=write_csv([HEADER, row(**{"管理ID": "A", "上限額": "500万円", "担当課": "企画課"})], "full.csv"))
    partial = write_csv([["管理ID", "団体コード", "案件名", "公募種別", "公告日", "担当課"],
                         ["A", "131016", "子育て支援アプリ運用業務", "公募型プロポーザル", "2025/4/1", ""]], "partial.csv")
    result = notice_import(path=partial)
    assert result.updated == 1
    notice = Notice.objects.get()
    assert notice.budget_yen == 5_000_000  # no 上限額 column: kept
    assert notice.department == ""  # blank 担当課 cell: cleared
    assert set(notice.revisions.get().changes) == {"department"}


@pytest.mark.parametrize("written", ["予定価格は事後公表", "非公表", "未定", "－"])
def test_a_budget_cell_that_says_there_is_no_amount_keeps_the_wording_without_an_amount(write_csv, written):
    result = notice_import(path=write_csv([HEADER, row(**{"上限額": written})]))
    assert result.rejected == 0
    notice = Notice.objects.get()
    assert (notice.budget_yen, notice.budget_text) == (None, written)


def test_a_budget_cell_with_words_and_no_known_phrase_is_still_an_error(write_csv):
    assert notice_import(path=write_csv([HEADER, row(**{"上限額": "応相談"})])).rejected == 1
