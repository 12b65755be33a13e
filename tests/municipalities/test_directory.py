from decimal import Decimal

import pytest

from tsunagu.core.errors import AmbiguousName, DomainError, NotFound, ValueParseError
from tsunagu.municipalities.directory import MunicipalityDirectory, municipality_directory_invalidate
from tsunagu.municipalities.models import Municipality, Ward
from tsunagu.municipalities.selectors import municipality_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_directory():
    municipality_directory_invalidate()
    yield
    municipality_directory_invalidate()


@pytest.fixture
def directory() -> MunicipalityDirectory:
    return MunicipalityDirectory.load()


def test_the_directory_is_built_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        directory = MunicipalityDirectory.load()
    assert len(directory) == 1788 + 175


def test_resolved_municipalities_need_no_further_query_for_their_full_name(
    directory, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert directory.resolve(code="131016", name=None).full_name == "東京都千代田区"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("131016", "東京都千代田区"),
        ("13101", "東京都千代田区"),
        ("１３１０１６", "東京都千代田区"),
        (" 131016 ", "東京都千代田区"),
        ("011002", "北海道札幌市"),
        ("130001", "東京都"),
    ],
)
def test_a_code_with_or_without_its_check_digit_resolves(directory, code, expected):
    assert directory.resolve(code=code, name=None).full_name == expected


def test_a_ward_code_resolves_to_its_city(directory):
    sapporo = directory.resolve(code="011011", name=None)
    assert sapporo.lg_code == "011002"
    assert sapporo.level == Municipality.Level.DESIGNATED_CITY


def test_a_code_with_a_wrong_check_digit_is_refused_in_the_code_column(directory):
    with pytest.raises(ValueParseError) as error:
        directory.resolve(code="131017", name=None)
    assert error.value.field == "団体コード"
    assert "検査数字" in error.value.message


def test_an_unknown_code_is_not_found_in_the_code_column(directory):
    with pytest.raises(NotFound) as error:
        directory.resolve(code="999997", name=None)
    assert error.value.field == "団体コード"
    assert "999997" in error.value.message


def test_a_code_that_lost_its_leading_zero_gets_a_hint(directory):
    with pytest.raises(NotFound) as error:
        directory.resolve(code="11002", name=None)
    assert "011002" in error.value.message and "北海道札幌市" in error.value.message


# --- 団体コード typed as a number in a spreadsheet ----------------------------------------------------------


def _codes_with_a_leading_zero() -> list[tuple[str, str]]:
    """(code, the lg_code it resolves to) of every local government and ward whose code starts with 0."""
    municipalities = Municipality.objects.filter(lg_code__startswith="0").values_list("lg_code", "lg_code")
    wards = Ward.objects.filter(lg_code__startswith="0").values_list("lg_code", "city__lg_code")
    return sorted([*municipalities, *wards])


@pytest.mark.parametrize("as_number", [int, float], ids=["int", "float"])
def test_every_code_with_a_leading_zero_typed_as_a_number_never_resolves_to_another_municipality(
    directory, as_number
):
    codes = _codes_with_a_leading_zero()
    assert len(codes) > 400  # 北海道, 青森, 岩手, 宮城, 秋田, 山形, 福島, 茨城, 栃木 and their wards
    ambiguous = []
    for code, expected in codes:
        try:
            resolved = directory.resolve(code=as_number(int(code)), name=None)
        except AmbiguousName as error:
            assert f"{code}（" in error.message, code
            assert any(candidate.startswith(f"{code}（") for candidate in error.candidates), code
            assert error.field == "団体コード"
            ambiguous.append(code)
        else:
            assert resolved.lg_code == expected, code
    assert "012203" in ambiguous  # 北海道士別市 or 千葉県市川市
    assert len(ambiguous) < len(codes) / 10


@pytest.mark.parametrize("code", [12203, 12203.0, Decimal("12203")], ids=["int", "float", "decimal"])
def test_a_number_read_as_two_local_governments_is_ambiguous_and_the_message_lists_both(directory, code):
    with pytest.raises(AmbiguousName) as error:
        directory.resolve(code=code, name=None)
    assert error.value.message == (
        "団体コード 12203 は「012203（北海道士別市）」とも「122033（千葉県市川市）」とも読めます。"
        "先頭の0を含む6桁を文字列として書いてください（例：'012203）。"
    )
    assert error.value.candidates == ["012203（北海道士別市）", "122033（千葉県市川市）"]
    assert error.value.field == "団体コード"


@pytest.mark.parametrize("code", ["12203", "12203.0", " 12203 ", "１２２０３", "122033", 122033])
def test_a_text_of_five_digits_is_still_a_code_without_check_digit(directory, code):
    assert directory.resolve(code=code, name=None).full_name == "千葉県市川市"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (11002, "北海道札幌市"),  # 011002; 110027 does not exist
        (11002.0, "北海道札幌市"),
        (11011, "北海道札幌市"),  # 011011 is 札幌市中央区
        (1100, "北海道札幌市"),  # 01100 + check digit
        (13101, "東京都千代田区"),  # 13101 + check digit; 013101 is not a code
        (131016, "東京都千代田区"),
        (131016.0, "東京都千代田区"),
        (130001, "東京都"),
        (12203.0, None),
    ],
)
def test_a_number_resolves_to_the_one_reading_that_exists(directory, code, expected):
    if expected is None:
        with pytest.raises(AmbiguousName):
            directory.resolve(code=code, name=None)
    else:
        assert directory.resolve(code=code, name=None).full_name == expected


def test_the_name_column_settles_a_number_read_two_ways(directory):
    assert directory.resolve(code=12203, name="士別市").lg_code == "012203"
    assert directory.resolve(code=12203.0, name="千葉県 市川市").lg_code == "122033"
    with pytest.raises(AmbiguousName):
        directory.resolve(code=12203, name="千代田区")


def test_a_number_and_a_name_that_disagree_show_the_code_as_read(directory):
    with pytest.raises(DomainError) as error:
        directory.resolve(code=11002, name="府中市")
    assert error.value.message == "団体コード 011002（北海道札幌市）と自治体名「府中市」が一致しません。"


def test_an_unknown_number_is_not_found_in_the_code_column(directory):
    with pytest.raises(NotFound) as error:
        directory.resolve(code=99999, name=None)
    assert error.value.message == "団体コード 99999 の自治体は見つかりません。"
    assert error.value.field == "団体コード"


@pytest.mark.parametrize("code", [12203.5, -12203, 1234567, 131017, float("nan"), float("inf"), True])
def test_a_number_that_is_no_code_is_refused_in_the_code_column(directory, code):
    with pytest.raises(ValueParseError) as error:
        directory.resolve(code=code, name=None)
    assert error.value.field == "団体コード"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("東京都 千代田区", "東京都千代田区"),
        ("東京都千代田区", "東京都千代田区"),
        ("千代田区", "東京都千代田区"),
        ("東京都", "東京都"),
        ("東京", "東京都"),
        ("東京千代田区", "東京都千代田区"),
        ("東京都\u3000千代田区", "東京都千代田区"),
        ("\t千代田区 ", "東京都千代田区"),
        ("ﾆｾｺ町", "北海道ニセコ町"),
        ("東京都府中市", "東京都府中市"),
        ("広島県 府中市", "広島県府中市"),
        ("茅ケ崎市", "神奈川県茅ヶ崎市"),
        ("鎌ヶ谷市", "千葉県鎌ケ谷市"),
    ],
)
def test_a_name_resolves_whatever_its_widths_and_spaces(directory, name, expected):
    assert directory.resolve(code=None, name=name).full_name == expected


@pytest.mark.parametrize("name", ["札幌市中央区", "札幌市 中央区", "北海道札幌市中央区", "手稲区", "北海道中央区"])
def test_a_ward_name_resolves_to_its_city(directory, name):
    assert directory.resolve(code=None, name=name).full_name == "北海道札幌市"


@pytest.mark.parametrize(
    ("name", "tokyo", "wards"),
    [
        ("北区", "東京都北区", ["北海道札幌市北区", "愛知県名古屋市北区", "大阪府大阪市北区", "兵庫県神戸市北区"]),
        ("中央区", "東京都中央区", ["北海道札幌市中央区", "千葉県千葉市中央区", "大阪府大阪市中央区"]),
        ("港区", "東京都港区", ["愛知県名古屋市港区", "大阪府大阪市港区"]),
    ],
)
def test_a_bare_name_of_a_local_government_and_of_wards_is_ambiguous(directory, name, tokyo, wards):
    # 北区 is a Tokyo special ward and also a ward of several designated cities: a row meant for 大阪市北区 must
    # not land in Tokyo, so the bare name is refused with every candidate.
    with pytest.raises(AmbiguousName) as error:
        directory.resolve(code=None, name=name)
    assert error.value.candidates[0] == tokyo
    assert set(wards) <= set(error.value.candidates)
    assert all(candidate in error.value.message for candidate in error.value.candidates)
    assert error.value.field == "自治体名"


def test_the_ambiguity_of_a_ward_name_asks_for_the_prefecture_or_the_city(directory):
    with pytest.raises(AmbiguousName) as error:
        directory.resolve(code=None, name="港区")
    assert error.value.message == (
        "「港区」に該当する自治体・区が複数あります（東京都港区、愛知県名古屋市港区、大阪府大阪市港区）。"
        "「東京都港区」「名古屋市港区」のように都道府県名か市名を付けて書いてください。"
    )


def test_an_ambiguity_message_lists_at_most_twelve_candidates_and_counts_the_rest(directory):
    with pytest.raises(AmbiguousName) as error:
        directory.resolve(code=None, name="南区")
    candidates = error.value.candidates
    assert len(candidates) > 12  # every candidate stays available to the caller
    assert "北海道札幌市南区" in candidates and "福岡県福岡市南区" in candidates
    shown = "、".join(candidates[:12]) + f"ほか{len(candidates) - 12}件"
    assert f"（{shown}）" in error.value.message
    assert candidates[12] not in error.value.message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("東京都北区", "東京都北区"),
        ("東京北区", "東京都北区"),
        ("東京都 中央区", "東京都中央区"),
        ("東京都港区", "東京都港区"),
        ("大阪市北区", "大阪府大阪市"),
        ("大阪府大阪市北区", "大阪府大阪市"),
        ("大阪府 大阪市 北区", "大阪府大阪市"),
        ("札幌市北区", "北海道札幌市"),
        ("北海道北区", "北海道札幌市"),
        ("名古屋市港区", "愛知県名古屋市"),
    ],
)
def test_a_qualified_name_settles_a_local_government_or_a_ward(directory, name, expected):
    assert directory.resolve(code=None, name=name).full_name == expected


def test_a_prefecture_with_two_cities_having_the_ward_is_still_ambiguous(directory):
    with pytest.raises(AmbiguousName) as error:
        directory.resolve(code=None, name="大阪府北区")
    assert error.value.candidates == ["大阪府大阪市北区", "大阪府堺市北区"]
    assert "「大阪市北区」「堺市北区」" in error.value.message


def test_a_code_settles_a_bare_name_shared_by_a_local_government_and_wards(directory):
    assert directory.resolve(code="131172", name="北区").full_name == "東京都北区"
    assert directory.resolve(code="271276", name="北区").full_name == "大阪府大阪市"
    assert directory.resolve(code="271276", name="大阪市北区").full_name == "大阪府大阪市"
    with pytest.raises(DomainError, match="一致しません"):
        directory.resolve(code="131172", name="大阪市北区")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("長野県北佐久郡軽井沢町", "長野県軽井沢町"),
        ("長野県 北佐久郡 軽井沢町", "長野県軽井沢町"),
        ("北佐久郡軽井沢町", "長野県軽井沢町"),
        ("長野北佐久郡軽井沢町", "長野県軽井沢町"),
        ("鹿児島県鹿児島郡十島村", "鹿児島県十島村"),
        ("広島県安芸郡府中町", "広島県府中町"),
        ("兵庫県赤穂郡上郡町", "兵庫県上郡町"),  # the town's own name has a 郡
        ("赤穂郡上郡町", "兵庫県上郡町"),
        ("上郡町", "兵庫県上郡町"),
        ("愛知県愛知郡東郷町", "愛知県東郷町"),
        ("滋賀県愛知郡愛荘町", "滋賀県愛荘町"),
        ("愛知郡愛荘町", "滋賀県愛荘町"),  # a 郡 named like another prefecture
        ("京都郡苅田町", "福岡県苅田町"),
        ("郡山市", "福島県郡山市"),
        ("大和郡山市", "奈良県大和郡山市"),
        ("蒲郡市", "愛知県蒲郡市"),
    ],
)
def test_a_town_or_village_may_be_written_with_its_gun(directory, name, expected):
    assert directory.resolve(code=None, name=name).full_name == expected


@pytest.mark.parametrize("name", ["長野県上川郡東川町", "北佐久郡小諸市", "北佐久郡", "長野県北佐久郡", "北佐久郡町"])
def test_a_gun_is_not_stripped_before_a_city_nor_after_a_wrong_prefecture(directory, name):
    with pytest.raises(NotFound):
        directory.resolve(code=None, name=name)


def test_a_code_agrees_with_a_name_written_with_its_gun(directory):
    assert directory.resolve(code="203211", name="長野県北佐久郡軽井沢町").lg_code == "203211"
    with pytest.raises(DomainError, match="一致しません"):
        directory.resolve(code="131016", name="北佐久郡軽井沢町")


def test_a_name_shared_by_two_cities_is_ambiguous_and_the_message_lists_both(directory):
    with pytest.raises(AmbiguousName) as error:
        directory.resolve(code=None, name="府中市")
    assert error.value.message == (
        "「府中市」に該当する自治体が複数あります（東京都府中市、広島県府中市）。都道府県名から書いてください。"
    )
    assert error.value.candidates == ["東京都府中市", "広島県府中市"]
    assert error.value.field == "自治体名"


def test_date_city_is_ambiguous_between_hokkaido_and_fukushima(directory):
    with pytest.raises(AmbiguousName) as error:
        directory.resolve(code=None, name="伊達市")
    assert error.value.candidates == ["北海道伊達市", "福島県伊達市"]


def test_a_bare_ward_name_shared_only_by_wards_lists_the_wards(directory):
    with pytest.raises(AmbiguousName) as error:
        directory.resolve(code=None, name="緑区")
    assert "神奈川県横浜市緑区" in error.value.candidates
    assert "愛知県名古屋市緑区" in error.value.candidates


def test_an_unknown_name_is_not_found_in_the_name_column(directory):
    with pytest.raises(NotFound) as error:
        directory.resolve(code=None, name="つながる市")
    assert error.value.message == "「つながる市」という自治体は見つかりません。"
    assert error.value.field == "自治体名"


def test_a_code_and_a_name_that_agree_resolve(directory):
    assert directory.resolve(code="131016", name="千代田区").lg_code == "131016"
    assert directory.resolve(code="131016", name="東京都 千代田区").lg_code == "131016"


def test_a_code_settles_a_name_that_alone_would_be_ambiguous(directory):
    assert directory.resolve(code="132063", name="府中市").full_name == "東京都府中市"
    assert directory.resolve(code="342084", name="府中市").full_name == "広島県府中市"


def test_a_ward_code_agrees_with_its_own_name_or_its_city(directory):
    assert directory.resolve(code="011011", name="中央区").lg_code == "011002"
    assert directory.resolve(code="011011", name="札幌市").lg_code == "011002"
    assert directory.resolve(code="011002", name="札幌市中央区").lg_code == "011002"


def test_a_code_and_a_name_that_disagree_are_refused_with_both_in_the_message(directory):
    with pytest.raises(DomainError) as error:
        directory.resolve(code="131016", name="府中市")
    assert error.value.message == "団体コード 131016（東京都千代田区）と自治体名「府中市」が一致しません。"
    assert error.value.field == "自治体名"


def test_a_ward_code_disagrees_with_a_sibling_ward(directory):
    with pytest.raises(DomainError) as error:
        directory.resolve(code="011011", name="札幌市北区")
    assert "北海道札幌市中央区" in error.value.message


def test_a_code_and_an_unknown_name_disagree(directory):
    with pytest.raises(DomainError, match="一致しません"):
        directory.resolve(code="131016", name="つながる市")


def test_errors_name_the_columns_the_caller_uses(directory):
    with pytest.raises(NotFound) as by_code:
        directory.resolve(code="999997", name=None, row_field_names=("発注機関コード", "発注機関"))
    with pytest.raises(AmbiguousName) as by_name:
        directory.resolve(code=None, name="府中市", row_field_names=("発注機関コード", "発注機関"))
    assert (by_code.value.field, by_name.value.field) == ("発注機関コード", "発注機関")


def test_neither_code_nor_name_is_refused(directory):
    with pytest.raises(ValueParseError):
        directory.resolve(code="", name="  ")


def test_the_cached_directory_is_kept_until_invalidated(django_assert_num_queries):
    first = MunicipalityDirectory.cached()
    with django_assert_num_queries(0):
        assert MunicipalityDirectory.cached() is first
    municipality_directory_invalidate()
    assert MunicipalityDirectory.cached() is not first


def test_saving_a_municipality_invalidates_the_cached_directory():
    first = MunicipalityDirectory.cached()
    chiyoda = Municipality.objects.get(lg_code="131016")
    chiyoda.website_url = "https://www.city.chiyoda.lg.jp/"
    chiyoda.save()
    assert MunicipalityDirectory.cached() is not first
    assert MunicipalityDirectory.cached().resolve(code="131016", name=None).website_url == chiyoda.website_url


def test_the_selector_resolves_through_the_cached_directory():
    assert municipality_resolve(name="東京都 千代田区").lg_code == "131016"
    assert municipality_resolve(code="011011").name == "札幌市"
    with pytest.raises(AmbiguousName):
        municipality_resolve(name="府中市")
