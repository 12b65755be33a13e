"""The profile and 「応募できそうな公募」 pages: a login prompt for anonymous visitors, one's own profile only."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import ROLES
from tests.factories import NoticeFactory, UserFactory, municipality
from tsunagu.eligibility.models import EligibilityProfile, Registration
from tsunagu.eligibility.services import profile_save, registration_add

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_the_fit_page_prompts_anonymous_visitors_and_asks_others_for_a_profile(client_as, role):
    page = client_as(role).get(reverse("eligibility:fits"))
    assert page.status_code == 200
    html = page.content.decode()
    assert ("ログインして使う" in html) == (role == "anonymous")
    assert ("プロフィールを登録する" in html) == (role != "anonymous")


@pytest.mark.parametrize("role", ROLES)
def test_the_profile_page_is_each_signed_in_users_own(client_as, role):
    client = client_as(role)
    response = client.get(reverse("eligibility:profile"))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    assert response.status_code == 200
    saved = client.post(reverse("eligibility:profile"), {"name": "NPO法人みなと", "org_type": "npo", "location": "千代田区",
                                                         "member_count": "6"})
    assert saved.status_code == 302
    profile = EligibilityProfile.objects.get(user=response.wsgi_request.user)
    assert (profile.municipality.lg_code, profile.member_count) == ("131016", 6)


def test_an_unknown_or_ambiguous_place_is_refused_next_to_the_field(client, make_user):
    client.force_login(make_user("worker"))
    unknown = client.post(reverse("eligibility:profile"), {"org_type": "npo", "location": "存在しない市"})
    assert unknown.status_code == 400 and "という自治体は見つかりません" in unknown.content.decode()
    ambiguous = client.post(reverse("eligibility:profile"), {"org_type": "npo", "location": "府中市"})
    assert ambiguous.status_code == 400 and "府中市" in ambiguous.content.decode()


@pytest.mark.parametrize("role", ["owner", "coordinator", "worker", "outsider", "anonymous"])
def test_someone_elses_registration_is_404_and_ones_own_can_be_removed(client_as, role):
    mine = profile_save(user=UserFactory(), org_type="company", municipality=municipality())
    registration = registration_add(profile=mine, body=municipality())
    response = client_as(role).post(reverse("eligibility:registration_remove", args=[registration.pk]))
    assert response.status_code == (302 if role == "anonymous" else 404)
    assert Registration.objects.filter(pk=registration.pk).exists()
    client_as("worker").force_login(mine.user)
    assert client_as("anonymous").post(reverse("eligibility:registration_remove", args=[registration.pk])).status_code == 302
    assert not Registration.objects.filter(pk=registration.pk).exists()


def test_a_registration_is_added_by_name_and_a_duplicate_is_refused(client, make_user):
    user = make_user("worker")
    client.force_login(user)
    client.post(reverse("eligibility:profile"), {"org_type": "company", "location": "131016"})
    data = {"body": "東京都", "category": "services"}
    assert client.post(reverse("eligibility:registration_add"), data).status_code == 302
    again = client.post(reverse("eligibility:registration_add"), data)
    assert again.status_code == 400 and "この区分の登録はもうあります" in again.content.decode()


def test_fitting_calls_come_first_with_their_reasons_and_misfits_are_hidden_unless_asked(client, make_user, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC))
    user = make_user("worker")
    profile_save(user=user, org_type="npo", municipality=municipality("131016"), member_count=6, years_active=2)
    open_call = {"published_on": datetime.date(2026, 5, 20), "submission_deadline": datetime.date(2026, 6, 20)}
    NoticeFactory(title="区内NPO向け協働事業", kind="collaboration", eligibility="千代田区内に活動拠点を有する市民活動団体、NPO法人等。", **open_call)
    NoticeFactory(title="名簿登録が必要な委託", kind="open_tender", eligibility="千代田区の競争入札参加資格者名簿に登載されている者。", **open_call)
    NoticeFactory(title="実績が必要な委託", eligibility="同種業務の実績を有する者。", **open_call)
    NoticeFactory(title="大阪の公募", municipality=municipality("271004"), eligibility="", **open_call)
    client.force_login(user)
    page = client.get(reverse("eligibility:fits"))
    titles = [f.notice.title for f in page.context["result"].fits]
    assert titles == ["区内NPO向け協働事業", "実績が必要な委託"]
    html = page.content.decode()
    assert "千代田区内に事務所が必要：あなたは東京都千代田区" in html and "「同種業務の実績を有する者。」" in html
    assert page.context["result"].hidden == 1
    everything = client.get(reverse("eligibility:fits"), {"all": "on"}).content.decode()
    assert "入札参加資格が必要（千代田区）：登録なし" in everything
    assert [f.notice.title for f in client.get(reverse("eligibility:fits"), {"kind": "collaboration"}).context["result"].fits] == ["区内NPO向け協働事業"]
    nationwide = client.get(reverse("eligibility:fits"), {"area": "all"}).context["result"]
    assert "大阪の公募" in [f.notice.title for f in nationwide.fits]
