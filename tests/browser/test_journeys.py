"""The main journeys of issue 8 in a real browser: a searcher on a phone, an owner, a coordinator, a worker and the
collection team. Data is set up with the factories and services; everything after sign-in happens through the pages."""

import datetime
import hashlib
import re

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import NoticeFactory, municipality
from tsunagu.collection.models import Candidate
from tsunagu.notices.models import Notice
from tsunagu.workshare import services
from tsunagu.workshare.models import WorkElement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def board_row(journey, title: str):
    return journey.page.locator("table.board tbody tr").filter(has=journey.page.get_by_role("link", name=title, exact=True))


def test_a_searcher_on_a_phone_finds_a_call_narrows_it_down_and_adds_its_deadline_to_a_calendar(phone):
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=20)
    NoticeFactory(title="観光案内所運営業務委託", municipality=municipality("131016"), published_on=today - datetime.timedelta(days=3),
                  submission_deadline=deadline, submission_deadline_time=datetime.time(17, 0),
                  source_url="https://www.city.chiyoda.lg.jp/koho/kanko/annaijo.html")
    NoticeFactory(title="観光PR動画制作業務", municipality=municipality("011002"), published_on=today - datetime.timedelta(days=2),
                  submission_deadline=today + datetime.timedelta(days=30))
    NoticeFactory(title="庁舎清掃業務", municipality=municipality("131016"), published_on=today - datetime.timedelta(days=1))
    page = phone.page

    phone.open("/")
    phone.step("home")
    phone.menu("公募を探す")
    page.get_by_label("キーワード").fill("観光")
    page.get_by_role("button", name="検索", exact=True).click()
    phone.step("searched")
    results = page.locator("section.results")
    expect(results.get_by_text("2 件", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="観光案内所運営業務委託")).to_be_visible()
    expect(results.get_by_role("link", name="観光PR動画制作業務")).to_be_visible()
    expect(results).not_to_contain_text("庁舎清掃業務")
    phone.fits_the_screen()

    page.get_by_label("都道府県").select_option(label="東京都")
    page.get_by_role("button", name="検索", exact=True).click()
    phone.step("narrowed-to-tokyo")
    expect(results.get_by_text("1 件", exact=True)).to_be_visible()
    expect(results).not_to_contain_text("観光PR動画制作業務")
    assert "prefecture=13" in page.url, "the filter should live in the address, so a search can be shared"

    results.get_by_role("link", name="観光案内所運営業務委託").click()
    phone.step("call")
    expect(page.get_by_role("heading", level=1)).to_contain_text("観光案内所運営業務委託")
    expect(page.locator("dl.facts")).to_contain_text(f"{deadline.year}年{deadline.month}月{deadline.day}日 17:00")
    phone.fits_the_screen()

    with page.expect_download() as download:
        page.get_by_role("link", name="締切をカレンダーに追加（.ics）").click()
    phone.step("calendar-downloaded")
    calendar = icalendar.Calendar.from_ical(download.value.path().read_bytes())
    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.date() == deadline and start.hour == 17
    assert str(event["summary"]) == "【提出期限】観光案内所運営業務委託"
    assert download.value.suggested_filename.endswith(".ics")


def test_an_owner_submits_a_request_and_later_accepts_a_delivery(desktop, cast):
    page = desktop.page
    desktop.sign_in(cast.owner)
    desktop.menu("ワークシェア")
    page.get_by_role("link", name="仕事を依頼する").click()
    desktop.step("request-form")
    page.get_by_label("案件名").fill("子ども食堂マップの作成")
    page.get_by_label("背景").fill("区内の子ども食堂の情報がばらばらです。")
    page.get_by_label("納品物").fill("子ども食堂の一覧（住所・開催日つき）")
    page.get_by_label("納期").fill("2026-08-31")
    page.get_by_label("予算（円）").fill("80000")
    page.get_by_label("相談するコーディネーター").select_option(label=str(cast.coordinator))
    page.get_by_role("button", name="依頼する").click()
    desktop.step("requested")
    expect(page.locator("ul.messages")).to_contain_text("依頼を受け付けました")
    expect(page.get_by_role("heading", level=1)).to_have_text("子ども食堂マップの作成")
    expect(page.locator("dl.facts")).to_contain_text("80,000円")

    # Later: the team of the owner's earlier project delivers an element.
    element = cast.element(title="千代田区の公募情報を集める")
    services.element_claim(element_id=element.pk, worker=cast.worker)
    services.element_submit(element=WorkElement.objects.get(pk=element.pk), by=cast.worker,
                            checklist_done=["出典URLを書いた", "二重チェックした"], note="12件を入力しました。")

    desktop.menu("ワークシェア")
    desktop.step("projects")
    page.get_by_role("link", name=cast.project.title).click()
    desktop.step("project-with-a-delivery")
    pending = page.locator("section").filter(has=page.get_by_role("heading", name="確認待ちの提出"))
    expect(pending).to_contain_text(str(cast.worker))
    pending.get_by_role("link", name="千代田区の公募情報を集める").click()
    desktop.step("review")
    expect(page.get_by_text("12件を入力しました。")).to_be_visible()
    page.get_by_label("受け入れる").check()
    page.get_by_label("コメント").fill("ありがとうございました。")
    page.get_by_role("button", name="決める").click()
    desktop.step("accepted")
    expect(page.locator("ul.messages")).to_contain_text("確認しました")
    expect(page.locator("dl.facts")).to_contain_text("受け入れ")
    expect(page.locator("ul.history")).to_contain_text("ありがとうございました。")
    assert WorkElement.objects.get(pk=element.pk).status == WorkElement.Status.ACCEPTED


def test_a_coordinator_plans_the_team_and_the_board_shows_primaries_and_backups(desktop, cast):
    titles = ["千代田区の公募情報を集める", "中央区の公募情報を集める", "港区の公募情報を集める"]
    for title in titles:
        cast.element(title=title)
    page = desktop.page
    desktop.sign_in(cast.coordinator)
    desktop.menu("ワークシェア")
    page.get_by_role("link", name=cast.project.title).click()
    page.get_by_role("link", name="担当の提案").click()
    desktop.step("suggestion")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    # The coordinator keeps the suggestion except for the first element, whose primary and backup trade places.
    first = rows.filter(has_text=titles[0])
    primary = first.get_by_label("担当").evaluate("s => s.options[s.selectedIndex].text")
    assert primary in (str(cast.worker), str(cast.second)), "the planner should suggest someone of the team"
    other = str(cast.second) if primary == str(cast.worker) else str(cast.worker)
    first.get_by_label("担当").select_option(label=other)
    first.get_by_label("バックアップ").select_option(label=primary)
    for title in titles[1:]:  # the rest as suggested, filling in any gap: a primary and a different backup
        row = rows.filter(has_text=title)
        chosen = row.get_by_label("担当").evaluate("s => s.options[s.selectedIndex].text")
        if chosen == "—":
            row.get_by_label("担当").select_option(label=str(cast.worker))
            chosen = str(cast.worker)
        row.get_by_label("バックアップ").select_option(label=str(cast.second) if chosen == str(cast.worker) else str(cast.worker))
    desktop.step("edited")
    page.get_by_role("button", name="この内容で決める").click()
    desktop.step("board")
    expect(page.get_by_role("heading", level=1)).to_have_text("チームのボード")
    expect(page.locator("ul.messages")).to_contain_text("件の担当を決めました")
    people = {str(cast.worker), str(cast.second)}
    for title in titles:
        cells = board_row(desktop, title).locator("td").all_inner_texts()
        assert cells[1] in people and cells[2] in people and cells[1] != cells[2], f"{title}: {cells}"
        assert cells[3] == "担当決定"
    first_cells = board_row(desktop, titles[0]).locator("td").all_inner_texts()
    assert first_cells[1:3] == [other, primary], "the coordinator's edit, not the planner's suggestion, was applied"


def test_a_worker_on_a_phone_claims_hands_off_and_submits_and_the_board_shows_it(phone, cast):
    open_one = cast.element(title="中央区の公募情報を集める")
    handed = cast.element(title="港区の公募情報を集める")
    finished = cast.element(title="千代田区の公募情報を集める")
    services.plan_apply(project=cast.project, by=cast.coordinator, assignments={
        handed.pk: (cast.worker.pk, cast.second.pk), finished.pk: (cast.worker.pk, cast.second.pk)})
    page = phone.page
    phone.sign_in(cast.worker)
    phone.menu("ワークシェア")
    page.get_by_role("link", name=cast.project.title).click()
    page.get_by_role("link", name="チームのボード").click()
    phone.step("board")
    phone.fits_the_screen()

    board_row(phone, open_one.title).get_by_role("link").click()
    page.get_by_role("button", name="担当する").click()
    phone.step("claimed")
    expect(page.locator("ul.messages")).to_contain_text("担当になりました")
    expect(page.locator("dl.facts")).to_contain_text(str(cast.worker))

    page.locator("p.crumbs").get_by_role("link", name="ボード").click()
    board_row(phone, handed.title).get_by_role("link").click()
    page.get_by_label("引き継ぎメモ").fill("熱が出たので続けられません。")
    page.get_by_label("途中までの作業").fill("1〜5ページ目まで確認済み")
    phone.step("handing-off")
    page.get_by_role("button", name="引き継ぐ").click()
    phone.step("handed-off")
    expect(page.locator("ul.messages")).to_contain_text("引き継ぎました")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("1〜5ページ目まで確認済み")
    assert facts.locator("dt:text-is('担当') + dd").inner_text() == str(cast.second), "the backup holds it now"

    page.locator("p.crumbs").get_by_role("link", name="ボード").click()
    board_row(phone, finished.title).get_by_role("link").click()
    page.get_by_label("出典URLを書いた").check()
    page.get_by_label("二重チェックした").check()
    page.get_by_label("提出メモ").fill("12件を入力しました。")
    phone.step("submitting")
    page.get_by_role("button", name="提出する").click()
    phone.step("submitted")
    expect(page.locator("ul.messages")).to_contain_text("提出しました")

    page.locator("p.crumbs").get_by_role("link", name="ボード").click()
    phone.step("board-after")
    phone.fits_the_screen()
    statuses = {title: board_row(phone, title).locator("td").all_inner_texts() for title in
                (open_one.title, handed.title, finished.title)}
    assert statuses[open_one.title][1:2] == [str(cast.worker)] and statuses[open_one.title][3] == "担当決定"
    assert statuses[handed.title][1] == str(cast.second), statuses[handed.title]
    assert statuses[finished.title][3] == "提出済み", statuses[finished.title]
    assert WorkElement.objects.get(pk=finished.pk).status == WorkElement.Status.SUBMITTED


def test_a_collection_entry_is_double_checked_published_and_found_by_the_public_search(desktop, cast):
    url = "https://www.city.chiyoda.lg.jp/koho/bunka/kanko/annaijo-proposal.html"
    unit = cast.element(title="千代田区の公募情報を集める")  # the collection project's element for the municipality
    candidate = Candidate.objects.create(
        element=unit, municipality=municipality("131016"), url=url, key=hashlib.sha256(url.encode()).hexdigest(),
        found_at=timezone.now(), needs_double_entry=True,
        title="観光案内所運営業務委託に係る公募型プロポーザル",
        fields={"title": {"value": "観光案内所運営業務委託に係る公募型プロポーザル", "evidence": "観光案内所運営業務委託に係る公募型プロポーザル"},
                "published_on": {"value": "2026-05-01", "evidence": "公告日：令和8年5月1日"},
                "submission_deadline": {"value": "2026-06-20", "evidence": "提出期限：令和8年6月20日"}})
    page = desktop.page

    def enter(deadline: str, step: str):
        """On the candidate's page: fill in what the watcher could not read (kind, budget) and the deadline."""
        page.get_by_label("公募種別").select_option(value="proposal")
        page.get_by_label("提出期限").fill(deadline)
        page.get_by_label("上限額（3,300,000円・330万円 など）").fill("330万円")
        desktop.step(f"{step}-entering")
        page.get_by_role("button", name="入力する").click()
        desktop.step(f"{step}-entered")
        expect(page.locator("ul.messages")).to_contain_text("入力しました")
        desktop.sign_out()

    desktop.sign_in(cast.worker)
    desktop.open("/coverage/sources/")  # the team's list of candidates not entered yet
    page.get_by_role("link", name=candidate.title).click()
    enter("令和8年6月20日", "first")

    def open_from_the_board():  # once entered, the candidate is found under its municipality's element
        desktop.menu("ワークシェア")
        page.get_by_role("link", name=cast.project.title).click()
        page.get_by_role("link", name="チームのボード").click()
        board_row(desktop, unit.title).get_by_role("link").click()
        page.locator("section").filter(has_text="見回りで見つかった候補").get_by_role("link", name=candidate.title).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(candidate.title)

    desktop.sign_in(cast.second)
    open_from_the_board()
    desktop.step("second-blind")
    expect(page.get_by_role("heading", level=2, name="二人目の入力（一人目の内容は見えません）")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(str(cast.worker))  # the second entry is blind
    expect(page.get_by_role("button", name="公開する")).to_have_count(0)
    enter("2026/6/25", "second")

    desktop.sign_in(cast.coordinator)
    open_from_the_board()
    desktop.step("to-settle")
    disagreement = page.locator("tr.error")
    expect(disagreement).to_have_count(1)
    expect(disagreement).to_contain_text("提出期限")
    expect(disagreement).to_contain_text("2026-06-20")
    expect(disagreement).to_contain_text("2026-06-25")
    disagreement.get_by_label("提出期限").fill("2026-06-20")
    page.get_by_role("button", name="公開する").click()
    desktop.step("published")
    expect(page.locator("ul.messages")).to_contain_text("公開しました")
    expect(page.get_by_role("heading", level=1)).to_contain_text(candidate.title)
    notice = Notice.objects.get(title=candidate.title)
    assert notice.submission_deadline == datetime.date(2026, 6, 20) and notice.budget_yen == 3_300_000
    desktop.sign_out()

    desktop.menu("公募を探す")
    page.get_by_label("キーワード").fill("観光案内所 プロポーザル")
    page.get_by_role("button", name="検索", exact=True).click()
    desktop.step("found-by-search")
    results = page.locator("section.results")
    expect(results.get_by_text("1 件", exact=True)).to_be_visible()
    results.get_by_role("link", name=re.compile("観光案内所")).click()
    desktop.step("found-call")
    source = page.locator("dl.facts").get_by_role("link", name=url)
    expect(source).to_have_attribute("href", url)
