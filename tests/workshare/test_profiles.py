"""Faces and hours: the profile a team sees, checked windows and caps, photos without their metadata."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.conftest import ROLES
from tsunagu.accounts.models import AvailabilityWindow, Profile
from tsunagu.accounts.profiles import Window, parse_windows, profile_update
from tsunagu.core.errors import DomainError

T = datetime.time


def _update(user, windows, cap=10, photo=None):
    return profile_update(user=user, display_name="鈴木 美咲", introduction="二児の母です", region="東京都",
                          weekly_hour_cap=cap, windows=windows, photo=photo)


def test_windows_are_read_from_lines_in_japanese(cast):
    assert parse_windows("月 9:30-14:00\n水曜日 10:00〜12:00") == [Window(0, T(9, 30), T(14)), Window(2, T(10), T(12))]
    with pytest.raises(DomainError, match="2行目"):
        parse_windows("月 9:30-14:00\nいつでも")


@pytest.mark.parametrize(("windows", "cap", "message"), [
    ([Window(0, T(14), T(9))], 1, "終わりが始まりより前"),
    ([Window(0, T(9), T(12)), Window(0, T(11), T(13))], 1, "1行目と2行目（月）の時間帯が重なっています"),
    ([Window(0, T(9), T(12))], 4, "週の上限（4時間）が作業できる時間帯の合計（3.0時間）を超えています"),
])
def test_inverted_or_overlapping_windows_and_a_cap_above_them_are_refused_and_nothing_changes(cast, windows, cap, message):
    _update(cast.worker, [Window(1, T(9), T(15))], cap=6)
    with pytest.raises(DomainError, match=message):
        _update(cast.worker, windows, cap=cap)
    assert list(AvailabilityWindow.objects.filter(user=cast.worker).values_list("weekday", flat=True)) == [1]
    assert Profile.objects.get(user=cast.worker).weekly_hour_cap == 6


def _jpeg_with_location() -> bytes:
    image = Image.new("RGB", (1600, 1200), (200, 120, 80))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0132] = "2026:05:01 10:00:00"  # when it was taken
    exif[0x9286] = "自宅の近く"  # user comment
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_resized_and_stored_without_its_metadata(cast):
    raw = _jpeg_with_location()
    assert Image.open(io.BytesIO(raw)).getexif()  # the upload does carry metadata
    upload = SimpleUploadedFile("me.jpg", raw, content_type="image/jpeg")
    profile = _update(cast.worker, [Window(0, T(9), T(14))], cap=5, photo=upload)
    stored = Image.open(profile.photo.path)
    assert max(stored.size) == 400 and not stored.getexif() and "exif" not in stored.info


def test_a_file_that_is_not_a_picture_is_refused_on_the_photo_field(cast):
    with pytest.raises(DomainError) as refused:
        _update(cast.worker, [], photo=SimpleUploadedFile("me.jpg", b"not an image"))
    assert refused.value.field == "photo"


@pytest.mark.parametrize("role", ROLES)
def test_a_team_members_profile_is_seen_by_the_people_they_work_with(client, cast, role):
    from tsunagu.accounts.models import PrivateNote

    Profile.objects.create(user=cast.second, introduction="よろしくお願いします")
    PrivateNote.objects.create(organisation=cast.npo, person=cast.second, text="木曜は通院")
    user = cast.user(role)
    if user:
        client.force_login(user)
    response = client.get(reverse("workshare:person", args=[cast.second.pk]))
    if role == "anonymous":
        assert response.status_code == 302
        return
    if role == "outsider":
        # a worker of the same NPO but another team: not someone they work with
        assert response.status_code == 404
        return
    page = response.content.decode()
    assert response.status_code == 200 and "よろしくお願いします" in page
    assert ("木曜は通院" in page) == (role == "coordinator")


def test_the_profile_form_reports_a_bad_window_line_next_to_the_field(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("workshare:profile_edit"), {
        "display_name": "鈴木", "weekly_hour_cap": "5", "windows": "月 9:30-14:00\n火 13:00-10:00"})
    assert response.status_code == 400 and "2行目（火）：終わりが始まりより前です" in response.content.decode()
    assert not AvailabilityWindow.objects.filter(user=cast.worker).exists()
    response = client.post(reverse("workshare:profile_edit"), {
        "display_name": "鈴木", "weekly_hour_cap": "5", "windows": "月 9:30-14:00\n火 10:00-13:00"})
    assert response.status_code == 302 and AvailabilityWindow.objects.filter(user=cast.worker).count() == 2


def test_workers_set_their_skill_levels_on_the_profile(client, cast):
    client.force_login(cast.second)
    response = client.post(reverse("workshare:profile_edit"), {
        "display_name": "高橋", "weekly_hour_cap": "5", "windows": "月 9:00-14:00",
        f"skill_{cast.research.pk}": "3", f"skill_{cast.entry.pk}": "0"})
    assert response.status_code == 302
    assert {(s.skill.name, s.level) for s in cast.second.skills.select_related("skill")} == {("Web調査", 3)}


@pytest.mark.parametrize(("role", "status"), [("coordinator", 302), ("owner", 403), ("worker", 403), ("outsider", 404)])
def test_only_the_coordinator_writes_the_private_notes(client, cast, role, status):
    from tsunagu.accounts.models import PrivateNote

    client.force_login(cast.user(role))
    response = client.post(reverse("workshare:person", args=[cast.second.pk]), {"notes": "木曜は通院", "organisation": cast.npo.pk})
    assert response.status_code == status
    assert PrivateNote.objects.filter(person=cast.second, text="木曜は通院").exists() == (status == 302)


def test_another_npos_coordinator_never_sees_our_notes(client, cast):
    from tests.factories import UserFactory
    from tsunagu.accounts.models import Membership, Organisation, PrivateNote

    other = Organisation.objects.create(name="NPO法人となり", kind=Organisation.Kind.COORDINATING)
    rival = UserFactory(username="rival")
    Membership.objects.create(organisation=other, user=rival, role=Membership.Role.COORDINATOR)
    Membership.objects.create(organisation=other, user=cast.second, role=Membership.Role.WORKER)  # works with both NPOs
    PrivateNote.objects.create(organisation=cast.npo, person=cast.second, text="木曜は通院")
    client.force_login(rival)
    page = client.get(reverse("workshare:person", args=[cast.second.pk])).content.decode()
    assert "木曜は通院" not in page and "NPO法人となり のコーディネーターだけが見るメモ" in page
    response = client.post(reverse("workshare:person", args=[cast.second.pk]), {"notes": "上書き", "organisation": cast.npo.pk})
    assert response.status_code == 403 and PrivateNote.objects.get(organisation=cast.npo).text == "木曜は通院"


@pytest.mark.parametrize(("role", "status"), [("coordinator", 302), ("worker", 400)])
def test_coordinators_maintain_the_skill_list(client, cast, role, status):
    client.force_login(cast.user(role))
    response = client.post(reverse("workshare:skills"), {"name": "手話"})
    assert response.status_code == status
    response = client.post(reverse("workshare:skills"), {"name": "データ入力"})
    assert response.status_code == 400


def test_sunday_is_a_day_too():
    assert parse_windows("日 10:00-12:00\n日曜日 13:00-14:00\n土曜 9:00-10:00") == [
        Window(6, T(10), T(12)), Window(6, T(13), T(14)), Window(5, T(9), T(10))]
