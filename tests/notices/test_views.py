import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import ROLES
from tests.factories import NoticeFactory
from tsunagu.notices.models import ImportRun, Notice

pytestmark = pytest.mark.django_db

CSV = ("団体コード,案件名,公募種別,公告日,上限額\n"
       "131016,観光PR動画制作業務,プロポーザル,令和7年4月1日,500万円\n"
       "131016,壊れた行,プロポーザル,2025年2月30日,\n").encode("cp932")

COORDINATOR_ONLY = {"coordinator": 200, "owner": 403, "worker": 403, "outsider": 403, "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
def test_notice_list_and_detail_are_public(client_as, role):
    notice = NoticeFactory(title="公開の公募")
    client = client_as(role)
    assert "公開の公募" in client.get(reverse("notices:list")).content.decode()
    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 200
    assert client.get(reverse("notices:detail", args=[notice.pk + 999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_open_the_import_pages(client_as, role):
    run = ImportRun.objects.create(kind=ImportRun.Kind.NOTICES, filename="x.csv", status=ImportRun.Status.DONE)
    client = client_as(role)
    for url in (reverse("notices:import_list"), reverse("notices:import_upload"), reverse("notices:import_detail", args=[run.pk])):
        response = client.get(url)
        assert response.status_code == COORDINATOR_ONLY[role], url
        if role == "anonymous":
            assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_can_confirm_an_import(client_as, role):
    run = ImportRun.objects.create(kind=ImportRun.Kind.NOTICES, filename="x.csv", status=ImportRun.Status.CHECKED)
    response = client_as(role).post(reverse("notices:import_confirm", args=[run.pk]))
    assert response.status_code == {"coordinator": 302, "anonymous": 302}.get(role, 403)
    run.refresh_from_db()
    assert (run.status == ImportRun.Status.IMPORTING) == (role == "coordinator")


def test_a_coordinator_uploads_sees_the_check_then_confirms_and_downloads_the_error_rows(client_as, django_capture_on_commit_callbacks):
    client = client_as("coordinator")
    upload = SimpleUploadedFile("team.csv", CSV, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notices:import_upload"), {"kind": "notices", "file": upload})
    run = ImportRun.objects.get()
    assert response.url == reverse("notices:import_detail", args=[run.pk])
    assert run.status == ImportRun.Status.CHECKED and (run.created, run.rejected) == (1, 1)
    assert not Notice.objects.exists()
    page = client.get(response.url).content.decode()
    assert "2025年2月30日" in page and "確認結果" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notices:import_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.created == 1
    assert Notice.objects.get().title == "観光PR動画制作業務"
    download = client.get(reverse("notices:import_error_file", args=[run.pk]))
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "壊れた行" in body and "エラー" in body.splitlines()[0]
    again = client.post(reverse("notices:import_confirm", args=[run.pk]), follow=True)
    assert "すでに実行されています" in again.content.decode()


def test_an_unreadable_upload_fails_with_a_reason_and_no_traceback(client_as, django_capture_on_commit_callbacks):
    client = client_as("coordinator")
    upload = SimpleUploadedFile("wrong.csv", "名前,住所\nA,B\n".encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notices:import_upload"), {"kind": "notices", "file": upload})
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert "必須の列がありません" in client.get(response.url).content.decode()


def test_an_upload_that_is_not_a_spreadsheet_is_refused_on_the_form(client_as):
    upload = SimpleUploadedFile("photo.png", b"\x89PNG", content_type="image/png")
    response = client_as("coordinator").post(reverse("notices:import_upload"), {"kind": "notices", "file": upload})
    assert response.status_code == 400
    assert "CSV か XLSX" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("kind", ["notices", "awards"])
def test_the_xlsx_templates_have_the_headers_and_drop_downs(client, kind):
    import io

    from openpyxl import load_workbook

    response = client.get(reverse("notices:import_template", args=[kind]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[0] == "管理ID"
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    if kind == "notices":
        assert any("公募型プロポーザル" in f for f in formulas) and any("○" in f for f in formulas)
    assert any("税込" in f for f in formulas)


def test_the_notice_list_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    from tsunagu.search.engine import apply_changes

    for i in range(30):
        NoticeFactory(title=f"案件{i}")
    apply_changes()  # as each commit does outside a test's transaction
    with django_assert_max_num_queries(6):
        client.get(reverse("notices:list"))


def test_the_detail_page_shows_the_award_ratio_and_the_history(client, write_csv):
    from tests.factories import AwardFactory, OrganisationFactory
    from tsunagu.core.choices import TaxBasis

    award = AwardFactory(winner=OrganisationFactory(name="株式会社ひかり"), amount_yen=920, estimated_value_yen=1000,
                         amount_tax_basis=TaxBasis.EXCLUDED, estimated_value_tax_basis=TaxBasis.EXCLUDED)
    from tsunagu.notices.models import NoticeRevision

    NoticeRevision.objects.create(notice=award.notice, kind=NoticeRevision.Kind.UPDATED, changes={"budget_yen": [1, 2]})
    page = client.get(reverse("notices:detail", args=[award.notice_id])).content.decode()
    assert "株式会社ひかり" in page and "92.0%" in page and "budget_yen" in page


@pytest.mark.parametrize("model", ["notice", "award", "organisation", "importrun"])
def test_staff_can_open_the_admin_lists(client, model):
    from tests.factories import AwardFactory, UserFactory

    AwardFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse(f"admin:notices_{model}_changelist")).status_code == 200


def test_an_import_report_is_written_in_the_uploaders_language(client_as, django_capture_on_commit_callbacks, settings):
    client = client_as("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = SimpleUploadedFile("team.csv", CSV, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notices:import_upload"), {"kind": "notices", "file": upload})
    run = ImportRun.objects.get()
    assert run.language == "en"
    [error] = run.errors
    assert "2025年2月30日" in error["message"] and "存在しない" not in error["message"]


@pytest.mark.parametrize("role", ROLES)
def test_who_entered_a_notice_and_from_which_file_is_shown_to_coordinators_only(client_as, role, make_user):
    author = make_user("worker")
    author.display_name = "入力者たろう"
    author.save()
    notice = NoticeFactory(created_by=author, source="import:team.csv")
    page = client_as(role).get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert ("入力者たろう" in page) == (role == "coordinator")
    assert ("team.csv" in page) == (role == "coordinator")


def test_a_failed_import_can_run_again_and_the_confirming_coordinator_is_the_author(client_as, make_user,
                                                                                   django_capture_on_commit_callbacks):
    uploader = make_user("coordinator")
    run = ImportRun.objects.create(kind=ImportRun.Kind.NOTICES, filename="team.csv", status=ImportRun.Status.FAILED,
                                   dry_run=False, created_by=uploader, failure="止まりました",
                                   file=SimpleUploadedFile("team.csv", CSV))
    client = client_as("coordinator")
    page = client.get(reverse("notices:import_detail", args=[run.pk])).content.decode()
    assert "もう一度実行する" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notices:import_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and run.confirmed_by != uploader
    assert Notice.objects.get().created_by == run.confirmed_by


def test_a_run_that_fails_part_way_reports_what_it_stored_and_not_the_checks_counts(client_as, django_capture_on_commit_callbacks,
                                                                                   monkeypatch):
    from tsunagu.notices.imports import notice_rows

    client = client_as("coordinator")
    upload = SimpleUploadedFile("team.csv", CSV, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notices:import_upload"), {"kind": "notices", "file": upload})
    run = ImportRun.objects.get()
    assert run.created == 1  # the check's count

    def broken_write(self, batch, *, dry_run, result):
        raise RuntimeError("disk full")

    monkeypatch.setattr(notice_rows.NoticeRowSpec, "write", broken_write)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notices:import_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and (run.created, run.updated) == (0, 0)
    assert "予期しないエラー" in run.failure
    assert not Notice.objects.exists()
