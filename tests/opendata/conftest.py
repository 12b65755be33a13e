"""The OCDS 1.1 schemas of ../shared/data/ocds-1.1, with Tsunagu's extension applied as OCDS tools apply it."""

import csv
import datetime
import json
from pathlib import Path

import pytest

from tests.factories import AwardFactory, NoticeFactory, OrganisationFactory, municipality
from tsunagu.core.choices import TaxBasis
from tsunagu.core.text import organisation_display_name, organisation_name_key
from tsunagu.notices.models import NoticeKind

EXTENSION_DIR = Path(__file__).resolve().parents[2] / "src" / "tsunagu" / "opendata" / "ocds_extension"
CORPORATE_NUMBER = "8000020130001"  # a valid 法人番号 (東京都's)


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch: how an OCDS extension's release-schema.json changes the release schema."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


class OcdsSchemas:
    def __init__(self, folder: Path) -> None:
        from jsonschema import Draft4Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4

        release = json.loads((folder / "release-schema.json").read_text(encoding="utf-8"))
        patch = json.loads((EXTENSION_DIR / "release-schema.json").read_text(encoding="utf-8"))
        self.release_schema = merge_patch(release, patch)
        package = json.loads((folder / "release-package-schema.json").read_text(encoding="utf-8"))
        registry = Registry().with_resource(self.release_schema["id"], Resource(self.release_schema, specification=DRAFT4))
        self.release = Draft4Validator(self.release_schema)
        self.package = Draft4Validator(package, registry=registry)
        self.codelists = {path.stem: {row["Code"] for row in csv.DictReader(path.open(encoding="utf-8"))}
                          for path in (folder / "codelists").glob("*.csv")}

    @staticmethod
    def errors(validator, data) -> list[str]:
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


@pytest.fixture
def ocds(shared_data) -> OcdsSchemas:
    return OcdsSchemas(shared_data / "ocds-1.1")


def organisation(name: str, **kwargs):
    """An organisation as the importer stores it (display name and name key from core/text.py)."""
    return OrganisationFactory(name=organisation_display_name(name), normalized_name=organisation_name_key(name), **kwargs)


@pytest.fixture
def full_notice(db):
    """A notice with every field we hold, one award with a 法人番号 and one without."""
    notice = NoticeFactory(
        external_id="R7-子育て-001", department="子育て支援課", title="令和7年度 子育て支援アプリ運用業務委託",
        description="アプリの運用と問い合わせ対応", kind=NoticeKind.PROPOSAL, categories=["子育て", "情報"],
        published_on=datetime.date(2025, 4, 1), enquiry_deadline=datetime.date(2025, 4, 8),
        application_deadline=datetime.date(2025, 4, 15), application_deadline_time=datetime.time(17, 0),
        submission_deadline=datetime.date(2025, 5, 9), submission_deadline_time=datetime.time(12, 0),
        budget_yen=5_500_000, budget_tax_basis=TaxBasis.INCLUDED, budget_text="550万円（税込）",
        contract_period="契約締結日から令和8年3月31日まで", eligibility="区内に事務所を有すること", npo_eligible=True,
        source_url="https://www.city.chiyoda.lg.jp/koho/r7-kosodate.html", notes="説明会あり",
    )
    AwardFactory(notice=notice, winner=organisation("株式会社つなぐ", corporate_number=CORPORATE_NUMBER),
                 amount_yen=5_280_000, amount_tax_basis=TaxBasis.INCLUDED, estimated_value_yen=5_500_000,
                 estimated_value_tax_basis=TaxBasis.EXCLUDED, bidders=3, awarded_on=datetime.date(2025, 6, 2),
                 score="85.50", notes="次点との差 2点")
    AwardFactory(notice=notice, winner=organisation("特定非営利活動法人まちの子"),
                 amount_yen=100_000, awarded_on=datetime.date(2025, 6, 2))
    return notice


@pytest.fixture
def other_notices(db):
    """Notices of every kind, status and value gap: no 管理ID, cancelled, planned, in Osaka."""
    osaka = municipality("271004")
    return [
        NoticeFactory(title="公園の清掃業務", kind=NoticeKind.OPEN_TENDER),
        NoticeFactory(title="【中止】観光パンフレット作成", kind=NoticeKind.PLANNING_COMPETITION, cancelled=True),
        NoticeFactory(title="【訂正】図書館の指定管理者の募集", kind=NoticeKind.DESIGNATED_MANAGER,
                      published_on=datetime.date(2099, 4, 1), budget_text="予定価格は事後公表"),
        NoticeFactory(title="地域活動助成金", kind=NoticeKind.GRANT, municipality=osaka, npo_eligible=False),
        NoticeFactory(title="庁舎の警備", kind=NoticeKind.SELECTIVE_TENDER, budget_yen=1_000_000),
        NoticeFactory(title="システム保守", kind=NoticeKind.NEGOTIATED, submission_deadline=datetime.date(2025, 4, 20)),
        NoticeFactory(title="市民協働提案", kind=NoticeKind.COLLABORATION),
        NoticeFactory(title="その他の募集", kind=NoticeKind.OTHER),
    ]
