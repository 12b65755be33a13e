import json

import pytest
from django.urls import reverse

from tests.cast import TODAY
from tests.conftest import ROLES
from tsunagu.accounts.models import PrivateNote, Profile, User
from tsunagu.comms.models import Notification
from tsunagu.workshare import services
from tsunagu.workshare.models import TimeEntry, WorkElement

pytestmark = pytest.mark.django_db


def with_password(user, password="pass-word-123"):
    user.set_password(password)
    user.save()
    return user


@pytest.mark.parametrize("role", ROLES)
def test_the_data_pages_are_each_persons_own(client, cast, role):
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    page = client.get(reverse("my_data"))
    export = client.get(reverse("my_data_export"))
    if role == "anonymous":
        assert page.status_code == 302 and export.status_code == 302
        return
    assert page.status_code == 200
    data = json.loads(export.content)
    assert data["person"] == user.username
    assert data["records"]["accounts.user"][0]["id"] == user.pk
    assert "password" not in data["records"]["accounts.user"][0]


def test_the_export_holds_my_time_and_profile_but_not_the_coordinators_private_note(client, cast):
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    services.time_entry_add(element=element, by=cast.worker, worked_on=TODAY, minutes=30, memo="下調べ", today=TODAY)
    PrivateNote.objects.create(organisation=cast.npo, person=cast.worker, text="内部のメモ")
    client.force_login(cast.worker)
    text = client.get(reverse("my_data_export")).content.decode()
    data = json.loads(text)
    assert [e["memo"] for e in data["records"]["workshare.timeentry (user)"]] == ["下調べ"]
    assert "内部のメモ" not in text


def test_leaving_erases_what_is_only_mine_and_keeps_the_teams_records_anonymously(client, cast):
    worker = with_password(cast.worker)
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=worker, backup=cast.second)
    services.time_entry_add(element=element, by=worker, worked_on=TODAY, minutes=30, today=TODAY)
    services.element_submit(element=element, by=worker, checklist_done=element.checklist)
    submission = element.submissions.get()
    services.submission_accept(submission=submission, by=cast.owner)
    Profile.objects.update_or_create(user=worker, defaults={"phone": "090-0000-0000"})
    PrivateNote.objects.create(organisation=cast.npo, person=worker, text="メモ")
    Notification.objects.create(user=worker, subject="x", body="y")
    client.force_login(worker)
    answer = client.post(reverse("my_data_erase"), {"password": "pass-word-123", "confirm": "on"})
    assert answer.status_code == 302
    worker = User.objects.get(pk=worker.pk)
    assert worker.username == f"deleted-{worker.pk}" and str(worker) == "退会した利用者" and not worker.is_active
    assert not worker.has_usable_password() and worker.email == ""
    assert not Profile.objects.filter(user=worker).exists()
    assert not PrivateNote.objects.filter(person=worker).exists() and not Notification.objects.filter(user=worker).exists()
    assert not worker.memberships.exists()
    assert TimeEntry.objects.filter(user=worker).count() == 1  # pay records stay
    assert "_auth_user_id" not in client.session


def test_leaving_is_refused_while_work_is_held_or_with_a_wrong_password(client, cast):
    worker = with_password(cast.worker)
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=worker, backup=cast.second)
    client.force_login(worker)
    wrong = client.post(reverse("my_data_erase"), {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400 and "パスワードが違います" in wrong.content.decode()
    held = client.post(reverse("my_data_erase"), {"password": "pass-word-123", "confirm": "on"})
    assert held.status_code == 400 and "担当・バックアップの作業要素が1件" in held.content.decode()
    assert User.objects.get(pk=worker.pk).is_active
    assert WorkElement.objects.get(pk=element.pk).primary_id == worker.pk
