"""Whether a call fits an organisation, and why: each requirement read from the call's 参加資格 is checked
against the profile and gives a reason (満たす / 満たさない / 要確認 / 参考). Pure: takes the notice, the profile
and its registrations; no queries."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tsunagu.municipalities.models import Municipality
from tsunagu.notices.models import Notice

from . import parser as p
from .models import EligibilityProfile, OrganisationType, Registration, RegistrationCategory

OK, NO, CHECK, INFO = "ok", "no", "check", "info"
VERDICT_ORDER = {OK: 0, CHECK: 1, NO: 2}


@dataclass
class Reason:
    verdict: str
    text: str
    quote: str = ""  # the sentence of the call it rests on


@dataclass
class Fit:
    notice: Notice
    reasons: list[Reason] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """no when any requirement fails, check when any is uncertain, else ok."""
        verdicts = {r.verdict for r in self.reasons}
        return NO if NO in verdicts else CHECK if CHECK in verdicts else OK

    @property
    def checks(self) -> int:
        return sum(r.verdict == CHECK for r in self.reasons)

    @property
    def label(self) -> str:
        return {OK: _("応募できそう"), CHECK: _("要確認の条件あり"), NO: _("条件に合わない可能性")}[self.verdict]

    def rank(self) -> tuple:
        deadline = self.notice.last_deadline or datetime.date.max
        return (VERDICT_ORDER[self.verdict], self.checks, deadline, self.notice.pk)


def _area_name(notice: Notice, scope: str) -> tuple[str, Municipality | None]:
    municipality = notice.municipality
    if scope == p.PREFECTURE or municipality.level == Municipality.Level.PREFECTURE:
        return municipality.prefecture.name, None
    return municipality.name, municipality


def notice_fit(notice: Notice, profile: EligibilityProfile, registrations: list[Registration],
               *, today: datetime.date) -> Fit:
    fit = Fit(notice=notice)
    add = fit.reasons.append
    org_type = profile.org_type
    type_label = OrganisationType(org_type).label
    home = profile.municipality
    requirements = p.parse_eligibility(notice.eligibility or "")
    if not requirements:
        add(Reason(CHECK, _("参加資格の記載がありません：公告で確認してください")))

    for req in requirements:
        quote = req.sentence
        if req.kind in (p.OFFICE_IN_AREA, p.ACTIVE_IN_AREA):
            area, municipality = _area_name(notice, req.scope)
            inside = home.pk == municipality.pk if municipality else home.prefecture_id == notice.municipality.prefecture_id
            if req.kind == p.OFFICE_IN_AREA:
                text = _("%(area)s内に事務所が必要：あなたは%(home)s") % {"area": area, "home": home.full_name}
                add(Reason(OK if inside else NO, text, quote))
            else:
                text = _("%(area)s内で活動する団体が対象：あなたは%(home)s") % {"area": area, "home": home.full_name}
                add(Reason(OK if inside else CHECK, text if inside else text + _("（%(area)s内で活動していれば可）") % {"area": area}, quote))
        elif req.kind == p.REGISTERED:
            body = notice.municipality
            if req.scope == p.PREFECTURE and body.level != Municipality.Level.PREFECTURE:
                body = None  # the prefecture's register: matched by prefecture below
            held = [
                r for r in registrations
                if (r.body_id == body.pk if body else (r.body.level == Municipality.Level.PREFECTURE
                                                      and r.body.prefecture_id == notice.municipality.prefecture_id))
                and (not req.category or not r.category or r.category == req.category)
            ]
            where = body.name if body else notice.municipality.prefecture.name
            category = RegistrationCategory(req.category).label if req.category else ""
            need = _("入札参加資格が必要（%(where)s%(category)s）") % {"where": where, "category": f"・{category}" if category else ""}
            valid = [r for r in held if r.valid_until is None or r.valid_until >= today]
            if valid:
                add(Reason(OK, need + _("：登録あり"), quote))
            elif held:
                add(Reason(NO, need + _("：登録の有効期限が切れています"), quote))
            else:
                add(Reason(NO, need + _("：登録なし"), quote))
        elif req.kind == p.CORPORATION:
            ok = org_type in OrganisationType.corporations()
            add(Reason(OK if ok else NO, _("法人格が必要：あなたは%(type)s") % {"type": type_label}, quote))
        elif req.kind == p.NO_INDIVIDUAL:
            ok = org_type != OrganisationType.SOLE_PROPRIETOR
            add(Reason(OK if ok else NO, _("個人では応募できません：あなたは%(type)s") % {"type": type_label}, quote))
        elif req.kind == p.SMALL_BUSINESS:
            if org_type in (OrganisationType.COMPANY, OrganisationType.COOPERATIVE, OrganisationType.SOLE_PROPRIETOR):
                add(Reason(OK, _("中小企業者・個人事業主が対象：あなたは%(type)s") % {"type": type_label}, quote))
            else:
                add(Reason(CHECK, _("中小企業者・個人事業主が対象：%(type)sが含まれるかは要確認") % {"type": type_label}, quote))
        elif req.kind == p.CIVIC_GROUP:
            ok = org_type in OrganisationType.non_profits()
            add(Reason(OK if ok else NO, _("市民活動団体・NPO法人等が対象：あなたは%(type)s") % {"type": type_label}, quote))
        elif req.kind == p.NOT_FOR_PROFIT:
            ok = org_type not in (OrganisationType.COMPANY, OrganisationType.SOLE_PROPRIETOR)
            verdict = OK if ok else CHECK if org_type == OrganisationType.SOLE_PROPRIETOR else NO
            add(Reason(verdict, _("営利を目的とする団体は対象外：あなたは%(type)s") % {"type": type_label}, quote))
        elif req.kind in (p.MEMBERS, p.YEARS_ACTIVE):
            have = profile.member_count if req.kind == p.MEMBERS else profile.years_active
            if req.kind == p.MEMBERS:
                need = _("%(n)d人以上で構成する団体が対象") % {"n": req.number}
                mine = _("あなたは%(n)d人") % {"n": have} if have is not None else _("人数が未登録")
            else:
                need = _("%(n)d年以上の活動実績が必要") % {"n": req.number}
                mine = _("あなたは%(n)d年") % {"n": have} if have is not None else _("活動年数が未登録")
            verdict = CHECK if have is None else OK if have >= req.number else NO
            add(Reason(verdict, f"{need}：{mine}", quote))
        elif req.kind == p.TRACK_RECORD:
            add(Reason(CHECK, _("同種・類似業務の実績が必要：ご自身の実績で確認してください"), quote))
        elif req.kind == p.NOMINATION:
            add(Reason(CHECK, _("指名競争入札：自治体に指名された者だけが参加できます"), quote))
        elif req.kind == p.DISQUALIFICATION:
            add(Reason(INFO, _("欠格事由（地方自治法施行令第167条の4など）に当たらないこと"), quote))
        elif req.kind == p.GROUP_OK:
            add(Reason(INFO, _("共同企業体・グループでの応募もできます"), quote))
        else:
            add(Reason(CHECK, _("要確認：この条件は自動では判断できません"), quote))

    if org_type in OrganisationType.non_profits() and notice.npo_eligible is not None:
        if notice.npo_eligible:
            add(Reason(OK, _("NPO・市民活動団体の参加：可と記載")))
        elif org_type in (OrganisationType.NPO, OrganisationType.VOLUNTARY):
            add(Reason(NO, _("NPO・市民活動団体の参加：不可と記載")))
    return fit
