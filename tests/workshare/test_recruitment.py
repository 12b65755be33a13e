"""Recruitment: the coordinator calls the NPO's workers with skills and hours; workers answer with the hours they
can give; the coordinator takes them into the team."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from tests.cast import TODAY
from tests.conftest import ROLES
from tsunagu.core.errors import DomainError
from tsunagu.workshare import services
from tsunagu.workshare.models import Application, TeamMember


def _call(cast):
    return services.recruitment_open(project=cast.project, by=cast.coordinator, message="入力を手伝ってください",
                                     hours_per_week=5, closes_on=TODAY + datetime.timedelta(days=7), skills=[cast.entry],
                                     today=TODAY)


def test_a_call_reaches_the_npos_workers_and_an_accepted_answer_joins_the_team(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call = _call(cast)
    assert "outsider@example.jp" in mail.outbox[-1].to
    application = services.application_submit(recruitment=call, by=cast.outsider, offered_hours=4, note="火木の午前", today=TODAY)
    services.application_submit(recruitment=call, by=cast.outsider, offered_hours=6, today=TODAY)  # answering again updates
    assert Application.objects.get().offered_hours == 6
    services.application_decide(application=application, by=cast.coordinator, accept=True)
    assert TeamMember.objects.get(project=cast.project, user=cast.outsider).offered_hours == 6
    with pytest.raises(DomainError, match="もう決まっています"):
        services.application_decide(application=application, by=cast.coordinator, accept=False)


def test_a_closed_call_and_people_outside_the_npo_cannot_be_answered(cast, time_machine):
    from tests.factories import UserFactory

    call = _call(cast)
    with pytest.raises(DomainError, match="ワーカーが応募できます"):
        services.application_submit(recruitment=call, by=UserFactory(), offered_hours=3, today=TODAY)
    with pytest.raises(DomainError, match="締め切りました"):
        services.application_submit(recruitment=call, by=cast.outsider, offered_hours=3, today=TODAY + datetime.timedelta(days=8))


@pytest.mark.parametrize("role", ROLES)
def test_the_calls_page_shows_the_npos_open_calls_to_its_workers(client, cast, role):
    _call(cast)
    user = cast.user(role)
    if user:
        client.force_login(user)
    response = client.get(reverse("workshare:recruitments"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert ("入力を手伝ってください" in response.content.decode()) == (role in ("worker", "outsider"))


@pytest.mark.parametrize(("role", "status"), [("outsider", 302), ("worker", 302), ("owner", 404), ("coordinator", 404),
                                              ("anonymous", 302)])
def test_answering_a_call(client, cast, role, status):
    call = _call(cast)
    user = cast.user(role)
    if user:
        client.force_login(user)
    response = client.post(reverse("workshare:apply", args=[call.pk]), {"offered_hours": "4"})
    assert response.status_code == status
    assert Application.objects.exists() == (role in ("outsider", "worker"))


@pytest.mark.parametrize(("role", "status"), [("coordinator", 302), ("owner", 403), ("worker", 403), ("outsider", 404)])
def test_only_the_coordinator_takes_an_applicant_into_the_team(client, cast, role, status):
    application = services.application_submit(recruitment=_call(cast), by=cast.outsider, offered_hours=4, today=TODAY)
    client.force_login(cast.user(role))
    response = client.post(reverse("workshare:application_decide", args=[application.pk]), {"accept": "yes"})
    assert response.status_code == status
    assert TeamMember.objects.filter(user=cast.outsider).exists() == (role == "coordinator")


def test_a_call_with_a_past_closing_date_is_refused_next_to_the_field(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(reverse("workshare:recruitment_open", args=[cast.project.pk]),
                           {"message": "募集", "hours_per_week": "5", "closes_on": "2020-01-01"})
    assert response.status_code == 400 and "締切が過去の日付です" in response.content.decode()
