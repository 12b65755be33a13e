"""Every work-sharing page against the role matrix (owner, coordinator, worker in the team, worker outside it,
anonymous), and refusals shown next to the field with a 400, never a 500."""

import pytest
from django.urls import reverse

from tests.conftest import ROLES
from tsunagu.workshare import services
from tsunagu.workshare.models import WorkElement


def _client(client, cast, role):
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    return client


PAGES = {
    "workshare:project": ({"owner": 200, "coordinator": 200, "worker": 200, "outsider": 404}, "project"),
    "workshare:board": ({"owner": 200, "coordinator": 200, "worker": 200, "outsider": 404}, "project"),
    "workshare:plan": ({"owner": 403, "coordinator": 200, "worker": 403, "outsider": 404}, "project"),
    "workshare:element": ({"owner": 200, "coordinator": 200, "worker": 200, "outsider": 404}, "element"),
    "workshare:audit": ({"owner": 200, "coordinator": 200, "worker": 403, "outsider": 404}, "project"),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_each_page_answers_each_role_as_the_matrix_says(client, cast, role, name):
    element = cast.element()
    expected, kind = PAGES[name]
    url = reverse(name, args=[cast.project.pk if kind == "project" else element.pk])
    response = _client(client, cast, role).get(url)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_project_list_shows_only_projects_the_person_may_see(client, cast, role):
    response = _client(client, cast, role).get(reverse("workshare:projects"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert (cast.project.title in response.content.decode()) == (role != "outsider")


@pytest.mark.parametrize("role", ROLES)
def test_statements_show_each_person_only_what_is_theirs(client, cast, role):
    url = reverse("workshare:statements", args=[cast.project.pk, 2026, 6])
    response = _client(client, cast, role).get(url)
    if role == "anonymous":
        assert response.status_code == 302
        return
    if role == "outsider":
        assert response.status_code == 404
        return
    page = response.content.decode()
    assert ("発注者の費用と予算" in page) == (role in ("owner", "coordinator"))
    assert (cast.second.display_name in page) == (role == "coordinator")


@pytest.mark.parametrize(("role", "status"), [("worker", 302), ("owner", 400), ("coordinator", 400), ("outsider", 404),
                                              ("anonymous", 302)])
def test_claiming_from_the_board_follows_the_team(client, cast, role, status):
    element = cast.element()
    response = _client(client, cast, role).post(reverse("workshare:element_claim", args=[element.pk]))
    assert response.status_code == status
    element.refresh_from_db()
    assert (element.primary == cast.worker) == (role == "worker")
    if status == 400:
        assert "チームに入っていない" in response.content.decode()


def test_a_claim_on_an_element_someone_holds_is_refused_with_the_reason(client, cast):
    element = cast.element()
    services.element_claim(element_id=element.pk, worker=cast.second)
    client.force_login(cast.worker)
    response = client.post(reverse("workshare:element_claim", args=[element.pk]))
    assert response.status_code == 400 and "ほかの人が担当" in response.content.decode()


def test_a_time_entry_over_a_day_is_refused_next_to_the_field(client, cast):
    element = cast.element()
    services.element_claim(element_id=element.pk, worker=cast.worker)
    client.force_login(cast.worker)
    response = client.post(reverse("workshare:time_entry", args=[element.pk]), {"worked_on": "2026-06-01", "minutes": "1500"})
    assert response.status_code == 400 and "1440" in response.content.decode()


def test_a_project_request_with_a_past_deadline_is_refused_next_to_the_field(client, cast):
    client.force_login(cast.owner)
    response = client.post(reverse("workshare:project_request"), {
        "title": "名簿整理", "deliverable": "表", "deadline": "2020-01-01", "budget_yen": "10000", "coordinator": cast.coordinator.pk})
    assert response.status_code == 400 and "納期が過去の日付です" in response.content.decode()


def test_the_board_filters_to_my_tasks_and_exports_csv(client, cast):
    mine, other = cast.element(title="私の作業"), cast.element(title="ほかの作業")
    services.element_claim(element_id=mine.pk, worker=cast.worker)
    client.force_login(cast.worker)
    page = client.get(reverse("workshare:board", args=[cast.project.pk]), {"mine": "on"}).content.decode()
    assert "私の作業" in page and "ほかの作業" not in page
    exported = client.get(reverse("workshare:board", args=[cast.project.pk]), {"format": "csv"})
    text = exported.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("ID,作業要素,担当") and "ほかの作業" in text and other.title in text


def test_the_plan_page_suggests_and_applies(client, cast):
    elements = [cast.element(title=f"作業{i}") for i in range(3)]
    client.force_login(cast.coordinator)
    page = client.get(reverse("workshare:plan", args=[cast.project.pk]))
    assert page.status_code == 200
    form = {f"primary-{e.pk}": cast.worker.pk for e in elements} | {f"backup-{e.pk}": cast.second.pk for e in elements}
    response = client.post(reverse("workshare:plan", args=[cast.project.pk]), form)
    assert response.status_code == 302
    assert set(WorkElement.objects.values_list("primary", "backup")) == {(cast.worker.pk, cast.second.pk)}


def test_the_plan_refuses_the_same_person_as_primary_and_backup(client, cast):
    element = cast.element()
    client.force_login(cast.coordinator)
    response = client.post(reverse("workshare:plan", args=[cast.project.pk]),
                           {f"primary-{element.pk}": cast.worker.pk, f"backup-{element.pk}": cast.worker.pk})
    assert response.status_code == 400 and "同じ人" in response.content.decode()
    element.refresh_from_db()
    assert element.primary is None


@pytest.mark.parametrize(("role", "status"), [("coordinator", 302), ("owner", 403), ("worker", 403), ("outsider", 404),
                                              ("anonymous", 302)])
def test_only_the_coordinator_records_that_someone_left_the_team(client, cast, role, status):
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    response = _client(client, cast, role).post(reverse("workshare:team_leave", args=[cast.project.pk, cast.worker.pk]))
    assert response.status_code == status
    element.refresh_from_db()
    assert (element.primary == cast.second) == (role == "coordinator")


@pytest.mark.parametrize(("role", "status"), [("coordinator", 302), ("owner", 302), ("worker", 400), ("outsider", 404)])
def test_team_feedback_is_given_by_the_owner_or_coordinator(client, cast, role, status):
    response = _client(client, cast, role).post(reverse("workshare:feedback", args=[cast.project.pk]), {"text": "ありがとう"})
    assert response.status_code == status
    assert cast.project.feedback.exists() == (status == 302)


def test_a_worker_downloads_their_statement_as_a_pdf(client, cast):
    from tsunagu.workshare import services as s

    element = cast.element()
    s.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    s.submission_accept(submission=s.element_submit(element=element, by=cast.worker, checklist_done=element.checklist), by=cast.owner)
    client.force_login(cast.worker)
    response = client.get(reverse("workshare:statements", args=[cast.project.pk, 2026, 6]), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert b"HeiseiKakuGo" in response.content and len(response.content) > 1000


def test_an_absurd_change_request_amount_is_refused_next_to_the_field(client, cast):
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    submission = services.element_submit(element=element, by=cast.worker, checklist_done=element.checklist)
    client.force_login(cast.owner)
    response = client.post(reverse("workshare:submission_review", args=[submission.pk]),
                           {"decision": "revise", "comment": "x", "price_yen": str(10**12), "extra_days": "99999999"})
    assert response.status_code == 400


@pytest.mark.parametrize("name", ["workshare:submission_review", "workshare:change_decide"])
def test_an_unknown_id_is_a_404(client, cast, name):
    client.force_login(cast.owner)
    assert client.post(reverse(name, args=[999999])).status_code == 404
