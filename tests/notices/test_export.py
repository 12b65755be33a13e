import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command

from tests.factories import AwardFactory, NoticeFactory, OrganisationFactory
from tsunagu.core.choices import TaxBasis
from tsunagu.notices.models import Award, Notice, NoticeKind
from tsunagu.notices.services import award_import, notice_import

pytestmark = pytest.mark.django_db

JSONL_KEYS = {"external_id", "lg_code", "prefecture", "municipality", "department", "title", "kind", "categories", "description",
              "published_on", "enquiry_deadline", "application_deadline", "submission_deadline", "budget_yen", "tax_basis",
              "contract_period", "eligibility", "npo_eligible", "source_url", "status", "awards"}
AWARD_KEYS = {"winner", "corporate_number", "amount_yen", "estimated_value_yen", "tax_basis", "bidders", "awarded_on", "score", "award_ratio"}


def test_jsonl_has_one_object_per_notice_with_the_documented_keys_and_values(capsys):
    notice = NoticeFactory(external_id="R7-1", kind=NoticeKind.DESIGNATED_MANAGER, categories=["観光"], budget_yen=5_500_000,
                           budget_tax_basis=TaxBasis.INCLUDED, npo_eligible=True, submission_deadline=datetime.date(2025, 5, 1),
                           submission_deadline_time=datetime.time(17, 0))
    AwardFactory(notice=notice, winner=OrganisationFactory(name="NPO法人まち", corporate_number="8000020130001"),
                 amount_yen=900, amount_tax_basis=TaxBasis.INCLUDED, estimated_value_yen=1000,
                 estimated_value_tax_basis=TaxBasis.INCLUDED, bidders=2, awarded_on=datetime.date(2025, 6, 1))
    NoticeFactory(title="もう一件")
    call_command("export_notices", "--format", "jsonl")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    data = json.loads(lines[0])
    assert set(data) == JSONL_KEYS
    assert data["lg_code"] == "131016" and data["prefecture"] == "東京都" and data["municipality"] == "千代田区"
    assert data["kind"] == "指定管理者"
    assert data["tax_basis"] == "税込" and data["npo_eligible"] is True and data["budget_yen"] == 5_500_000
    assert data["submission_deadline"] == "2025-05-01T17:00" and data["published_on"] == "2025-04-01"
    assert data["status"] == "結果公表"
    [award] = data["awards"]
    assert set(award) == AWARD_KEYS
    assert award["award_ratio"] == 0.9 and award["corporate_number"] == "8000020130001" and award["tax_basis"] == "税込"
    other = json.loads(lines[1])
    assert other["tax_basis"] is None and other["npo_eligible"] is None and other["awards"] == []


def test_csv_cells_that_start_like_a_formula_are_escaped_and_reimport_unchanged(tmp_path):
    NoticeFactory(title="=HYPERLINK(\"http://evil\")", description="+81 電話", notes="@メモ")
    out = tmp_path / "export.csv"
    call_command("export_notices", "--format", "csv", "--output", str(out))
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[1][rows[0].index("案件名")] == "'=HYPERLINK(\"http://evil\")"
    assert rows[1][rows[0].index("備考")] == "'@メモ"
    result = notice_import(path=out)
    assert (result.unchanged, result.created, result.updated) == (1, 0, 0)


def _snapshot():
    notices = list(Notice.objects.order_by("id").values(
        "municipality_id", "external_id", "title", "kind", "categories", "published_on", "enquiry_deadline",
        "enquiry_deadline_time", "submission_deadline", "submission_deadline_time", "budget_yen", "budget_tax_basis",
        "budget_text", "npo_eligible", "source_url", "department", "contract_period"))
    awards = list(Award.objects.order_by("id").values(
        "notice_id", "winner__name", "winner__corporate_number", "amount_yen", "amount_tax_basis", "estimated_value_yen",
        "estimated_value_tax_basis", "bidders", "awarded_on", "score"))
    return notices, awards


def test_an_xlsx_export_reimports_with_every_row_unchanged(tmp_path):
    notice = NoticeFactory(external_id="A", budget_yen=12_000_000, budget_text="1,200万円（税込）以内", budget_tax_basis=TaxBasis.INCLUDED,
                           enquiry_deadline=datetime.date(2025, 4, 10), enquiry_deadline_time=datetime.time(12, 0), categories=["福祉", "DX"])
    NoticeFactory(title="見積なし")
    AwardFactory(notice=notice, winner=OrganisationFactory(name="株式会社A", normalized_name="株式会社a"), amount_yen=1_100_000,
                 amount_tax_basis=TaxBasis.INCLUDED, estimated_value_yen=1_000_000, estimated_value_tax_basis=TaxBasis.EXCLUDED,
                 score="72.50")
    before = _snapshot()
    out = tmp_path / "all.xlsx"
    call_command("export_notices", "--format", "xlsx", "--output", str(out))
    notices = notice_import(path=out, sheet="公募情報")
    awards = award_import(path=out)  # picks the 落札結果 sheet by itself
    assert (notices.unchanged, notices.created, notices.updated, notices.rejected) == (2, 0, 0, 0)
    assert (awards.unchanged, awards.created, awards.updated, awards.rejected) == (1, 0, 0, 0)
    assert _snapshot() == before


def test_awards_export_as_csv_in_the_award_template(capsys):
    AwardFactory(notice=NoticeFactory(external_id="A"), amount_yen=5)
    call_command("export_notices", "--format", "csv", "--awards")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:6] == ["管理ID", "団体コード", "自治体名", "案件名", "公告日", "落札者"]
    assert rows[1][0] == "A" and rows[1][4] == "2025-04-01" and rows[1][rows[0].index("落札金額")] == "5"
