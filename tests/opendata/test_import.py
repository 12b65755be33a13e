import io
import json

import pytest
from django.core.management import call_command

from tests.factories import AwardFactory, NoticeFactory
from tests.opendata.conftest import organisation
from tsunagu.notices.models import Award, Notice, NoticeRevision, Organisation
from tsunagu.opendata.exports import write_jsonl, write_package
from tsunagu.opendata.importing import OcdsFileError
from tsunagu.opendata.services import ocds_import
from tsunagu.search.selectors import notice_search

pytestmark = pytest.mark.django_db


def exported(fmt: str = "jsonl") -> str:
    out = io.StringIO()
    if fmt == "jsonl":
        write_jsonl(out)
    else:
        write_package(out, base_url="https://tsunagu.example.jp")
    return out.getvalue()


def releases_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def empty_the_database() -> None:
    Award.objects.all().delete()
    Notice.objects.all().delete()
    Organisation.objects.all().delete()


def write(tmp_path, text: str, name: str = "in.jsonl"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def as_jsonl(releases: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in releases)


@pytest.mark.parametrize("fmt", ["jsonl", "package"])
def test_export_import_into_an_empty_database_and_export_again_gives_the_same_releases(tmp_path, fmt, full_notice, other_notices):
    first = exported()
    path = write(tmp_path, exported(fmt), f"export.{fmt}")
    empty_the_database()
    result = ocds_import(path=path)
    assert result.problems == [] and result.rejected == 0
    assert result.notices.created == 1 + len(other_notices) and result.awards.created == 2
    assert exported() == first


def test_a_notice_without_kanri_id_comes_back_without_one_and_with_its_fingerprint(tmp_path, other_notices):
    notice = other_notices[0]
    path = write(tmp_path, exported())
    empty_the_database()
    ocds_import(path=path)
    again = Notice.objects.get(title=notice.title)
    assert again.external_id == "" and again.fingerprint == notice.fingerprint


def test_importing_the_same_file_again_changes_nothing(tmp_path, full_notice, other_notices):
    path = write(tmp_path, exported())
    counts = (Notice.objects.count(), Award.objects.count(), Organisation.objects.count(), NoticeRevision.objects.count())
    result = ocds_import(path=path)
    assert result.notices.created == result.notices.updated == 0
    assert result.notices.unchanged == 1 + len(other_notices)
    assert result.awards.unchanged == 2 and result.awards.created == result.awards.updated == 0
    assert (Notice.objects.count(), Award.objects.count(), Organisation.objects.count(), NoticeRevision.objects.count()) == counts


def test_a_changed_release_updates_the_same_notice_and_records_the_change(tmp_path, full_notice):
    [release] = releases_of(exported())
    release["tender"]["title"] = "令和7年度 子育て支援アプリ運用・改修業務委託"
    release["tender"]["value"]["amount"] = 6_000_000
    del release["tender"]["budgetText"]
    release["awards"][0]["numberOfBidders"] = 4
    result = ocds_import(path=write(tmp_path, as_jsonl([release])))
    assert result.notices.updated == 1 and result.awards.updated == 1
    notice = Notice.objects.get()
    assert notice.pk == full_notice.pk
    assert notice.title == "令和7年度 子育て支援アプリ運用・改修業務委託" and notice.budget_yen == 6_000_000
    revision = notice.revisions.filter(changes__has_key="title").get()
    assert revision.changes["budget_yen"] == [5_500_000, 6_000_000]
    assert notice.awards.get(winner__corporate_number__isnull=False).bidders == 4


def test_a_later_release_of_the_same_call_in_one_file_updates_it(tmp_path, other_notices):
    releases = releases_of(exported())
    empty_the_database()
    first = releases[0]
    later = json.loads(json.dumps(first))
    later["tender"]["description"] = "追記された概要"
    result = ocds_import(path=write(tmp_path, as_jsonl([first, later])))
    assert result.problems == []
    assert result.notices.created == 1 and result.notices.updated == 1
    assert Notice.objects.get(title=first["tender"]["title"]).description == "追記された概要"


def test_a_bad_release_is_reported_by_position_and_json_path_and_the_others_are_stored(tmp_path, full_notice, other_notices):
    releases = releases_of(exported())
    empty_the_database()
    releases[1]["tender"]["procurementMethodDetails"] = "オークション"
    releases[2]["tender"]["tenderPeriod"]["startDate"] = "令和7年4月1日"
    result = ocds_import(path=write(tmp_path, as_jsonl(releases)))
    assert result.rejected == 2
    assert Notice.objects.count() == len(releases) - 2
    first, second = result.problems
    assert (first.release, first.path) == (2, "2行目 $.tender.procurementMethodDetails")
    assert "公募種別「オークション」は使えません" in first.message
    assert (second.release, second.path) == (3, "3行目 $.tender.tenderPeriod.startDate")
    assert "日時「令和7年4月1日」を読めません" in second.message
    assert str(first).startswith("2件目のリリース（2行目 $.tender.procurementMethodDetails）：")


def test_a_release_whose_award_is_bad_stores_nothing_of_that_release(tmp_path, full_notice):
    [release] = releases_of(exported())
    empty_the_database()
    release["awards"][1]["value"]["amount"] = -5
    result = ocds_import(path=write(tmp_path, as_jsonl([release])))
    assert result.rejected == 1
    [problem] = result.problems
    assert problem.path == "1行目 $.awards[1].value.amount"
    assert "0以上" in problem.message
    assert not Notice.objects.exists() and not Award.objects.exists() and not Organisation.objects.exists()


def test_errors_in_a_package_name_the_release_index_in_the_package(tmp_path, full_notice):
    package = json.loads(exported("package"))
    package["releases"][0]["awards"][0]["suppliers"] = []
    result = ocds_import(path=write(tmp_path, json.dumps(package, ensure_ascii=False), "p.json"))
    [problem] = result.problems
    assert problem.path == "$.releases[0].awards[0].suppliers"
    assert problem.message == "落札者（suppliers）を1者だけ書いてください。"


def test_a_buyer_that_is_no_municipality_is_reported_on_the_buyer(tmp_path, full_notice):
    [release] = releases_of(exported())
    release["parties"][0]["additionalIdentifiers"][0]["id"] = "999999"
    [problem] = ocds_import(path=write(tmp_path, as_jsonl([release]))).problems
    assert problem.path == "1行目 $.buyer" and "団体コード" in problem.message


def test_a_line_that_is_not_json_is_one_bad_release(tmp_path, full_notice):
    text = exported() + "{not json\n"
    result = ocds_import(path=write(tmp_path, text))
    assert result.rejected == 1 and result.problems[0].path == "2行目 $"
    assert "JSON として読めません" in result.problems[0].message


def test_a_file_that_is_not_ocds_is_refused_whole(tmp_path):
    with pytest.raises(OcdsFileError, match="JSON として読めません"):
        ocds_import(path=write(tmp_path, "公募,案件名\n1,2\n", "x.csv"))
    with pytest.raises(OcdsFileError, match="リリースパッケージ"):
        ocds_import(path=write(tmp_path, '{"uri": "x", "releases": {}}', "y.json"))


def test_a_cancelled_tender_cancels_the_notice(tmp_path, full_notice):
    [release] = releases_of(exported())
    release["tender"]["status"] = "cancelled"
    ocds_import(path=write(tmp_path, as_jsonl([release])))
    assert Notice.objects.get().cancelled


def test_an_imported_notice_is_found_by_search_at_once(tmp_path, search_engine, full_notice):
    text = exported()
    empty_the_database()
    assert not list(notice_search(text="子育て支援アプリ").notices)
    ocds_import(path=write(tmp_path, text))
    assert [n.title for n in notice_search(text="子育て支援アプリ").notices] == [full_notice.title]


def test_the_command_reports_counts_and_problems_and_exits_1_when_a_release_is_bad(tmp_path, capsys, full_notice):
    [release] = releases_of(exported())
    good = write(tmp_path, as_jsonl([release]), "good.jsonl")
    call_command("import_ocds", str(good), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["notices"] == {"created": 0, "updated": 0, "unchanged": 1}
    release["tender"]["title"] = ""
    bad = write(tmp_path, as_jsonl([release]), "bad.jsonl")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_ocds", str(bad))
    assert exit_info.value.code == 1
    assert "1件目のリリース（1行目 $.tender.title）" in capsys.readouterr().err


def test_the_command_exits_2_on_a_file_it_cannot_read(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("import_ocds", str(write(tmp_path, "[]", "x.json")))
    assert error.value.returncode == 2


def test_releases_from_another_publisher_with_only_core_fields_are_imported(tmp_path):
    release = {
        "ocid": "ocds-xyz999-0001", "id": "1", "date": "2025-07-01T10:00:00Z", "tag": ["tender"], "initiationType": "tender",
        "parties": [{"id": "buyer-1", "name": "東京都千代田区", "roles": ["buyer"]}],
        "buyer": {"id": "buyer-1", "name": "東京都千代田区"},
        "tender": {"id": "T-0001", "title": "区民向け講座の企画運営", "procurementMethodDetails": "企画競争",
                   "tenderPeriod": {"startDate": "2025-07-01T10:00:00Z", "endDate": "2025-07-31T08:00:00Z"},
                   "value": {"amount": 1200000, "currency": "JPY"}},
    }
    result = ocds_import(path=write(tmp_path, as_jsonl([release])))
    assert result.problems == []
    notice = Notice.objects.get()
    assert notice.external_id == "T-0001" and notice.municipality.lg_code == "131016"
    assert notice.published_on.isoformat() == "2025-07-01" and notice.budget_yen == 1_200_000
    assert (notice.submission_deadline.isoformat(), notice.submission_deadline_time.isoformat()) == ("2025-07-31", "17:00:00")


def test_a_notice_imported_from_a_spreadsheet_is_recognised_by_its_kanri_id(tmp_path):
    NoticeFactory(external_id="R7-9", title="既存の公募")
    [release] = releases_of(exported())
    release["tender"]["description"] = "OCDS から追記"
    result = ocds_import(path=write(tmp_path, as_jsonl([release])))
    assert result.notices.updated == 1 and Notice.objects.get().description == "OCDS から追記"



def test_a_problem_found_only_when_writing_undoes_that_release_alone(tmp_path, full_notice, other_notices):
    releases = releases_of(exported())
    empty_the_database()
    organisation("株式会社同名", corporate_number="8000020130001")
    organisation("株式会社同名", corporate_number="7000020010006")
    bad = releases[3]
    bad["parties"].append({"id": "x-1", "name": "株式会社同名", "roles": ["supplier"]})
    bad["awards"] = [{"id": "a-1", "status": "active", "suppliers": [{"id": "x-1", "name": "株式会社同名"}]}]
    result = ocds_import(path=write(tmp_path, as_jsonl(releases)))
    [problem] = result.problems
    assert (problem.release, problem.path) == (4, "4行目 $.awards")
    assert "「株式会社同名」という事業者が複数あります" in problem.message
    assert result.notices.created == len(releases) - 1
    assert not Notice.objects.filter(title=bad["tender"]["title"]).exists()
    assert Award.objects.count() == 2


@pytest.mark.parametrize(("change", "path"), [
    (lambda r: r["tender"].update(title=5), "1行目 $.tender.title"),
    (lambda r: r["awards"][0].update(numberOfBidders="3"), "1行目 $.awards[0].numberOfBidders"),
    (lambda r: r["tender"]["value"].update(currency="USD"), "1行目 $.tender.value.currency"),
])
def test_a_value_of_the_wrong_type_is_reported_at_its_own_path(tmp_path, full_notice, change, path):
    [release] = releases_of(exported())
    change(release)
    [problem] = ocds_import(path=write(tmp_path, as_jsonl([release]))).problems
    assert problem.path == path


def test_a_call_without_kanri_id_and_one_with_it_of_the_same_title_and_day_stay_two_notices(tmp_path):
    with_id = NoticeFactory(external_id="R7-5", title="同じ名前の公募")
    without = NoticeFactory(title="同じ名前の公募")
    AwardFactory(notice=without, winner=organisation("株式会社べつ"))
    first = exported()
    for batch_size in (500, 1):  # in one batch and in two
        empty_the_database()
        result = ocds_import(path=write(tmp_path, first), batch_size=batch_size)
        assert result.notices.created == 2, batch_size
        assert exported() == first
        assert ocds_import(path=write(tmp_path, first)).notices.unchanged == 2
    assert Notice.objects.get(external_id="").awards.get().winner.name == "株式会社べつ"
    assert {with_id.fingerprint, without.fingerprint} == set(Notice.objects.values_list("fingerprint", flat=True))
