from collections import Counter

import pytest

from tsunagu.core.codes import lg_code_check_digit, normalize_lg_code
from tsunagu.municipalities import services
from tsunagu.municipalities.models import Municipality, Prefecture, Ward
from tsunagu.municipalities.services import municipality_master_load, municipality_master_unload

pytestmark = pytest.mark.django_db

LIVE_MODELS = {"prefecture_model": Prefecture, "municipality_model": Municipality, "ward_model": Ward}


def test_the_master_has_47_prefectures_1788_local_governments_and_175_wards():
    assert Prefecture.objects.count() == 47
    assert Municipality.objects.count() == 1788
    assert Ward.objects.count() == 175


def test_every_prefecture_is_also_a_local_government_of_level_prefecture():
    prefectures = Municipality.objects.filter(level=Municipality.Level.PREFECTURE).select_related(
        "prefecture"
    )
    assert prefectures.count() == 47
    for row in prefectures:
        assert (row.name, row.lg_code) == (row.prefecture.name, row.prefecture.lg_code)


def test_prefecture_codes_run_from_01_to_47():
    assert list(Prefecture.objects.values_list("code", flat=True)) == [f"{n:02d}" for n in range(1, 48)]


def test_tokyo_has_23_special_wards_and_nowhere_else_has_any():
    special = Municipality.objects.filter(level=Municipality.Level.SPECIAL_WARD)
    assert special.count() == 23
    assert set(special.values_list("prefecture__name", flat=True)) == {"東京都"}


def test_the_20_designated_cities_are_exactly_the_cities_with_wards():
    designated = set(
        Municipality.objects.filter(level=Municipality.Level.DESIGNATED_CITY).values_list("pk", flat=True)
    )
    assert len(designated) == 20
    assert set(Ward.objects.values_list("city_id", flat=True)) == designated


def test_cities_towns_and_villages_are_told_apart_by_the_last_character_of_their_name():
    suffix = {Municipality.Level.CITY: "市", Municipality.Level.TOWN: "町", Municipality.Level.VILLAGE: "村"}
    counts = Counter(Municipality.objects.values_list("level", flat=True))
    assert counts == {
        "prefecture": 47,
        "designated_city": 20,
        "special_ward": 23,
        "city": 772,
        "town": 743,
        "village": 183,
    }
    for level, last in suffix.items():
        level_names = Municipality.objects.filter(level=level).values_list("name", flat=True)
        assert all(name.endswith(last) for name in level_names)


def test_every_code_is_six_digits_and_passes_its_check_digit():
    codes = [
        *Prefecture.objects.values_list("lg_code", flat=True),
        *Municipality.objects.values_list("lg_code", flat=True),
        *Ward.objects.values_list("lg_code", flat=True),
    ]
    assert len(codes) == 47 + 1788 + 175
    for code in codes:
        assert len(code) == 6 and code.isdigit()
        assert lg_code_check_digit(code[:5]) == code[5]
        assert normalize_lg_code(code) == code


def test_chiyoda_is_131016_a_special_ward_of_tokyo():
    chiyoda = Municipality.objects.select_related("prefecture").get(name="千代田区")
    assert chiyoda.lg_code == "131016"
    assert chiyoda.level == Municipality.Level.SPECIAL_WARD
    assert chiyoda.full_name == "東京都千代田区"
    assert chiyoda.kana == "ちよだく"


def test_sapporo_chuo_is_a_ward_of_sapporo_not_a_local_government():
    ward = Ward.objects.select_related("city").get(lg_code="011011")
    assert ward.name == "中央区"
    assert ward.kana == "ちゅうおうく"
    assert ward.city.name == "札幌市" and ward.city.lg_code == "011002"
    assert ward.city.level == Municipality.Level.DESIGNATED_CITY
    assert not Municipality.objects.filter(lg_code="011011").exists()
    assert not Municipality.objects.filter(name__contains=" ").exists()


def test_prefectures_have_their_code_with_check_digit_and_their_kana():
    hokkaido = Prefecture.objects.get(code="01")
    assert (hokkaido.lg_code, hokkaido.name, hokkaido.kana) == ("010006", "北海道", "ほっかいどう")
    assert hokkaido.name_en == "Hokkaido"
    assert Municipality.objects.get(lg_code="130001").name == "東京都"


def test_municipalities_carry_coordinates_and_prefectures_their_website():
    without_coordinates = Municipality.objects.filter(latitude__isnull=True)
    assert not without_coordinates.exclude(level=Municipality.Level.PREFECTURE).exists()
    assert Municipality.objects.get(lg_code="130001").website_url.startswith("https://")


def test_loading_the_master_again_changes_nothing(django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        result = municipality_master_load(**LIVE_MODELS)
    assert sum(result.created.values()) == 0
    assert sum(result.updated.values()) == 0


def test_loading_the_master_again_restores_a_changed_name_by_code_and_keeps_an_imported_url():
    Municipality.objects.filter(lg_code="131016").update(name="千代田", website_url="https://example.jp/")
    result = municipality_master_load(**LIVE_MODELS)
    assert result.updated["municipalities"] == 1
    chiyoda = Municipality.objects.get(lg_code="131016")
    assert chiyoda.name == "千代田区"
    assert chiyoda.website_url == "https://example.jp/"


def test_unloading_the_master_deletes_it_and_loading_brings_it_back():
    municipality_master_unload(**LIVE_MODELS)
    assert (Prefecture.objects.count(), Municipality.objects.count(), Ward.objects.count()) == (0, 0, 0)
    result = municipality_master_load(**LIVE_MODELS)
    assert result.created == {"prefectures": 47, "municipalities": 1788, "wards": 175}
    assert Ward.objects.get(lg_code="011011").city.name == "札幌市"


def test_the_levels_the_loader_writes_are_members_of_the_level_choices():
    written = {
        services.PREFECTURE,
        services.DESIGNATED_CITY,
        services.CITY,
        services.SPECIAL_WARD,
        services.TOWN,
        services.VILLAGE,
    }
    assert written == set(Municipality.Level.values)
