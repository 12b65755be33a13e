"""A notice and its awards as one OCDS 1.1 release, and the conventions the import reads back.

One release per notice, holding its current state (tender, awards, parties). Everything in a release is
derived from the record itself, never from database ids or write times, so the same data exported from
two databases gives the same releases (the round trip export → import → export is exact):
- ocid = OCDS_OCID_PREFIX + 団体コード + "-" + tender id; tender id = 管理ID, or for a notice without one
  NO_EXTERNAL_ID_PREFIX + its fingerprint (the identity rule of notices/identity.py);
- release id = ocid + a digest of the release's content, so a changed notice gets a new release id;
- release date = the latest date the record knows (公告日 or a 決定日).
"""

import datetime
import hashlib
import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tsunagu.core.choices import TaxBasis, canonical_label
from tsunagu.core.codes import corporate_number_check_digit
from tsunagu.core.text import organisation_name_key
from tsunagu.municipalities.models import Municipality
from tsunagu.notices.identity import is_correction_title
from tsunagu.notices.models import Award, Notice, NoticeKind, NoticeStatus, Organisation

JST = datetime.timezone(datetime.timedelta(hours=9), "JST")
# A deadline given as a date only closes at the end of that day; a time of exactly 23:59:59 reads back as
# "no time given" (the stored times have minutes only, so no stored time is ever 23:59:59).
DATE_ONLY_END = datetime.time(23, 59, 59)
NO_EXTERNAL_ID_PREFIX = "tsunagu-fp-"
JCN = "JP-JCN"  # 法人番号 (National Tax Agency): the org-id.guide scheme for Japanese corporations
# 団体コード has no org-id.guide list: it goes in additionalIdentifiers under this local scheme name, beside
# the local government's own 法人番号 (every local government has one: check digit + 000020 + 団体コード).
LG_CODE = "JP-LGC"
LOCAL_GOVERNMENT_JCN_BODY = "000020"
LOCAL_ORG_PREFIX = "tsunagu-org-"
TAX_BASIS = {TaxBasis.INCLUDED: "included", TaxBasis.EXCLUDED: "excluded"}

# procurementMethod (closed codelist method.csv); procurementMethodDetails carries the Japanese kind.
METHOD = {
    NoticeKind.PROPOSAL: "open",
    NoticeKind.PLANNING_COMPETITION: "open",
    NoticeKind.OPEN_TENDER: "open",
    NoticeKind.SELECTIVE_TENDER: "selective",
    NoticeKind.NEGOTIATED: "direct",
    NoticeKind.DESIGNATED_MANAGER: "open",
    NoticeKind.GRANT: "open",
    NoticeKind.COLLABORATION: "open",
}
# mainProcurementCategory only where the kind says it: proposals, competitions, facility management and
# collaborations buy services; a tender may buy goods, works or services, a grant buys nothing.
CATEGORY = {
    NoticeKind.PROPOSAL: "services",
    NoticeKind.PLANNING_COMPETITION: "services",
    NoticeKind.DESIGNATED_MANAGER: "services",
    NoticeKind.COLLABORATION: "services",
}
AWARD_CRITERIA = {
    NoticeKind.PROPOSAL: "bestProposal",
    NoticeKind.PLANNING_COMPETITION: "bestProposal",
    NoticeKind.OPEN_TENDER: "priceOnly",
    NoticeKind.SELECTIVE_TENDER: "priceOnly",
}
TENDER_STATUS = {
    NoticeStatus.PLANNED: "planned",
    NoticeStatus.OPEN: "active",
    NoticeStatus.CLOSED: "complete",
    NoticeStatus.AWARDED: "complete",
    NoticeStatus.CANCELLED: "cancelled",
}


def tender_id(notice: Notice) -> str:
    return notice.external_id or f"{NO_EXTERNAL_ID_PREFIX}{notice.fingerprint}"


def notice_ocid(notice: Notice) -> str:
    return f"{settings.OCDS_OCID_PREFIX}{notice.municipality.lg_code}-{tender_id(notice)}"


def local_government_corporate_number(lg_code: str) -> str:
    body = LOCAL_GOVERNMENT_JCN_BODY + lg_code
    return corporate_number_check_digit(body) + body


def lg_code_of_corporate_number(number: str) -> str | None:
    """The 団体コード inside a local government's 法人番号, or None for any other 法人番号."""
    if len(number) == 13 and number[1:7] == LOCAL_GOVERNMENT_JCN_BODY:
        return number[7:]
    return None


def buyer_party_id(municipality: Municipality) -> str:
    return f"{JCN}-{local_government_corporate_number(municipality.lg_code)}"


def supplier_party_id(organisation: Organisation) -> str:
    """JP-JCN-<法人番号>, or without one a stable local id from the normalised name (never a database id)."""
    if organisation.corporate_number:
        return f"{JCN}-{organisation.corporate_number}"
    key = organisation.normalized_name or organisation_name_key(organisation.name)
    return LOCAL_ORG_PREFIX + hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def ocds_datetime(day: datetime.date, time: datetime.time | None = None, *, end_of_day: bool = False) -> str:
    moment = time or (DATE_ONLY_END if end_of_day else datetime.time(0, 0))
    return datetime.datetime.combine(day, moment, tzinfo=JST).isoformat()


def _value(yen: int | None, basis: str) -> dict[str, Any] | None:
    if yen is None:
        return None
    value: dict[str, Any] = {"amount": yen, "currency": "JPY"}
    if basis in TAX_BASIS:
        value["taxBasis"] = TAX_BASIS[basis]
    return value


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    """OCDS asks publishers to omit fields they have no value for rather than write "" or null."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _buyer_party(notice: Notice) -> dict[str, Any]:
    municipality = notice.municipality
    return _drop_empty({
        "id": buyer_party_id(municipality),
        "name": municipality.full_name,
        "identifier": {"scheme": JCN, "id": local_government_corporate_number(municipality.lg_code),
                       "legalName": municipality.full_name},
        "additionalIdentifiers": [{"scheme": LG_CODE, "id": municipality.lg_code, "legalName": municipality.full_name}],
        "address": _drop_empty({"region": municipality.prefecture.name, "locality": municipality.name,
                                "countryName": "日本"}),
        "contactPoint": {"name": notice.department} if notice.department else None,
        "roles": ["buyer", "procuringEntity"],
    })


def _supplier_party(organisation: Organisation) -> dict[str, Any]:
    party: dict[str, Any] = {"id": supplier_party_id(organisation), "name": organisation.name}
    if organisation.corporate_number:
        party["identifier"] = {"scheme": JCN, "id": organisation.corporate_number, "legalName": organisation.name}
    party["roles"] = ["supplier"]
    return party


def _award(ocid: str, award: Award) -> dict[str, Any]:
    winner = award.winner
    return _drop_empty({
        "id": f"{ocid}-award-{supplier_party_id(winner)}",
        "status": "active",
        "date": ocds_datetime(award.awarded_on) if award.awarded_on else None,
        "value": _value(award.amount_yen, award.amount_tax_basis),
        "suppliers": [{"id": supplier_party_id(winner), "name": winner.name}],
        "description": award.notes,
        "estimatedValue": _value(award.estimated_value_yen, award.estimated_value_tax_basis),
        "numberOfBidders": award.bidders,
        "evaluationScore": float(award.score) if award.score is not None else None,
    })


def _tags(notice: Notice, has_awards: bool) -> list[str]:
    if notice.cancelled:
        tags = ["tenderCancellation"]
    elif is_correction_title(notice.title):
        tags = ["tenderUpdate"]  # the municipality republished the call with corrections (訂正公告)
    else:
        tags = ["tender"]
    return [*tags, "award"] if has_awards else tags


def _period(end_day: datetime.date | None, end_time: datetime.time | None, start: str | None = None) -> dict | None:
    period = {"startDate": start} if start else {}
    if end_day:
        period["endDate"] = ocds_datetime(end_day, end_time, end_of_day=True)
    return period or None


def notice_release(notice: Notice) -> dict[str, Any]:
    """The notice as an OCDS release. Expects municipality__prefecture selected and awards__winner prefetched."""
    ocid = notice_ocid(notice)
    kind = NoticeKind(notice.kind)
    awards = list(notice.awards.all())
    published = ocds_datetime(notice.published_on)
    documents = []
    if notice.source_url:
        documents.append({"id": "source", "documentType": "tenderNotice", "title": notice.title,
                          "url": notice.source_url, "datePublished": published, "language": "ja"})
    tender = _drop_empty({
        "id": tender_id(notice),
        "title": notice.title,
        "description": notice.description,
        "status": TENDER_STATUS[NoticeStatus(notice.status)],
        "procuringEntity": {"id": buyer_party_id(notice.municipality), "name": notice.municipality.full_name},
        "value": _value(notice.budget_yen, notice.budget_tax_basis),
        "procurementMethod": METHOD.get(kind),
        "procurementMethodDetails": canonical_label(kind),
        "mainProcurementCategory": CATEGORY.get(kind),
        "awardCriteria": AWARD_CRITERIA.get(kind),
        "tenderPeriod": _period(notice.submission_deadline, notice.submission_deadline_time, start=published),
        "enquiryPeriod": _period(notice.enquiry_deadline, notice.enquiry_deadline_time),
        "eligibilityCriteria": notice.eligibility,
        "numberOfTenderers": awards[0].bidders if len(awards) == 1 else None,
        "documents": documents,
        "budgetText": notice.budget_text,
        "applicationPeriod": _period(notice.application_deadline, notice.application_deadline_time),
        "contractPeriodText": notice.contract_period,
        "subjectAreas": list(notice.categories),
        "npoEligible": notice.npo_eligible,
        "remarks": notice.notes,
    })
    parties = [_buyer_party(notice)]
    seen = {parties[0]["id"]}
    for award in awards:
        party = _supplier_party(award.winner)
        if party["id"] not in seen:
            seen.add(party["id"])
            parties.append(party)
    dates = [notice.published_on, *(a.awarded_on for a in awards if a.awarded_on)]
    release = {
        "ocid": ocid,
        "id": "",
        "date": ocds_datetime(max(dates)),
        "tag": _tags(notice, bool(awards)),
        "initiationType": "tender",
        "language": "ja",
        "parties": parties,
        "buyer": {"id": parties[0]["id"], "name": parties[0]["name"]},
        "tender": tender,
    }
    if awards:
        release["awards"] = [_award(ocid, a) for a in awards]
    digest = hashlib.sha1(json.dumps(release, ensure_ascii=False, sort_keys=True).encode("utf-8"),
                          usedforsecurity=False).hexdigest()[:12]
    release["id"] = f"{ocid}-{digest}"
    return release


# What each value of Tsunagu becomes in a release: shown on /opendata/ and kept equal to docs/opendata.md by a
# test. (label, OCDS path, whether it is in the Tsunagu extension)
FIELDS: tuple[tuple[Any, str, bool], ...] = (
    (_("管理ID"), "tender.id", False),
    (_("自治体（団体コード）"), "buyer / parties[buyer]", False),
    (_("担当課"), "parties[buyer].contactPoint.name", False),
    (_("案件名"), "tender.title", False),
    (_("概要"), "tender.description", False),
    (_("公募種別"), "tender.procurementMethodDetails", False),
    (_("状態"), "tender.status", False),
    (_("公告日"), "tender.tenderPeriod.startDate", False),
    (_("質問締切"), "tender.enquiryPeriod.endDate", False),
    (_("参加申込締切"), "tender.applicationPeriod.endDate", True),
    (_("提出期限"), "tender.tenderPeriod.endDate", False),
    (_("上限額"), "tender.value.amount", False),
    (_("上限額の税区分"), "tender.value.taxBasis", True),
    (_("上限額（原文）"), "tender.budgetText", True),
    (_("契約期間"), "tender.contractPeriodText", True),
    (_("分野"), "tender.subjectAreas", True),
    (_("参加資格"), "tender.eligibilityCriteria", False),
    (_("NPO参加可"), "tender.npoEligible", True),
    (_("出典URL"), "tender.documents[].url", False),
    (_("備考"), "tender.remarks", True),
    (_("落札者"), "awards[].suppliers / parties[supplier]", False),
    (_("法人番号"), "parties[supplier].identifier (JP-JCN)", False),
    (_("決定日"), "awards[].date", False),
    (_("落札金額"), "awards[].value.amount", False),
    (_("落札金額の税区分"), "awards[].value.taxBasis", True),
    (_("予定価格"), "awards[].estimatedValue", True),
    (_("応札者数"), "awards[].numberOfBidders", True),
    (_("評価点"), "awards[].evaluationScore", True),
    (_("備考（落札）"), "awards[].description", False),
)
