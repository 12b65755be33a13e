"""The 参加資格 parser over realistic sentences: each gives the requirements it states; nothing is dropped."""

import pytest

from tsunagu.eligibility import parser as p

CASES = [
    ("千代田区の競争入札参加資格者名簿に登載されている者で、千代田区内に本店又は営業所を有する者。",
     [(p.OFFICE_IN_AREA, p.MUNICIPALITY), (p.REGISTERED, p.MUNICIPALITY)]),
    ("入札参加資格者名簿（役務）に登載されている者。", [(p.REGISTERED, p.MUNICIPALITY)]),
    ("東京都の競争入札参加資格を有する者。", [(p.REGISTERED, p.PREFECTURE)]),
    ("県内に本社又は主たる事務所を有すること。", [(p.OFFICE_IN_AREA, p.PREFECTURE)]),
    ("市内で活動する団体（5人以上で構成され、1年以上の活動実績があること）。",
     [(p.ACTIVE_IN_AREA, p.MUNICIPALITY), (p.MEMBERS, ""), (p.YEARS_ACTIVE, "")]),
    ("法人格を有する者（特定非営利活動法人を含む。）。共同企業体での参加も可。", [(p.CORPORATION, ""), (p.GROUP_OK, "")]),
    ("法人その他の団体（個人は不可）。", [(p.NO_INDIVIDUAL, "")]),
    ("市内に事業所を有する中小企業者又は個人事業主。", [(p.OFFICE_IN_AREA, p.MUNICIPALITY), (p.SMALL_BUSINESS, "")]),
    ("市内に活動拠点を有する市民活動団体、NPO法人等。営利・宗教・政治活動を目的とする団体を除く。",
     [(p.OFFICE_IN_AREA, p.MUNICIPALITY), (p.CIVIC_GROUP, ""), (p.NOT_FOR_PROFIT, "")]),
    ("過去5年間に地方公共団体から同種業務を受託した実績を有する者。", [(p.TRACK_RECORD, "")]),
    ("地方自治法施行令第167条の4の規定に該当しない者。", [(p.DISQUALIFICATION, "")]),
    ("競争入札参加資格者名簿に登載されている者のうちから指名します。", [(p.REGISTERED, p.MUNICIPALITY), (p.NOMINATION, "")]),
    ("暴力団員等でないこと。", [(p.UNKNOWN, "")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:16] for c in CASES])
def test_a_sentence_gives_the_requirements_it_states(text, expected):
    assert [(r.kind, r.scope) for r in p.parse_eligibility(text)] == expected


def test_a_registration_category_in_brackets_is_read():
    assert p.parse_eligibility("入札参加資格者名簿（役務）に登載されている者。")[0].category == "services"
    assert p.parse_eligibility("法人格を有する者（特定非営利活動法人を含む。）。")[0].npo_named


def test_numbers_are_read_from_member_and_year_rules():
    members, years = p.parse_eligibility("5人以上で構成され、3年以上の活動実績があること。")
    assert (members.number, years.number) == (5, 3)


def test_an_unreadable_sentence_is_kept_with_its_text_and_brackets_do_not_split_sentences():
    requirements = p.parse_eligibility("法人格を有する者（NPO法人を含む。）。\n代表者が市税を滞納していないこと")
    assert [r.kind for r in requirements] == [p.CORPORATION, p.UNKNOWN]
    assert requirements[1].sentence == "代表者が市税を滞納していないこと"
