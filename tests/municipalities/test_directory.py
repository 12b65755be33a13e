import time

import pytest

from tsunagu.core.errors import AmbiguousName, DomainError, NotFound, ValueParseError
from tsunagu.municipalities.directory import MunicipalityDirectory, municipality_directory_invalidate
from tsunagu.municipalities.models import Municipality
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


def test_a_bare_ward_name_that_is_also_a_local_government_resolves_to_the_local_government(directory):
    # 北区 is a Tokyo special ward and also a ward of several designated cities; only the former is a local
    # government, so the bare name means it (「札幌市北区」 must be written for the ward).
    assert directory.resolve(code=None, name="北区").full_name == "東京都北区"
    assert directory.resolve(code=None, name="中央区").full_name == "東京都中央区"
    assert directory.resolve(code=None, name="札幌市北区").full_name == "北海道札幌市"


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


def test_the_directory_resolves_tens_of_thousands_of_rows_per_second(directory):
    rows = [("131016", "千代田区"), (None, "東京都 府中市"), ("011011", None), (None, "札幌市中央区")] * 5000
    started = time.perf_counter()
    for code, name in rows:
        directory.resolve(code=code, name=name)
    elapsed = time.perf_counter() - started
    assert len(rows) / elapsed > 20_000, f"{len(rows) / elapsed:.0f} rows/s"
