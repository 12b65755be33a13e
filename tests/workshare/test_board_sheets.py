"""The board as a spreadsheet: export, and import from a file or a published sheet's link, checked row by row."""

import http.server
import io
import threading
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tsunagu.core.errors import DomainError
from tsunagu.workshare import services
from tsunagu.workshare.board_sheets import COLUMNS, board_import_file, board_import_url
from tsunagu.workshare.models import WorkElement

HEADER = ["ID", "作業要素", "担当", "バックアップ", "期限", "見込み時間", "必要なスキル", "まとまり", "チェックリスト"]


def test_a_sheet_creates_and_updates_elements_and_importing_it_again_changes_nothing(cast, write_csv):
    existing = cast.element(title="千代田区の公募を集める")
    path = write_csv([HEADER,
                      [str(existing.pk), "千代田区の公募を集める", "worker", "second", "2026-06-20", "3", "データ入力", "131016", "出典URL、二重チェック"],
                      ["", "中央区の公募を集める", "second", "", "2026/6/25", "1.5", "", "131024", ""]])
    result = board_import_file(project=cast.project, by=cast.coordinator, path=path)
    assert (result.created, result.updated, result.unchanged, result.errors) == (1, 1, 0, [])
    existing.refresh_from_db()
    assert (existing.primary, existing.backup, existing.estimated_hours, existing.checklist) == (
        cast.worker, cast.second, Decimal("3.0"), ["出典URL", "二重チェック"])
    assert existing.status == WorkElement.Status.CLAIMED and [s.name for s in existing.skills.all()] == ["データ入力"]
    again = board_import_file(project=cast.project, by=cast.coordinator, path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert WorkElement.objects.count() == 2


def test_unknown_people_and_skills_are_reported_per_row_and_nothing_changes(cast, write_csv):
    path = write_csv([HEADER,
                      ["", "港区", "nobody", "", "2026-06-20", "2", "", "", ""],
                      ["", "新宿区", "worker", "worker", "2026-06-20", "2", "手話", "", ""],
                      ["", "文京区", "", "", "来週", "-1", "", "", ""],
                      ["", "台東区", "", "", "2026-06-20", "2", "", "", ""]])
    result = board_import_file(project=cast.project, by=cast.coordinator, path=path)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "担当"), (3, "バックアップ"), (3, "必要なスキル"), (4, "期限"), (4, "見込み時間")]
    assert "nobody" in result.errors[0].message and "手話" in result.errors[2].message
    assert not WorkElement.objects.exists()  # the good row (台東区) waits for the sheet to be fixed


def test_only_the_coordinator_imports_and_a_sheet_without_the_columns_is_refused(cast, write_csv):
    with pytest.raises(DomainError, match="コーディネーターだけ"):
        board_import_file(project=cast.project, by=cast.worker, path=write_csv([HEADER]))
    with pytest.raises(DomainError, match="期限"):
        board_import_file(project=cast.project, by=cast.coordinator, path=write_csv([["作業要素", "見込み時間"], ["a", "1"]]))


@pytest.fixture
def published_sheet():
    """A local HTTP server standing in for a published Google Sheet (its CSV link)."""
    served = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = served.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_published_sheets_csv_link_imports_like_a_file(cast, published_sheet, settings):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True  # the stand-in server is on loopback
    served, base = published_sheet
    served["/sheet.csv"] = ("作業要素,担当,期限,見込み時間\r\n港区の公募を集める,worker,2026-06-30,2\r\n").encode()
    result = board_import_url(project=cast.project, by=cast.coordinator, url=f"{base}/sheet.csv")
    assert result.created == 1 and WorkElement.objects.get().primary == cast.worker
    with pytest.raises(DomainError, match="HTTP 404") as failure:
        board_import_url(project=cast.project, by=cast.coordinator, url=f"{base}/missing.csv")
    assert failure.value.field == "url"
    with pytest.raises(DomainError, match="http"):
        board_import_url(project=cast.project, by=cast.coordinator, url="file:///etc/passwd")


def test_the_board_exports_as_xlsx_with_the_import_columns(client, cast):
    element = cast.element(title="=HYPERLINK(\"x\")")
    services.element_claim(element_id=element.pk, worker=cast.worker)
    client.force_login(cast.owner)
    response = client.get(reverse("workshare:board", args=[cast.project.pk]), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS and rows[1][1].startswith("'=") and rows[1][2] == "worker"


@pytest.mark.parametrize(("role", "status"), [("coordinator", 400), ("owner", 403), ("worker", 403), ("outsider", 404)])
def test_the_import_page_is_the_coordinators_and_reports_rows(client, cast, role, status, write_csv):
    client.force_login(cast.user(role))
    path = write_csv([HEADER, ["", "港区", "nobody", "", "2026-06-20", "2", "", "", ""]])
    with open(path, "rb") as sheet:
        response = client.post(reverse("workshare:board_import", args=[cast.project.pk]), {"file": sheet})
    assert response.status_code == status
    if role == "coordinator":
        assert "「nobody」はこのプロジェクトのチームにいません。" in response.content.decode()


def test_a_link_into_our_own_network_is_refused(cast, published_sheet):
    served, base = published_sheet
    served["/sheet.csv"] = "作業要素,期限,見込み時間\r\n港区,2026-06-30,2\r\n".encode()
    for url in (f"{base}/sheet.csv", "http://169.254.169.254/latest/meta-data/", "http://[::1]/x"):
        with pytest.raises(DomainError, match="内部のアドレス"):
            board_import_url(project=cast.project, by=cast.coordinator, url=url)
    assert not WorkElement.objects.exists()


def test_rows_that_would_change_handed_in_work_or_repeat_a_new_name_are_refused(cast, write_csv):
    done = cast.element(title="提出済みの作業")
    services.element_assign(element=done, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    services.element_submit(element=done, by=cast.worker, checklist_done=done.checklist)
    path = write_csv([HEADER,
                      [str(done.pk), "提出済みの作業", "second", "worker", "2026-06-20", "5", "", "", ""],
                      ["", "新しい作業", "", "", "2026-06-20", "0.04", "", "", ""],
                      ["", "新しい作業", "", "", "2026-06-20", "1", "", "", ""],
                      ["²", "x" * 201, "", "", "2026-06-20", "1", "", "", ""]])
    result = board_import_file(project=cast.project, by=cast.coordinator, path=path)
    assert [(e.row, e.column) for e in result.errors] == [(2, "状態"), (3, "見込み時間"), (4, "作業要素"), (5, "ID"), (5, "作業要素")]
    done.refresh_from_db()
    assert (done.primary, done.estimated_hours) == (cast.worker, Decimal("2.0"))


def test_a_title_that_a_spreadsheet_would_run_is_escaped_in_the_board_csv(cast):
    from tsunagu.workshare.board_sheets import board_csv
    from tsunagu.workshare.models import WorkElement

    cast.element(title='=HYPERLINK("http://evil.example","押して")')
    exported = board_csv(WorkElement.objects.filter(project=cast.project))
    assert "'=HYPERLINK" in exported and ',=HYPERLINK' not in exported
