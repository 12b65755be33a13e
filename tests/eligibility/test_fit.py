"""Why a call fits or may not: each requirement against the profile, with the reason in words."""

import datetime

import pytest

from tests.factories import NoticeFactory, UserFactory, municipality
from tsunagu.eligibility.fit import CHECK, NO, OK, notice_fit
from tsunagu.eligibility.models import OrganisationType
from tsunagu.eligibility.services import profile_save, registration_add

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


def profile(org_type=OrganisationType.NPO, home="131016", **kwargs):
    return profile_save(user=UserFactory(), org_type=org_type, municipality=municipality(home), **kwargs)


def reasons(notice, prof):
    fit = notice_fit(notice, prof, list(prof.registrations.all()), today=TODAY)
    return fit.verdict, [(r.verdict, r.text) for r in fit.reasons]


def test_an_office_in_the_city_is_met_by_an_organisation_of_that_city_and_not_by_another():
    notice = NoticeFactory(eligibility="千代田区内に本店又は営業所を有する者。")
    assert reasons(notice, profile()) == ("ok", [(OK, "千代田区内に事務所が必要：あなたは東京都千代田区")])
    assert reasons(notice, profile(home="131024")) == ("no", [(NO, "千代田区内に事務所が必要：あなたは東京都中央区")])


def test_a_registration_is_needed_where_the_call_says_and_an_expired_one_does_not_count():
    notice = NoticeFactory(eligibility="千代田区の競争入札参加資格者名簿（役務）に登載されている者。")
    prof = profile(org_type=OrganisationType.COMPANY)
    assert reasons(notice, prof)[1] == [(NO, "入札参加資格が必要（千代田区・役務（業務委託））：登録なし")]
    registration_add(profile=prof, body=municipality("131016"), category="services", valid_until=datetime.date(2026, 3, 31))
    assert reasons(notice, prof)[1][0][1].endswith("登録の有効期限が切れています")
    registration_add(profile=prof, body=municipality("131016"), category="")
    assert reasons(notice, prof) == ("ok", [(OK, "入札参加資格が必要（千代田区・役務（業務委託））：登録あり")])


def test_a_prefecture_register_is_met_by_a_registration_with_the_prefecture():
    notice = NoticeFactory(eligibility="東京都の競争入札参加資格を有する者。")
    prof = profile(org_type=OrganisationType.COMPANY)
    registration_add(profile=prof, body=municipality("130001"))
    assert reasons(notice, prof)[0] == "ok"


def test_legal_personality_and_organisation_type_rules():
    corporate = NoticeFactory(eligibility="法人格を有する者（特定非営利活動法人を含む。）。")
    assert reasons(corporate, profile())[0] == "ok"
    assert reasons(corporate, profile(org_type=OrganisationType.VOLUNTARY))[1] == [(NO, "法人格が必要：あなたは任意団体（法人格なし）")]
    civic = NoticeFactory(eligibility="市内に活動拠点を有する市民活動団体、NPO法人等。営利・宗教・政治活動を目的とする団体を除く。")
    assert reasons(civic, profile(org_type=OrganisationType.COMPANY))[0] == "no"
    no_individual = NoticeFactory(eligibility="法人その他の団体（個人は不可）。")
    assert reasons(no_individual, profile(org_type=OrganisationType.SOLE_PROPRIETOR))[0] == "no"


def test_member_and_year_rules_are_uncertain_until_the_profile_says():
    notice = NoticeFactory(eligibility="千代田区内で活動する団体（5人以上で構成され、1年以上の活動実績があること）。")
    assert reasons(notice, profile())[1][1:] == [(CHECK, "5人以上で構成する団体が対象：人数が未登録"),
                                                  (CHECK, "1年以上の活動実績が必要：活動年数が未登録")]
    assert reasons(notice, profile(member_count=8, years_active=3))[0] == "ok"
    assert reasons(notice, profile(member_count=3, years_active=3))[0] == "no"


def test_an_unreadable_sentence_is_to_be_checked_with_the_sentence_quoted():
    notice = NoticeFactory(eligibility="代表者が市税を滞納していないこと。")
    fit = notice_fit(notice, profile(), [], today=TODAY)
    assert fit.verdict == "check"
    assert (fit.reasons[0].text, fit.reasons[0].quote) == ("要確認：この条件は自動では判断できません", "代表者が市税を滞納していないこと。")


def test_a_call_closed_to_npos_does_not_fit_an_npo():
    notice = NoticeFactory(eligibility="法人又は法人のグループ。", npo_eligible=False)
    assert reasons(notice, profile())[1][-1] == (NO, "NPO・市民活動団体の参加：不可と記載")
