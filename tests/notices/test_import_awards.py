import datetime
from decimal import Decimal

import pytest

from tests.factories import NoticeFactory, OrganisationFactory, municipality
from tsunagu.core.choices import TaxBasis
from tsunagu.notices.models import Award, NoticeStatus, Organisation
from tsunagu.notices.services import award_import

pytestmark = pytest.mark.django_db

HEADER = ["管理ID", "団体コード", "自治体名", "案件名", "落札者", "法人番号", "落札金額", "予定価格", "税区分", "応札者数", "決定日", "評価点", "備考"]


def row(**cells):
    base = {"団体コード": "131016", "落札者": "株式会社つなぐ"}
    base.update(cells)
    return [base.get(h, "") for h in HEADER]


def test_an_award_finds_its_notice_by_external_id_and_computes_the_award_ratio(write_csv):
    notice = NoticeFactory(external_id="R7-1")
    result = award_import(path=write_csv([HEADER, row(**{
        "管理ID": "R7-1", "法人番号": "8000020130001", "落札金額": "9,200,000", "予定価格": "1,000万円",
        "税区分": "税抜", "応札者数": "4社", "決定日": "令和7年6月1日", "評価点": "85.5点"})]))
    assert (result.created, result.rejected) == (1, 0)
    award = Award.objects.select_related("winner").get()
    assert award.notice == notice
    assert award.winner.corporate_number == "8000020130001"
    assert (award.amount_yen, award.estimated_value_yen) == (9_200_000, 10_000_000)
    assert award.amount_tax_basis == award.estimated_value_tax_basis == TaxBasis.EXCLUDED
    assert (award.bidders, award.awarded_on, award.score) == (4, datetime.date(2025, 6, 1), Decimal("85.50"))
    assert award.award_ratio == Decimal("0.92")
    assert notice.status == NoticeStatus.AWARDED


def test_the_award_ratio_is_not_computed_across_tax_bases(write_csv):
    NoticeFactory(external_id="R7-1")
    award_import(path=write_csv([HEADER, row(**{"管理ID": "R7-1", "落札金額": "1,100,000円（税込）", "予定価格": "1,000,000円（税抜）"})]))
    award = Award.objects.get()
    assert (award.amount_tax_basis, award.estimated_value_tax_basis) == (TaxBasis.INCLUDED, TaxBasis.EXCLUDED)
    assert award.award_ratio is None


def test_a_yearly_title_matches_the_latest_notice_published_before_the_award_date(write_csv):
    NoticeFactory(title="清掃業務委託", published_on=datetime.date(2024, 4, 1))
    this_year = NoticeFactory(title="清掃業務委託", published_on=datetime.date(2025, 4, 1))
    award_import(path=write_csv([HEADER, row(**{"案件名": "清掃業務委託", "決定日": "2025/5/1"})]))
    assert Award.objects.get().notice == this_year


def test_a_repeated_title_without_a_date_is_ambiguous(write_csv):
    NoticeFactory(title="清掃業務委託", published_on=datetime.date(2024, 4, 1))
    NoticeFactory(title="清掃業務委託", published_on=datetime.date(2025, 4, 1))
    result = award_import(path=write_csv([HEADER, row(**{"案件名": "清掃業務委託"})]))
    [error] = result.errors
    assert error.column == "案件名" and "2024-04-01" in error.message and "2025-04-01" in error.message


def test_an_unknown_notice_is_reported_on_its_row(write_csv):
    result = award_import(path=write_csv([HEADER, row(**{"管理ID": "NONE"})]))
    [error] = result.errors
    assert (error.row, error.column) == (2, "管理ID")
    assert not Award.objects.exists()


def test_legal_form_spellings_are_one_organisation(write_csv):
    NoticeFactory(external_id="A")
    NoticeFactory(external_id="B", title="別の案件")
    award_import(path=write_csv([HEADER, row(**{"管理ID": "A", "落札者": "㈱つなぐ"}), row(**{"管理ID": "B", "落札者": "（株）つなぐ"})]))
    assert Organisation.objects.count() == 1
    assert Organisation.objects.get().name == "株式会社つなぐ"


def test_a_corporate_number_with_a_wrong_check_digit_is_rejected(write_csv):
    NoticeFactory(external_id="A")
    result = award_import(path=write_csv([HEADER, row(**{"管理ID": "A", "法人番号": "1000020130001"})]))
    [error] = result.errors
    assert error.column == "法人番号"


def test_an_organisation_known_by_name_learns_its_corporate_number(write_csv):
    org = OrganisationFactory(name="株式会社つなぐ", normalized_name="株式会社つなぐ")
    NoticeFactory(external_id="A")
    award_import(path=write_csv([HEADER, row(**{"管理ID": "A", "法人番号": "8000020130001"})]))
    org.refresh_from_db()
    assert org.corporate_number == "8000020130001"
    assert Organisation.objects.count() == 1


def test_reimport_is_unchanged_and_a_changed_amount_updates_with_history(write_csv):
    notice = NoticeFactory(external_id="A")
    award_import(path=write_csv([HEADER, row(**{"管理ID": "A", "落札金額": "100万円"})], "a.csv"))
    assert award_import(path=write_csv([HEADER, row(**{"管理ID": "A", "落札金額": "100万円"})], "b.csv")).unchanged == 1
    result = award_import(path=write_csv([HEADER, row(**{"管理ID": "A", "落札金額": "110万円"})], "c.csv"))
    assert result.updated == 1
    assert Award.objects.get().amount_yen == 1_100_000
    latest = notice.revisions.first()
    assert latest.changes["落札結果（株式会社つなぐ）.amount_yen"] == [1_000_000, 1_100_000]


@pytest.mark.parametrize(("column", "value"), [("応札者数", "0"), ("応札者数", "多数"), ("評価点", "A"), ("落札金額", "-5円"), ("予定価格", "0円")])
def test_bad_values_are_rejected_in_their_column(write_csv, column, value):
    NoticeFactory(external_id="A")
    result = award_import(path=write_csv([HEADER, row(**{"管理ID": "A", column: value})]))
    assert [e.column for e in result.errors] == [column]


def test_the_winner_is_required(write_csv):
    NoticeFactory(external_id="A")
    result = award_import(path=write_csv([HEADER, row(**{"管理ID": "A", "落札者": ""})]))
    assert [e.column for e in result.errors] == ["落札者"]


def test_awards_find_notices_of_the_right_municipality_only(write_csv):
    NoticeFactory(external_id="A", municipality=municipality("011002"))
    result = award_import(path=write_csv([HEADER, row(**{"管理ID": "A"})]))
    assert result.rejected == 1


def test_an_award_file_without_the_estimated_value_column_keeps_the_stored_one(write_csv):
    NoticeFactory(external_id="A")
    award_import(path=write_csv([HEADER, row(**{"管理ID": "A", "落札金額": "90万円", "予定価格": "100万円"})], "full.csv"))
    short = write_csv([["管理ID", "団体コード", "落札者", "落札金額"], ["A", "131016", "株式会社つなぐ", "95万円"]], "short.csv")
    assert award_import(path=short).updated == 1
    award = Award.objects.get()
    assert (award.amount_yen, award.estimated_value_yen) == (950_000, 1_000_000)
