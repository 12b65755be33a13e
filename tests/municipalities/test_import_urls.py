import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.core.errors import ValueParseError
from tsunagu.municipalities.directory import MunicipalityDirectory, municipality_directory_invalidate
from tsunagu.municipalities.models import Municipality, Ward
from tsunagu.municipalities.services import municipality_urls_import

pytestmark = pytest.mark.django_db

HEADER = "pid,pref,cid,city,citykana,lat,lng,url,phrase,lgcode\n"


@pytest.fixture(autouse=True)
def _fresh_directory():
    municipality_directory_invalidate()
    yield
    municipality_directory_invalidate()


def run(path, *args) -> tuple[int, str, str]:
    """Run the command as the console script would and return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_municipality_urls", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def write_csv(tmp_path, text: str, *, encoding="utf-8-sig", name="cities.csv"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_the_real_localgovjp_file_sets_chiyodas_website_and_a_second_run_updates_nothing(shared_data):
    path = shared_data / "localgovjp" / "localgovjp-utf8.csv"
    code, out, err = run(path)
    assert (code, err) == (0, "")
    assert "更新 1916件、変更なし 0件、不正 0件" in out
    assert Municipality.objects.get(lg_code="131016").website_url.startswith("https://www.city.chiyoda.lg.jp")
    assert Ward.objects.get(lg_code="011011").website_url == "https://www.city.sapporo.jp/chuo/"

    code, out, err = run(path)
    assert code == 0
    assert "更新 0件、変更なし 1916件、不正 0件" in out


def test_the_real_prefecture_file_pads_its_codes_and_fills_prefecture_coordinates(shared_data):
    assert Municipality.objects.get(lg_code="010006").latitude is None
    code, out, _err = run(shared_data / "localgovjp" / "prefjp-utf8.csv")
    assert code == 0
    assert "不正 0件" in out
    hokkaido = Municipality.objects.get(lg_code="010006")
    assert hokkaido.website_url == "https://www.pref.hokkaido.lg.jp/"
    assert hokkaido.latitude == pytest.approx(43.063968)


def test_a_dry_run_reports_what_would_change_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path, HEADER + "13,東京都,13101,千代田区,ちよだく,35.69,139.75,https://example.jp/,,131016\n")
    code, out, _err = run(path, "--dry-run")
    assert code == 0
    assert "更新 1件" in out and "保存していません" in out
    assert Municipality.objects.get(lg_code="131016").website_url == ""


def test_bad_rows_are_reported_with_row_and_column_skipped_and_the_exit_code_is_1(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER
        + "13,東京都,13101,千代田区,ちよだく,35.69,139.75,https://www.city.chiyoda.lg.jp/,,131016\n"
        + "13,東京都,13102,中央区,ちゅうおうく,35.67,139.77,https://www.city.chuo.lg.jp/,,131025\n"
        + "99,どこか,99999,つながる市,つながるし,35,139,https://example.jp/,,999997\n"
        + "13,東京都,13103,港区,みなとく,35.65,139.75,ftp://www.city.minato.tokyo.jp/,,131032\n"
        + "13,東京都,13104,新宿区,しんじゅくく,北緯,139.70,https://www.city.shinjuku.lg.jp/,,131041\n"
        + "13,東京都,13101,千代田区,ちよだく,35.69,139.75,https://www.city.chiyoda.lg.jp/,,131016\n",
    )
    code, out, err = run(path)
    assert code == 1
    assert "更新 1件、変更なし 0件、不正 5件" in out
    assert "3行目「lgcode」" in err and "検査数字" in err
    assert "4行目「lgcode」: 団体コード 999997 の自治体は見つかりません。" in err
    assert "5行目「url」" in err and "ftp://" in err
    assert "6行目「lat」" in err
    assert "7行目「lgcode」" in err and "2行目" in err
    assert "Traceback" not in err
    assert Municipality.objects.get(lg_code="131016").website_url == "https://www.city.chiyoda.lg.jp/"
    assert Municipality.objects.get(lg_code="131032").website_url == ""


@pytest.mark.parametrize("url", ["javascript:alert(1)", "www.city.chiyoda.lg.jp", "", "https://"])
def test_a_url_that_is_not_http_or_https_is_refused(url):
    result = municipality_urls_import(
        rows=[{"pid": "13", "pref": "東京都", "city": "千代田区", "url": url, "lgcode": "131016"}], dry_run=False
    )
    assert result.rejected == 1
    assert result.problems[0].column == "url"


def test_coordinates_are_only_filled_where_missing():
    Municipality.objects.filter(lg_code="131016").update(latitude=1.0, longitude=2.0)
    row = {"pref": "東京都", "city": "千代田区", "url": "https://a.example/", "lgcode": "131016"}
    rows = [{**row, "lat": "35", "lng": "139"}]
    municipality_urls_import(rows=rows, dry_run=False)
    chiyoda = Municipality.objects.get(lg_code="131016")
    assert (chiyoda.latitude, chiyoda.longitude, chiyoda.website_url) == (1.0, 2.0, "https://a.example/")


def test_a_code_that_lost_its_leading_zero_is_read_with_the_help_of_the_prefecture_number():
    rows = [
        {"pid": "1", "pref": "北海道", "city": "札幌市", "url": "https://www.city.sapporo.jp/", "lgcode": "11002"},
        {"pid": "13", "pref": "東京都", "city": "千代田区", "url": "https://www.city.chiyoda.lg.jp/",
         "lgcode": "13101"},
    ]
    result = municipality_urls_import(rows=rows, dry_run=False)
    assert (result.updated, result.rejected) == (2, 0)
    assert Municipality.objects.get(lg_code="011002").website_url == "https://www.city.sapporo.jp/"
    assert Municipality.objects.get(lg_code="131016").website_url == "https://www.city.chiyoda.lg.jp/"


def test_an_import_invalidates_the_cached_directory():
    before = MunicipalityDirectory.cached()
    rows = [{"pref": "東京都", "city": "千代田区", "url": "https://a.example/", "lgcode": "131016"}]
    municipality_urls_import(rows=rows, dry_run=False)
    assert MunicipalityDirectory.cached() is not before
    chiyoda = MunicipalityDirectory.cached().resolve(code="131016", name=None)
    assert chiyoda.website_url == "https://a.example/"


def test_rows_in_an_unknown_layout_are_refused_as_a_whole():
    with pytest.raises(ValueParseError, match="列見出し"):
        municipality_urls_import(rows=[{"code": "131016", "website": "https://a.example/"}], dry_run=False)


def test_a_shift_jis_file_is_read_too(tmp_path):
    row = "13,東京都,13101,千代田区,ちよだく,35.69,139.75,https://a.example/,,131016\n"
    path = write_csv(tmp_path, HEADER + row, encoding="cp932")
    code, out, _err = run(path)
    assert code == 0 and "更新 1件" in out


def test_a_missing_file_exits_with_2(tmp_path):
    code, _out, err = run(tmp_path / "missing.csv")
    assert code == 2
    assert "読めません" in err


def test_a_file_with_other_columns_exits_with_2(tmp_path):
    code, _out, err = run(write_csv(tmp_path, "code,website\n131016,https://a.example/\n"))
    assert code == 2
    assert "列見出し" in err


def test_a_binary_file_exits_with_2(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(bytes(range(256)) * 4)
    code, _out, _err = run(path)
    assert code == 2


def test_the_console_script_exits_with_2_and_no_traceback_when_the_file_is_missing(tmp_path):
    process = subprocess.run(
        [sys.executable, "-m", "tsunagu", "import_municipality_urls", str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode == 2
    assert "読めません" in process.stderr
    assert "Traceback" not in process.stderr
