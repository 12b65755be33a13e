"""Every URL of the site against the access rules, generated from the URL conf: a new view that isn't classified
here fails, and every classified one is checked — anonymous visitors are sent to sign in, and a signed-in stranger
(a self-registered searcher: no organisation, no team) gets nothing of anyone's work, messages or imports."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.cast import TODAY
from tests.factories import AwardFactory, NoticeFactory, UserFactory, municipality
from tsunagu.alerts.services import api_token_create, saved_search_create
from tsunagu.collection.models import Candidate, Source
from tsunagu.eligibility.services import profile_save, registration_add
from tsunagu.series.models import CallSeries
from tsunagu.comms.meetings import series_create
from tsunagu.comms.messaging import message_post
from tsunagu.comms.models import Attachment
from tsunagu.core.health import queue_heartbeat_record
from tsunagu.notices.models import ImportRun
from tsunagu.workshare import services
from tsunagu.workshare.models import Application, Recruitment

# Open to everyone, signed in or not (GET answers 200 to an anonymous visitor).
PUBLIC = {"home", "health", "notices:list", "notices:detail", "notices:calendar", "municipality_detail",
          "collection:coverage", "notices:import_template", "alerts:search_feed", "register", "series:detail",
          "series:upcoming", "eligibility:fits",  # eligibility:fits shows an anonymous visitor how to sign in
          "opendata:index", "opendata:extension", "insights:analytics", "insights:organisations",
          "insights:organisation"}
# Public files by name: a name that isn't one of them (or tries to climb out of their folder) is 404.
PUBLIC_FILES = {"opendata:download": ["nothing.jsonl", "..%2F..%2Fsettings.py", "..", "%2Fetc%2Fpasswd"],
                "opendata:extension": ["nothing.json", "..%2F..%2Fsettings.py", ".."]}
# Django's own sign-in, sign-out, password reset and language switch.
AUTH_FLOW = {"login", "logout", "password_reset", "password_reset_done", "password_reset_confirm",
             "password_reset_complete", "set_language", "register_confirm"}
# A secret in the URL is the key: a wrong one finds nothing.
TOKEN = {"invitation_accept": 410, "comms:calendar_feed": 404, "alerts:unsubscribe": 400,
         "alerts:saved_search_feed": 404, "alerts:follows_calendar": 404}
# Signed-in only; object URLs are also checked against a stranger below.
SIGNED_IN = {
    "invitation_create", "my_data", "my_data_export", "my_data_erase",
    "notices:import_list", "notices:import_upload", "notices:import_detail", "notices:import_confirm",
    "notices:import_error_file",
    "workshare:projects", "workshare:project_request", "workshare:project", "workshare:terms_propose",
    "workshare:terms_confirm", "workshare:team_add", "workshare:team_leave", "workshare:intake", "workshare:feedback",
    "workshare:element_create", "workshare:elements_template", "workshare:board", "workshare:audit", "workshare:plan",
    "workshare:board_import", "workshare:statements", "workshare:person", "workshare:profile_edit", "workshare:skills",
    "workshare:recruitments", "workshare:apply", "workshare:application_decide", "workshare:recruitment_open",
    "workshare:element", "workshare:element_claim", "workshare:element_progress", "workshare:element_handoff",
    "workshare:element_submit", "workshare:time_entry", "workshare:submission_review", "workshare:change_decide",
    "comms:notifications", "comms:notifications_read", "comms:preferences", "comms:project_thread", "comms:charter",
    "comms:element_thread", "comms:direct", "comms:attachment", "comms:acknowledge", "comms:meetings", "comms:meeting",
    "comms:meeting_ics", "comms:calendar",
    "collection:sources", "collection:candidate", "collection:paste",
    "alerts:index", "alerts:new", "alerts:edit", "alerts:pause", "alerts:delete", "alerts:follows", "alerts:follow",
    "alerts:feed_token", "alerts:api_token_create", "alerts:api_token_revoke",
    "eligibility:profile", "eligibility:registration_add", "eligibility:registration_remove",
}
# Signed-in actions on public records that anyone signed in may take (following a public notice).
ON_PUBLIC_RECORDS = {"alerts:follow"}
# The JSON API: public reads, fuzzed against its OpenAPI description (tests/api/).
API_NAMESPACE = "api-v1"

DUMMY = {"int": 1, "str": "x", "path": "x", "slug": "x"}


def named_urls() -> dict[str, URLPattern]:
    found = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(p for p in (namespace, pattern.namespace) if p) or None
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern

    walk(get_resolver().url_patterns, None)
    return {name: p for name, p in found.items() if not name.startswith(("admin:", f"{API_NAMESPACE}:"))}


def dummy_args(pattern: URLPattern) -> dict:
    converters = pattern.pattern.converters
    return {name: ("131016" if name == "lg_code" else DUMMY.get(type(c).__name__.replace("Converter", "").lower(), "x"))
            for name, c in converters.items()}


def test_every_url_of_the_site_is_classified_once():
    classified = [*PUBLIC, *AUTH_FLOW, *TOKEN, *SIGNED_IN, *(set(PUBLIC_FILES) - PUBLIC)]
    assert len(classified) == len(set(classified)), "a URL name is in two classes"
    unclassified = sorted(set(named_urls()) - set(classified))
    assert not unclassified, f"classify these URLs in tests/test_url_access.py (and check their access): {unclassified}"
    gone = sorted(set(classified) - set(named_urls()))
    assert not gone, f"these names are no longer in the URL conf: {gone}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SIGNED_IN))
def test_an_anonymous_visitor_is_sent_to_sign_in_by_get_and_by_post(client, name):
    url = reverse(name, kwargs=dummy_args(named_urls()[name]))
    for answer in (client.get(url), client.post(url, {})):
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/"), (name, answer.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TOKEN))
def test_a_wrong_token_finds_nothing(client, name):
    pattern = named_urls()[name]
    assert client.get(reverse(name, kwargs={**dummy_args(pattern), "token": "not-a-real-token"})).status_code == TOKEN[name]


@pytest.fixture
def objects(cast, settings, tmp_path):
    """One of everything the stranger must not reach, made the way the product makes them."""
    element = cast.element()
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    terms = cast.project.current_terms()
    services.time_entry_add(element=element, by=cast.worker, worked_on=TODAY, minutes=30, today=TODAY)
    submission = services.element_submit(element=element, by=cast.worker, checklist_done=element.checklist)
    element.revision_rounds_used = terms.revision_rounds
    element.save()
    change = services.submission_request_revision(submission=submission, by=cast.owner, comment="範囲を広げたい",
                                                  price_yen=1000)
    message = message_post(project=cast.project, by=cast.coordinator, body="資料です")
    attachment = Attachment.objects.create(message=message, file=ContentFile(b"a,b\n", name="a.csv"), name="a.csv", size=4,
                                           content_type="text/csv")
    meeting = series_create(organisation=cast.npo, by=cast.coordinator, weekday=2, interval_weeks=2,
                           starts_on=datetime.date(2026, 6, 3), start_time=datetime.time(10),
                           end_time=datetime.time(11), video_url="https://meet.example/abc")
    recruitment = Recruitment.objects.create(project=cast.project, message="募集", hours_per_week=5,
                                             closes_on=TODAY + datetime.timedelta(days=7))
    application = Application.objects.create(recruitment=recruitment, worker=cast.outsider, offered_hours=5)
    source = Source.objects.create(municipality=municipality("131016"), url="https://www.city.chiyoda.lg.jp/keiyaku/")
    candidate = Candidate.objects.create(source=source, municipality=source.municipality, title="公募", key="k",
                                         url="https://www.city.chiyoda.lg.jp/p/1.html", found_at=timezone.now())
    run = ImportRun.objects.create(kind=ImportRun.Kind.NOTICES, filename="a.csv", created_by=cast.coordinator)
    notice = NoticeFactory()
    saved_search = saved_search_create(user=cast.worker, name="観光", query_string="q=観光")
    _token, _secret = api_token_create(user=cast.worker, name="script")
    profile = profile_save(user=cast.worker, org_type="npo", municipality=municipality("131016"))
    registration = registration_add(profile=profile, body=municipality("131016"))
    series = CallSeries.objects.get(editions__notice=notice)
    award = AwardFactory(notice=notice)
    queue_heartbeat_record()  # a worker is alive: /health/ answers 200
    return {"project_id": cast.project.pk, "element_id": element.pk, "terms_id": terms.pk, "user_id": cast.worker.pk,
            "submission_id": submission.pk, "change_id": change.pk, "message_id": message.pk,
            "attachment_id": attachment.pk, "meeting_series_id": meeting.pk, "series_id": series.pk,
            "recruitment_id": recruitment.pk,
            "application_id": application.pk, "candidate_id": candidate.pk, "run_id": run.pk, "notice_id": notice.pk,
            "saved_search_id": saved_search.pk, "token_id": _token.pk,
            "registration_id": registration.pk, "name": "extension.json",
            "organisation_id": award.winner_id,
            "year": 2026, "month": 6, "lg_code": "131016", "kind": "notices"}


def object_args(name: str, pattern: URLPattern, objects: dict) -> dict:
    """The URL's arguments from the objects; a meeting series and a call series are both `series_id`."""
    aliases = {"series_id": "meeting_series_id"} if name.startswith("comms:meeting") else {}
    return {k: objects[aliases.get(k, k)] for k in pattern.pattern.converters}


OBJECT_URLS = sorted(name for name in SIGNED_IN - ON_PUBLIC_RECORDS if dummy_args(named_urls()[name]))


@pytest.mark.django_db
@pytest.mark.parametrize("name", OBJECT_URLS)
def test_a_signed_in_stranger_reaches_no_ones_objects(client, objects, name):
    pattern = named_urls()[name]
    missing = set(pattern.pattern.converters) - set(objects)
    assert not missing, f"{name}: make an object for {missing} in the `objects` fixture"
    url = reverse(name, kwargs=object_args(name, pattern, objects))
    client.force_login(UserFactory(username="stranger"))
    got, posted = client.get(url), client.post(url, {})
    assert got.status_code in {403, 404, 405}, (name, "GET", got.status_code)
    assert posted.status_code in {403, 404}, (name, "POST", posted.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_answer_an_anonymous_visitor(client, objects, name):
    pattern = named_urls()[name]
    url = reverse(name, kwargs=object_args(name, pattern, objects))
    assert client.get(url).status_code == 200, name


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC_FILES))
def test_a_public_file_that_does_not_exist_or_lies_outside_its_folder_is_404(client, name):
    for file_name in PUBLIC_FILES[name]:
        url = reverse(name, kwargs={"name": "x"}).rsplit("/", 1)[0] + "/" + file_name
        assert client.get(url).status_code == 404, (name, file_name)
