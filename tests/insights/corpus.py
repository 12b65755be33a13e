"""A small hand-built corpus whose every analytics number is worked out by hand in the tests."""

import datetime

from tests.factories import AwardFactory, NoticeFactory, OrganisationFactory, municipality
from tsunagu.core.choices import TaxBasis
from tsunagu.notices.models import NoticeKind

D = datetime.date
INC, EXC, UNK = TaxBasis.INCLUDED, TaxBasis.EXCLUDED, TaxBasis.UNKNOWN


def build() -> dict:
    """Six notices in 東京都 (千代田区) and 北海道 (札幌市), five with results, six awards, three winners."""
    tokyo, sapporo = municipality("131016"), municipality("011002")
    a = OrganisationFactory(name="株式会社あおば企画", corporate_number="1010001000006")
    b = OrganisationFactory(name="ひかり測量株式会社")
    c = OrganisationFactory(name="NPO法人まちつなぎ")
    n1 = NoticeFactory(title="観光プロモーション動画制作業務", kind=NoticeKind.PROPOSAL, municipality=tokyo,
                       published_on=D(2025, 3, 31), budget_yen=2_500_000, categories=["観光", "広報"],
                       submission_deadline=D(2025, 4, 30), npo_eligible=True)
    n2 = NoticeFactory(title="観光案内所運営業務", kind=NoticeKind.PROPOSAL, municipality=sapporo,
                       published_on=D(2025, 4, 1), budget_yen=12_000_000, categories=["観光"],
                       application_deadline=D(2025, 4, 20), submission_deadline=D(2025, 5, 10))
    n3 = NoticeFactory(title="庁内ネットワーク更新", kind=NoticeKind.OPEN_TENDER, municipality=tokyo,
                       published_on=D(2025, 6, 10), budget_yen=None, categories=["DX"], npo_eligible=False)
    n4 = NoticeFactory(title="庁舎清掃", kind=NoticeKind.OPEN_TENDER, municipality=tokyo, published_on=D(2026, 3, 31),
                       budget_yen=800_000, application_deadline=D(2026, 4, 10))
    n5 = NoticeFactory(title="地域福祉活動助成", kind=NoticeKind.GRANT, municipality=sapporo, published_on=D(2024, 4, 1),
                       budget_yen=500_000, categories=["福祉"])
    n6 = NoticeFactory(title="観光振興計画策定支援業務", kind=NoticeKind.PROPOSAL, municipality=tokyo,
                       published_on=D(2025, 5, 1), budget_yen=100_000_000, categories=["観光"])
    AwardFactory(notice=n1, winner=a, amount_yen=2_200_000, amount_tax_basis=INC, estimated_value_yen=2_500_000,
                 estimated_value_tax_basis=INC, bidders=3, awarded_on=D(2025, 5, 20))  # 88.00%
    AwardFactory(notice=n2, winner=a, amount_yen=11_400_000, amount_tax_basis=EXC, estimated_value_yen=12_000_000,
                 estimated_value_tax_basis=EXC, bidders=5, awarded_on=D(2025, 6, 1))  # 95.00%
    AwardFactory(notice=n3, winner=b, amount_yen=5_000_000, amount_tax_basis=INC, estimated_value_yen=5_000_000,
                 estimated_value_tax_basis=EXC)  # 税込と税抜: no ratio
    AwardFactory(notice=n4, winner=b, amount_yen=700_000, amount_tax_basis=UNK, estimated_value_yen=800_000,
                 estimated_value_tax_basis=UNK, bidders=1)  # 税区分不明: no ratio
    AwardFactory(notice=n5, winner=c, amount_yen=300_000, bidders=7)  # 採択: no 予定価格
    AwardFactory(notice=n5, winner=a, amount_yen=None, bidders=7)  # no amount
    return {"a": a, "b": b, "c": c, "notices": [n1, n2, n3, n4, n5, n6], "tokyo": tokyo, "sapporo": sapporo}
