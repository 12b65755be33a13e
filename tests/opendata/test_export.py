import datetime
import io
import json

import pytest
from django.core.management import call_command

from tests.factories import AwardFactory, NoticeFactory, OrganisationFactory, municipality
from tests.opendata.conftest import CORPORATE_NUMBER
from tsunagu.opendata import exports
from tsunagu.opendata.exports import write_jsonl, write_package
from tsunagu.opendata.ocds import notice_release
from tsunagu.opendata.selectors import notices_for_ocds

pytestmark = pytest.mark.django_db


def release_of(notice) -> dict:
    return notice_release(notices_for_ocds().get(pk=notice.pk))


def package_text(**kwargs) -> str:
    out = io.StringIO()
    write_package(out, base_url="https://tsunagu.example.jp", **kwargs)
    return out.getvalue()


def test_a_release_package_of_every_kind_and_status_validates_against_the_ocds_schemas_with_the_extension(
        ocds, full_notice, other_notices):
    package = json.loads(package_text())
    assert len(package["releases"]) == 1 + len(other_notices)
    assert ocds.errors(ocds.package, package) == []
    for release in package["releases"]:
        assert ocds.errors(ocds.release, release) == [], release["tender"]["title"]


def test_every_jsonl_line_is_one_valid_release(ocds, full_notice, other_notices):
    out = io.StringIO()
    assert write_jsonl(out) == 1 + len(other_notices)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 + len(other_notices)
    for line in lines:
        assert ocds.errors(ocds.release, json.loads(line)) == []


def test_codes_come_from_the_ocds_codelists(ocds, full_notice, other_notices):
    lists = ocds.codelists
    for line in io.StringIO(package_text()).read().splitlines()[1:-1]:
        release = json.loads(line.rstrip(","))
        tender = release["tender"]
        assert set(release["tag"]) <= lists["releaseTag"]
        assert release["initiationType"] in lists["initiationType"]
        assert tender["status"] in lists["tenderStatus"]
        assert tender.get("procurementMethod", "open") in lists["method"]
        assert tender.get("mainProcurementCategory", "services") in lists["procurementCategory"]
        assert tender.get("awardCriteria", "priceOnly") in lists["awardCriteria"]
        assert tender.get("value", {}).get("currency", "JPY") in lists["currency"]
        for document in tender.get("documents", []):
            assert document["documentType"] in lists["documentType"]
        for party in release["parties"]:
            assert set(party["roles"]) <= lists["partyRole"]
        for award in release.get("awards", []):
            assert award["status"] in lists["awardStatus"]


def test_the_tender_carries_the_call_in_ocds_fields_with_japanese_method_details(full_notice):
    tender = release_of(full_notice)["tender"]
    assert tender["id"] == "R7-子育て-001"
    assert tender["title"] == "令和7年度 子育て支援アプリ運用業務委託"
    assert tender["procurementMethod"] == "open" and tender["procurementMethodDetails"] == "公募型プロポーザル"
    assert tender["mainProcurementCategory"] == "services"
    assert tender["status"] == "complete"
    assert tender["value"] == {"amount": 5_500_000, "currency": "JPY", "taxBasis": "included"}
    assert tender["tenderPeriod"] == {"startDate": "2025-04-01T00:00:00+09:00", "endDate": "2025-05-09T12:00:00+09:00"}
    assert tender["enquiryPeriod"] == {"endDate": "2025-04-08T23:59:59+09:00"}  # a date only: the end of that day
    assert tender["eligibilityCriteria"] == "区内に事務所を有すること"
    [document] = tender["documents"]
    assert document["url"] == "https://www.city.chiyoda.lg.jp/koho/r7-kosodate.html"
    assert document["documentType"] == "tenderNotice"


def test_values_ocds_lacks_are_in_the_extension_fields(full_notice):
    release = release_of(full_notice)
    tender = release["tender"]
    assert tender["budgetText"] == "550万円（税込）"
    assert tender["applicationPeriod"] == {"endDate": "2025-04-15T17:00:00+09:00"}
    assert tender["contractPeriodText"] == "契約締結日から令和8年3月31日まで"
    assert tender["subjectAreas"] == ["子育て", "情報"]
    assert tender["npoEligible"] is True
    assert tender["remarks"] == "説明会あり"
    award = release["awards"][0]
    assert award["estimatedValue"] == {"amount": 5_500_000, "currency": "JPY", "taxBasis": "excluded"}
    assert award["value"]["taxBasis"] == "included"
    assert award["numberOfBidders"] == 3
    assert award["evaluationScore"] == 85.5


def test_a_supplier_with_a_corporate_number_is_identified_by_jp_jcn(full_notice):
    release = release_of(full_notice)
    suppliers = [p for p in release["parties"] if "supplier" in p["roles"]]
    with_number = next(p for p in suppliers if p["name"] == "株式会社つなぐ")
    assert with_number["id"] == f"JP-JCN-{CORPORATE_NUMBER}"
    assert with_number["identifier"] == {"scheme": "JP-JCN", "id": CORPORATE_NUMBER, "legalName": "株式会社つなぐ"}
    assert release["awards"][0]["suppliers"] == [{"id": f"JP-JCN-{CORPORATE_NUMBER}", "name": "株式会社つなぐ"}]


def test_a_supplier_without_a_corporate_number_has_no_identifier_but_a_stable_local_id(full_notice):
    release = release_of(full_notice)
    npo = next(p for p in release["parties"] if p["name"] == "特定非営利活動法人まちの子")
    assert "identifier" not in npo
    assert npo["id"].startswith("tsunagu-org-")
    other = NoticeFactory(title="別の公募")
    AwardFactory(notice=other, winner=full_notice.awards.get(winner__name="特定非営利活動法人まちの子").winner)
    assert next(p for p in release_of(other)["parties"] if p["name"] == "特定非営利活動法人まちの子")["id"] == npo["id"]


def test_the_buyer_is_the_municipality_with_its_corporate_number_and_lg_code(full_notice):
    release = release_of(full_notice)
    buyer = release["parties"][0]
    assert buyer["roles"] == ["buyer", "procuringEntity"]
    assert buyer["name"] == "東京都千代田区"
    assert buyer["identifier"]["scheme"] == "JP-JCN" and buyer["identifier"]["id"] == "8000020131016"
    assert buyer["additionalIdentifiers"] == [{"scheme": "JP-LGC", "id": "131016", "legalName": "東京都千代田区"}]
    assert buyer["contactPoint"] == {"name": "子育て支援課"}
    assert release["buyer"] == {"id": buyer["id"], "name": "東京都千代田区"}


def test_the_ocid_is_built_from_the_configured_prefix_lg_code_and_tender_id(settings, full_notice, other_notices):
    settings.OCDS_OCID_PREFIX = "ocds-abc123-"
    assert release_of(full_notice)["ocid"] == "ocds-abc123-131016-R7-子育て-001"
    without_id = release_of(other_notices[0])
    assert without_id["ocid"] == f"ocds-abc123-131016-tsunagu-fp-{other_notices[0].fingerprint}"


def test_a_release_is_tagged_and_given_a_status_by_what_happened(full_notice, other_notices):
    assert release_of(full_notice)["tag"] == ["tender", "award"]
    cancelled, corrected = other_notices[1], other_notices[2]
    assert release_of(cancelled)["tag"] == ["tenderCancellation"]
    assert release_of(cancelled)["tender"]["status"] == "cancelled"
    assert release_of(corrected)["tag"] == ["tenderUpdate"]
    assert release_of(corrected)["tender"]["status"] == "planned"
    assert release_of(other_notices[0])["tender"]["status"] == "active"


def test_a_release_id_changes_with_the_content_and_only_then(full_notice):
    first = release_of(full_notice)["id"]
    assert release_of(full_notice)["id"] == first
    full_notice.description = "変更後の概要"
    full_notice.save()
    assert release_of(full_notice)["id"] != first


def test_the_package_declares_version_publisher_licence_and_the_extension(settings, full_notice):
    settings.OCDS_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
    settings.OCDS_PUBLISHER_NAME = "つなぐ"
    package = json.loads(package_text())
    assert package["version"] == "1.1"
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["publisher"]["name"] == "つなぐ"
    assert package["extensions"] == ["https://tsunagu.example.jp/opendata/extension/extension.json"]
    assert package["uri"].startswith("https://tsunagu.example.jp/opendata/download/")
    assert datetime.datetime.fromisoformat(package["publishedDate"]).tzinfo is not None


def test_the_export_streams_in_chunks_with_a_fixed_number_of_queries_per_chunk(monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(exports, "CHUNK", 5)
    for n in range(20):
        AwardFactory(notice=NoticeFactory(title=f"公募{n}"))
    out = io.StringIO()
    with django_assert_max_num_queries(4 * 3 + 2):  # per chunk: notices, awards with winners; and the cursor's end
        assert write_jsonl(out) == 20
    assert len(out.getvalue().splitlines()) == 20


def test_the_command_writes_jsonl_or_a_package_with_filters(tmp_path, ocds, full_notice, other_notices):
    jsonl = tmp_path / "out.jsonl"
    call_command("export_ocds", "--format", "jsonl", "--output", str(jsonl), "--prefecture", "27")
    [osaka] = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert osaka["tender"]["title"] == "地域活動助成金"
    package = tmp_path / "out.json"
    call_command("export_ocds", "--output", str(package), "--prefecture", "東京都", "--kind", "proposal")
    data = json.loads(package.read_text(encoding="utf-8"))
    assert [r["tender"]["id"] for r in data["releases"]] == ["R7-子育て-001"]
    assert ocds.errors(ocds.package, data) == []


def test_since_exports_notices_changed_or_awarded_on_or_after_the_day(tmp_path, time_machine):
    time_machine.move_to(datetime.datetime(2025, 4, 1, 12, tzinfo=datetime.UTC))
    old = NoticeFactory(title="古い公募")
    untouched = NoticeFactory(title="変わらない公募")
    time_machine.move_to(datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC))
    AwardFactory(notice=old, winner=OrganisationFactory())
    new = NoticeFactory(title="新しい公募")
    out = tmp_path / "since.jsonl"
    call_command("export_ocds", "--format", "jsonl", "--output", str(out), "--since", "2025-05-01")
    titles = {json.loads(line)["tender"]["title"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert titles == {old.title, new.title}
    assert untouched.title not in titles


def test_an_unknown_prefecture_is_refused_with_a_message(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="都道府県「火星」が見つかりません"):
        call_command("export_ocds", "--output", str(tmp_path / "x.json"), "--prefecture", "火星")
    assert not (tmp_path / "x.json").exists()


def test_a_municipality_filter_keeps_its_notices_only(tmp_path, other_notices):
    out = tmp_path / "m.jsonl"
    call_command("export_ocds", "--format", "jsonl", "--output", str(out), "--municipality", municipality("271004").lg_code)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_the_schema_the_tests_validate_against_checks_the_extension_fields(ocds, full_notice):
    release = release_of(full_notice)
    release["tender"]["npoEligible"] = "はい"
    release["awards"][0]["estimatedValue"]["taxBasis"] = "税込"
    errors = ocds.errors(ocds.release, release)
    assert any(e.startswith("tender/npoEligible") for e in errors)
    assert any(e.startswith("awards/0/estimatedValue/taxBasis") for e in errors)


def test_the_export_of_demo_data_validates_and_round_trips(ocds, tmp_path):
    from tsunagu.notices.demo import demo_generate
    from tsunagu.notices.models import Award, Notice, Organisation
    from tsunagu.opendata.services import ocds_import

    demo_generate(notices=300, seed=3)
    text = package_text()
    package = json.loads(text)
    assert len(package["releases"]) == Notice.objects.count()
    assert any("awards" in r for r in package["releases"])
    assert ocds.errors(ocds.package, package) == []
    first = io.StringIO()
    write_jsonl(first)
    path = tmp_path / "demo.jsonl"
    path.write_text(first.getvalue(), encoding="utf-8")
    Award.objects.all().delete()
    Notice.objects.all().delete()
    Organisation.objects.all().delete()
    result = ocds_import(path=path)
    assert result.problems == []
    again = io.StringIO()
    write_jsonl(again)
    assert again.getvalue() == first.getvalue()
