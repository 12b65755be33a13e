import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.core.text import (
    VARIANTS_FILE,
    fold_era_years,
    normalize_text,
    organisation_display_name,
    organisation_name_key,
    reload_variants,
    variant_groups,
)

FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"})


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


@pytest.fixture
def extra_variants(settings, tmp_path):
    """Point TEXT_VARIANT_FILES at a file the test writes; forget the loaded groups before and after."""
    path = tmp_path / "extra_variants.txt"
    settings.TEXT_VARIANT_FILES = [str(path)]
    reload_variants()
    yield path
    reload_variants()


# --- normalize_text: width, case, whitespace ----------------------------------------------------------------


def test_normalize_text_folds_full_width_letters_and_digits():
    assert normalize_text("Ｐｏｌｅ＆Ｌｉｎｅ合同会社　１２３") == "pole&line合同会社 123"


def test_normalize_text_folds_half_width_katakana():
    assert normalize_text("ｼｽﾃﾑ") == "システム"


def test_normalize_text_folds_case():
    assert normalize_text("ICT Straße") == "ict strasse"


def test_normalize_text_collapses_every_kind_of_whitespace_to_one_space():
    assert normalize_text("市民\u3000\u3000活動\t支援\n事業") == "市民 活動 支援 事業"


def test_normalize_text_strips_leading_and_trailing_whitespace():
    assert normalize_text("\u3000 観光振興 \n") == "観光振興"


def test_normalize_text_of_blank_text_is_empty():
    assert normalize_text(" \u3000\t") == ""


# --- variant groups -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("子供", "子ども"),
        ("こども", "子ども"),
        ("障がい", "障害"),
        ("障碍", "障害"),
        ("取り組み", "取組"),
        ("取組み", "取組"),
        ("申し込み", "申込"),
        ("申込み", "申込"),
        ("問い合わせ", "問合せ"),
        ("問合わせ", "問合せ"),
        ("受け付け", "受付"),
        ("売り払い", "売払"),
        ("売払い", "売払"),
        ("貸し付け", "貸付"),
        ("貸付け", "貸付"),
        ("引き渡し", "引渡"),
        ("引渡し", "引渡"),
        ("打ち合わせ", "打合せ"),
        ("打合わせ", "打合せ"),
        ("届け出", "届出"),
        ("手続き", "手続"),
        ("見積もり", "見積"),
        ("見積り", "見積"),
        ("割り当て", "割当"),
        ("取り扱い", "取扱"),
        ("取扱い", "取扱"),
        ("繰り越し", "繰越"),
        ("組み合わせ", "組合せ"),
        ("締め切り", "締切"),
        ("サーバー", "サーバ"),
    ],
)
def test_a_variant_spelling_is_folded_to_the_canonical_form(variant, canonical):
    assert normalize_text(variant) == canonical


def test_a_variant_inside_a_longer_title_is_folded():
    assert normalize_text("子供の居場所づくりに関する取り組み") == "子どもの居場所づくりに関する取組"


def test_the_longest_variant_is_folded_whole():
    # 取り組み must not become 取組み by folding only a prefix of it
    assert normalize_text("取り組み状況") == "取組状況"


def test_a_canonical_form_is_left_alone():
    assert normalize_text("子ども・障害・取組・申込") == "子ども・障害・取組・申込"


def test_a_full_width_variant_is_folded_like_its_half_width_form():
    assert normalize_text("ｻｰﾊﾞｰ保守") == normalize_text("サーバ保守") == "サーバ保守"


def test_a_folded_variant_that_forms_another_variant_reaches_the_fixed_point():
    assert normalize_text("申し込みみ") == normalize_text(normalize_text("申し込みみ"))


def test_different_words_are_not_variants_of_each_other():
    assert normalize_text("維持管理") == "維持管理"
    assert normalize_text("ホームページ") != normalize_text("HP")


def test_every_variant_group_has_at_least_two_forms():
    assert all(len(group) >= 2 for group in variant_groups())


def test_no_form_is_in_two_variant_groups():
    forms = [form for group in variant_groups() for form in group]
    assert len(forms) == len(set(forms))


def test_every_form_of_every_group_normalises_to_its_canonical_form():
    for group in variant_groups():
        assert {normalize_text(form) for form in group} == {group[0]}, group


def test_the_seed_groups_of_the_variants_file_are_loaded():
    canonicals = {group[0] for group in variant_groups()}
    assert {"子ども", "障害", "取組", "申込", "問合せ", "受付", "見積", "割当"} <= canonicals
    assert len(canonicals) >= 28


def test_the_variants_file_is_shipped_with_its_readme():
    assert VARIANTS_FILE.is_file()
    assert (VARIANTS_FILE.parent / "README.md").is_file()


def test_text_variant_files_setting_adds_groups(extra_variants):
    extra_variants.write_text("つなぐ・ツナグ・繋ぐ\n", encoding="utf-8")
    assert normalize_text("繋ぐ事業") == "つなぐ事業"
    assert normalize_text("子供") == "子ども"  # the shipped groups still apply


def test_a_variant_file_accepts_commas_comments_and_a_bom(extra_variants):
    extra_variants.write_text("\ufeff# 追加の表記ゆれ\n\nあいう,アイウ  # 行末のコメント\nかきく，カキク\n", encoding="utf-8")
    assert normalize_text("アイウ") == "あいう"
    assert normalize_text("カキク") == "かきく"


def test_a_variant_file_form_is_normalised_like_the_text_it_matches(extra_variants):
    extra_variants.write_text("ｗｅｂサイト・ウェブサイト\n", encoding="utf-8")
    assert normalize_text("ウェブサイト") == "webサイト"


def test_an_unreadable_variant_file_is_improperly_configured(extra_variants):
    with pytest.raises(ImproperlyConfigured, match="TEXT_VARIANT_FILES"):
        normalize_text("子供")


def test_reload_variants_forgets_groups_of_a_removed_file(settings, extra_variants):
    extra_variants.write_text("つなぐ・繋ぐ\n", encoding="utf-8")
    assert normalize_text("繋ぐ") == "つなぐ"
    settings.TEXT_VARIANT_FILES = []
    reload_variants()
    assert normalize_text("繋ぐ") == "繋ぐ"


def test_normalize_text_works_without_django_settings():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", "from tsunagu.core.text import normalize_text as n; print(n('Ｒ７年度 子供'))"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert result.stdout.strip() == "2025年度 子ども"


# --- era years ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("令和7年度", "2025年度"),
        ("r7年度", "2025年度"),
        ("R7年度", "2025年度"),
        ("令7年度", "2025年度"),
        ("令和元年度", "2019年度"),
        ("r元年度", "2019年度"),
        ("平成30年度", "2018年度"),
        ("h30年度", "2018年度"),
        ("平30年度", "2018年度"),
        ("昭和60年", "1985年"),
        ("令和7年", "2025年"),
        ("令和7年4月1日", "2025年4月1日"),
        ("令和 7 年度", "2025年度"),
        ("令和7年度 観光振興事業 (令和8年度分)", "2025年度 観光振興事業 (2026年度分)"),
    ],
)
def test_fold_era_years_writes_era_years_as_western_years(text, folded):
    assert fold_era_years(text) == folded


@pytest.mark.parametrize("text", ["令和7号", "r7", "(r8)", "hr7年度", "命令7年", "2025年度", "第7年度", "令和100年"])
def test_fold_era_years_leaves_everything_else_alone(text):
    assert fold_era_years(text) == text


@pytest.mark.parametrize("text", ["令和７年度", "Ｒ７年度", "R7年度", "r7年度", "令7年度", "2025年度", "２０２５年度"])
def test_era_and_western_fiscal_years_normalise_to_one_token(text):
    assert normalize_text(text) == "2025年度"


def test_normalize_text_folds_era_years_in_a_title():
    assert normalize_text("【Ｒ７年度】子供食堂支援事業") == "【2025年度】子ども食堂支援事業"


# --- organisation names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("㈱つなぐ", "株式会社つなぐ"),
        ("(株)つなぐ", "株式会社つなぐ"),
        ("（株）つなぐ", "株式会社つなぐ"),
        ("( 株 )つなぐ", "株式会社つなぐ"),
        ("㈲つなぐ", "有限会社つなぐ"),
        ("(有)つなぐ", "有限会社つなぐ"),
        ("(同)つなぐ", "合同会社つなぐ"),
        ("(名)つなぐ", "合名会社つなぐ"),
        ("(資)つなぐ", "合資会社つなぐ"),
        ("(一社)つなぐ", "一般社団法人つなぐ"),
        ("(公社)つなぐ", "公益社団法人つなぐ"),
        ("(一財)つなぐ", "一般財団法人つなぐ"),
        ("(公財)つなぐ", "公益財団法人つなぐ"),
        ("(特非)つなぐ", "特定非営利活動法人つなぐ"),
        ("NPO法人つなぐ", "特定非営利活動法人つなぐ"),
        ("ＮＰＯ法人つなぐ", "特定非営利活動法人つなぐ"),
        ("npo法人 つなぐ", "特定非営利活動法人つなぐ"),
        ("特定非営利活動法人つなぐ", "特定非営利活動法人つなぐ"),
        ("(社福)つなぐ", "社会福祉法人つなぐ"),
        ("(医)つなぐ会", "医療法人つなぐ会"),
        ("(学)つなぐ学園", "学校法人つなぐ学園"),
    ],
)
def test_organisation_name_key_writes_legal_forms_in_full(name, key):
    assert organisation_name_key(name) == key


def test_organisation_name_key_keeps_the_position_of_the_legal_form():
    assert organisation_name_key("つなぐ(株)") == "つなぐ株式会社"
    assert organisation_name_key("株式会社つなぐ") != organisation_name_key("つなぐ株式会社")


def test_organisation_name_key_removes_whitespace_and_middle_dots():
    assert organisation_name_key("つなぐ・ラボ　株式会社") == "つなぐラボ株式会社"
    assert organisation_name_key("つなぐ･ラボ 株式会社") == "つなぐラボ株式会社"


def test_organisation_name_key_folds_width_and_case():
    assert organisation_name_key("ＴＳＵＮＡＧＵ　Ｌａｂ（株）") == organisation_name_key("tsunagu lab(株)")


def test_organisation_name_key_leaves_other_brackets_alone():
    assert organisation_name_key("つなぐ(東京)") == "つなぐ(東京)"


def test_organisation_display_name_writes_legal_forms_in_full():
    assert organisation_display_name("㈱つなぐ") == "株式会社つなぐ"


def test_organisation_display_name_keeps_case_and_collapses_whitespace():
    assert organisation_display_name("  ＡＢＣ　　Ｌａｂ（株） ") == "ABC Lab株式会社"


def test_organisation_display_name_writes_npo_in_full():
    assert organisation_display_name("ＮＰＯ法人 つなぐ") == "特定非営利活動法人 つなぐ"


# --- properties ---------------------------------------------------------------------------------------------

# Characters that exercise variant folding and era years, mixed with arbitrary text.
_INTERESTING = list("子供どもこ障害がい碍取り組み申込問合わせ扱い受付けサーバ令和平成昭元年度rhsRH0123456789 　Ｒ７")
interesting_text = st.text(alphabet=st.sampled_from(_INTERESTING), max_size=30) | st.text(max_size=30)
name_letters = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Lo"), exclude_characters="・･"), min_size=1, max_size=12
)


@given(interesting_text)
def test_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30))
def test_full_width_variants_of_a_text_give_the_same_normalised_text(text):
    assert normalize_text(full_width(text)) == normalize_text(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30))
def test_full_width_variants_of_a_name_give_the_same_organisation_key(name):
    assert organisation_name_key(full_width(name)) == organisation_name_key(name)


@given(name_letters)
def test_every_spelling_of_kabushiki_gaisha_gives_one_organisation_key(name):
    key = organisation_name_key("株式会社" + name)
    assert organisation_name_key("㈱" + name) == key
    assert organisation_name_key("(株) " + name) == key
    assert organisation_name_key("（株）" + name) == key


@given(name_letters)
def test_organisation_name_key_is_idempotent(name):
    key = organisation_name_key(name)
    assert organisation_name_key(key) == key


# --- speed --------------------------------------------------------------------------------------------------
