"""The data-entry team's day: a real-looking file in, the bad rows explained, re-import changes nothing,
and the export carries the same values back out."""

import csv
import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.notices.models import Award, Notice

pytestmark = pytest.mark.django_db

NOTICES = """管理ID,団体コード,自治体名,担当課,案件名,公募種別,分野,概要,公告日,質問締切,参加申込締切,提出期限,上限額,税区分,契約期間,参加資格,NPO参加可,URL,備考
R7-001,131016,,子育て支援課,令和7年度 子育て支援アプリ運用業務,公募型プロポーザル,子育て、DX,,令和7年4月1日（火）,R7.4.10 17:00,2025年4月15日,2025/4/25 午後5時,"1,234万円（税込）",,契約締結日から令和8年3月31日まで,,○,https://www.city.chiyoda.lg.jp/a.html,
R7-002,,大阪府大阪市,観光課,観光PR動画制作業務,プロポーザル,観光,,2025-04-03,,,２０２５／５／９,"￥5,500,000",税込,,,×,https://www.city.osaka.lg.jp/b.html,
,,北海道札幌市,,市民活動センター指定管理者募集,指定管理,まちづくり,,R7/4/5,,,,"1億2,000万円",税抜,5年間,市内に事務所を有する団体,可,,
R7-004,131016,,福祉課,地域福祉計画策定支援業務,企画競争,福祉,,2025年2月30日,,,,"500万円",,,,,https://www.city.chiyoda.lg.jp/c.html,
R7-005,131016,,福祉課,障がい者就労支援事業,補助金,福祉,,2025/4/1,,,,"48万円",,,,はい,ftp://example.org/x,
R7-006,,府中市,総務課,庁舎清掃業務,一般競争入札,,,2025/4/1,,,,"5,000千円",,,,,,
R7-007,131016,,環境課,環境学習講座運営業務,随意契約,環境,,2025/4/8,,,,"123.4万円",,,,いいえ,,
"""

AWARDS = """管理ID,団体コード,自治体名,案件名,落札者,法人番号,落札金額,予定価格,税区分,応札者数,決定日,評価点,備考
R7-001,131016,,,㈱つなぐラボ,8000020130001,"1,100万円","1,234万円",税込,3,令和7年5月20日,88.5,
,,北海道札幌市,市民活動センター指定管理者募集,特定非営利活動法人まちの広場,,"1億1,500万円","1億2,000万円",税抜,2,2025/6/1,,
R7-002,,大阪府大阪市,,（株）つなぐラボ,,"4,800,000円（税込）","5,000,000円（税抜）",,5,2025/5/30,,
R7-009,131016,,,株式会社どこか,,100,,,,,,
"""


def _write(path, text):
    path.write_bytes(text.encode("cp932"))
    return path


def test_a_team_file_in_cp932_imports_with_only_the_bad_rows_rejected_and_round_trips(tmp_path, capsys):
    notices_csv = _write(tmp_path / "公募_2025-04.csv", NOTICES)
    with pytest.raises(CommandError) as first:
        call_command("import_notices", str(notices_csv), "--json")
    assert first.value.returncode == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["created"], report["rejected"]) == (4, 3)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(5, "公告日"), (6, "URL"), (7, "自治体名")]
    assert "2025年2月30日" in report["errors"][0]["message"]
    assert "東京都府中市" in report["errors"][2]["message"]

    error_file = tmp_path / "公募_2025-04-errors.csv"
    with error_file.open(encoding="utf-8-sig") as f:
        rejected = list(csv.reader(f))
    assert [r[0] for r in rejected[1:]] == ["R7-004", "R7-005", "R7-006"]

    awards_csv = _write(tmp_path / "落札.csv", AWARDS)
    with pytest.raises(CommandError):
        call_command("import_awards", str(awards_csv), "--json")
    awards = json.loads(capsys.readouterr().out)
    assert (awards["created"], awards["rejected"]) == (3, 1)
    assert awards["errors"][0]["row"] == 5
    assert Award.objects.values("winner").distinct().count() == 2  # ㈱ and （株） are one organisation

    # Re-importing the same files changes nothing.
    with pytest.raises(CommandError):
        call_command("import_notices", str(notices_csv), "--json")
    again = json.loads(capsys.readouterr().out)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 4)

    # The export holds the values as entered, and re-imports unchanged.
    call_command("export_notices", "--format", "jsonl")
    exported = {d["external_id"] or d["title"]: d for d in map(json.loads, capsys.readouterr().out.splitlines())}
    app = exported["R7-001"]
    assert (app["published_on"], app["enquiry_deadline"], app["submission_deadline"]) == ("2025-04-01", "2025-04-10T17:00", "2025-04-25T17:00")
    assert (app["budget_yen"], app["tax_basis"], app["npo_eligible"]) == (12_340_000, "税込", True)
    assert app["awards"][0]["award_ratio"] == pytest.approx(0.8914, abs=1e-4)
    assert app["awards"][0]["winner"] == "株式会社つなぐラボ"
    osaka = exported["R7-002"]
    assert osaka["awards"][0]["award_ratio"] is None  # 税込 against 税抜: not comparable
    center = exported["市民活動センター指定管理者募集"]
    assert (center["budget_yen"], center["tax_basis"], center["lg_code"]) == (120_000_000, "税抜", "011002")
    assert (exported["R7-007"]["budget_yen"], exported["R7-007"]["npo_eligible"]) == (1_234_000, False)

    round_trip = tmp_path / "export.xlsx"
    call_command("export_notices", "--format", "xlsx", "--output", str(round_trip))
    call_command("import_notices", str(round_trip), "--json")
    notices_again = json.loads(capsys.readouterr().out)
    call_command("import_awards", str(round_trip), "--json")
    awards_again = json.loads(capsys.readouterr().out)
    assert notices_again == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 0, "errors": []}
    assert awards_again == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0, "errors": []}
    assert Notice.objects.get(external_id="R7-001").published_on == datetime.date(2025, 4, 1)
