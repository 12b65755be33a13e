"""Entering, double-checking and publishing: agreeing fields are kept, disagreements go to a reviewer, the record
appears in search at once with its provenance."""

import pytest
from django.utils import timezone

from tests.factories import municipality
from tsunagu.collection.entry import candidate_publish, entries_compare, entry_submit
from tsunagu.collection.models import Candidate, Source
from tsunagu.core.errors import DomainError
from tsunagu.search.selectors import notice_search

pytestmark = pytest.mark.django_db
FIELDS = {"title": "令和8年度 子育て支援アプリ運用業務委託", "kind": "proposal", "published_on": "令和8年4月1日",
          "submission_deadline": "2026/4/25", "budget_yen": "3,300,000円", "department": "子ども支援課"}


def _candidate():
    source = Source.objects.create(municipality=municipality("131016"), url="https://www.city.chiyoda.lg.jp/keiyaku/")
    return Candidate.objects.create(source=source, municipality=source.municipality, url="https://www.city.chiyoda.lg.jp/p/1.html",
                                    title="子育て支援アプリ", key="k1", found_at=timezone.now())


def test_two_entries_that_differ_only_in_writing_agree():
    same = {**FIELDS, "published_on": "2026-04-01", "budget_yen": "330万円", "title": "令和８年度　子育て支援アプリ運用業務委託"}
    assert entries_compare(FIELDS, same) == {}
    assert set(entries_compare(FIELDS, {**FIELDS, "submission_deadline": "2026-04-26"})) == {"submission_deadline"}


def test_a_double_entry_with_a_disagreement_waits_for_a_reviewer_then_appears_in_search_with_its_source(cast):
    candidate = _candidate()
    entry_submit(candidate=candidate, by=cast.worker, fields=FIELDS)
    entry_submit(candidate=candidate, by=cast.second, fields={**FIELDS, "submission_deadline": "2026-04-26"})
    with pytest.raises(DomainError, match="submission_deadline"):
        candidate_publish(candidate=candidate, by=cast.coordinator, double=True)
    with pytest.raises(DomainError, match="別の人"):
        candidate_publish(candidate=candidate, by=cast.worker, double=True, fields={"submission_deadline": "2026-04-25"})
    notice = candidate_publish(candidate=candidate, by=cast.coordinator, double=True, fields={"submission_deadline": "2026-04-25"})
    assert (notice.submission_deadline.isoformat(), notice.budget_yen, notice.source_url) == (
        "2026-04-25", 3_300_000, "https://www.city.chiyoda.lg.jp/p/1.html")
    assert notice_search(text="子育て支援アプリ").notices.ids() == [notice.pk]
    note = notice.revisions.get().note
    assert "鈴木" in note and "高橋" in note and "佐藤" in note


def test_a_single_entry_is_checked_by_someone_else_and_bad_values_name_their_field(cast):
    candidate = _candidate()
    with pytest.raises(DomainError) as refused:
        entry_submit(candidate=candidate, by=cast.worker, fields={**FIELDS, "published_on": "令和8年2月30日"})
    assert "2月30日" in refused.value.message
    entry_submit(candidate=candidate, by=cast.worker, fields=FIELDS)
    with pytest.raises(DomainError, match="もう入力しています"):
        entry_submit(candidate=candidate, by=cast.worker, fields=FIELDS)
    with pytest.raises(DomainError, match="別の人"):
        candidate_publish(candidate=candidate, by=cast.worker)
    assert candidate_publish(candidate=candidate, by=cast.second).title == FIELDS["title"]


def test_the_entry_page_enters_blind_and_a_reviewer_publishes_through_the_web(client, cast):
    from django.urls import reverse

    candidate = _candidate()
    candidate.fields = {"title": {"value": FIELDS["title"], "evidence": FIELDS["title"]},
                        "published_on": {"value": "2026-04-01", "evidence": "公告日：令和8年4月1日"}}
    candidate.save()
    url = reverse("collection:candidate", args=[candidate.pk])
    client.force_login(cast.worker)
    page = client.get(url).content.decode()
    assert "公告日：令和8年4月1日" in page and 'value="2026-04-01"' in page  # pre-filled, with the evidence beside it
    assert client.post(url, {"action": "enter", **FIELDS}).status_code == 302
    client.force_login(cast.second)
    assert FIELDS["department"] not in client.get(url).content.decode().split("二人目の入力")[1].split("</form>")[0]
    client.post(url, {"action": "enter", **{**FIELDS, "budget_yen": "3,000,000円"}})
    client.force_login(cast.coordinator)
    assert client.post(url, {"action": "publish"}).status_code == 400  # the disagreement needs a decision
    response = client.post(url, {"action": "publish", "final_budget_yen": "3300000"})
    assert response.status_code == 302 and notice_search(text="子育て支援アプリ").notices[:1][0].budget_yen == 3_300_000
    client.force_login(cast.owner)
    assert client.get(url).status_code == 403


def test_a_gold_record_scores_the_entry_and_is_never_published(cast):
    from tsunagu.collection.entry import accuracy

    candidate = _candidate()
    candidate.gold = {"title": FIELDS["title"], "published_on": "2026-04-01", "budget_yen": "3300000"}
    candidate.save()
    entry_submit(candidate=candidate, by=cast.worker, fields={**FIELDS, "budget_yen": "3,000,000円"})
    assert accuracy(cast.worker) == (2, 3) and accuracy(cast.second) == (0, 0)
    with pytest.raises(DomainError, match="確認用レコード"):
        candidate_publish(candidate=candidate, by=cast.coordinator)


def test_a_record_chosen_for_double_entry_waits_for_the_second_person(cast):
    candidate = _candidate()
    candidate.needs_double_entry = True
    candidate.save()
    entry_submit(candidate=candidate, by=cast.worker, fields=FIELDS)
    with pytest.raises(DomainError, match="二重入力の対象"):
        candidate_publish(candidate=candidate, by=cast.coordinator)


def test_new_candidates_land_in_the_collection_projects_unit_for_their_municipality(cast):
    from decimal import Decimal

    from tsunagu.collection.watcher import _element_for
    from tsunagu.workshare import services

    [unit] = services.elements_from_municipalities(project=cast.project, by=cast.coordinator, lg_codes=["131016"],
                                                   title_pattern="{municipality}", estimated_hours=Decimal(1),
                                                   due_on=cast.project.deadline, today=cast.project.deadline.replace(day=1))
    assert _element_for(municipality("131016")) is None  # the project is not running yet
    cast.project.status = "running"
    cast.project.save()
    assert _element_for(municipality("131016")) == unit and _element_for(municipality("131024")) is None


def test_a_correction_notice_updates_the_stored_call_and_records_what_changed(client, cast):
    from django.urls import reverse

    from tests.factories import NoticeFactory

    stored = NoticeFactory(municipality=municipality("131016"), title=FIELDS["title"], submission_deadline=None)
    candidate = _candidate()
    entry_submit(candidate=candidate, by=cast.worker, fields={**FIELDS, "submission_deadline": "2026-05-08"})
    client.force_login(cast.second)
    url = reverse("collection:candidate", args=[candidate.pk])
    assert "訂正公告として反映する" in client.get(url).content.decode()
    response = client.post(url, {"action": "publish", "corrects": stored.pk})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.submission_deadline.isoformat() == "2026-05-08"
    revision = stored.revisions.get(kind="correction")
    assert revision.changes["submission_deadline"] == [None, "2026-05-08"]
    assert notice_search(text="子育て支援アプリ").notices.count() == 1  # corrected, not duplicated


def test_rows_pasted_from_excel_are_checked_per_row_and_column_then_entered(client, cast):
    from django.urls import reverse

    url = reverse("collection:paste", args=["131016"])
    header = "件名\t公募種別\t公告日\t参加申込締切\t提出期限\t上限額\t担当課\tURL"
    good = "観光案内業務\t公募型プロポーザル\t令和8年5月1日\t\t2026/5/20\t330万円\t観光課\thttps://www.city.chiyoda.lg.jp/p/9.html"
    bad = "区報配送業務\t一般競争入札\t令和8年2月30日\t\t\t\t\thttps://www.city.chiyoda.lg.jp/p/10.html"
    client.force_login(cast.worker)
    response = client.post(url, {"rows": "\n".join([header, good, bad]), "action": "enter"})
    assert response.status_code == 400 and "2月30日" in response.content.decode()
    assert response.context["problems"][0][:2] == (2, "公告日") and not Candidate.objects.exists()
    response = client.post(url, {"rows": "\n".join([header, good]), "action": "enter"})
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    entry = candidate.entries.get()
    assert (entry.entered_by, entry.fields["budget_yen"], entry.fields["kind"]) == (cast.worker, 3_300_000, "proposal")
    notice = candidate_publish(candidate=candidate, by=cast.second)
    assert notice.source_url.endswith("/p/9.html") and notice_search(text="観光案内").notices.ids() == [notice.pk]
    client.force_login(cast.owner)
    assert client.get(url).status_code == 403
