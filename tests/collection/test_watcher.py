"""The watcher against a local fixture site: finds new calls, pre-fills them with their evidence, is polite
(robots.txt, conditional requests, User-Agent), survives pages that change, disappear, redirect, time out or lie
about their encoding, and never reaches a private address unless told to."""

import datetime
import http.server
import threading
import time

import pytest

from tests.factories import NoticeFactory, municipality
from tsunagu.collection import watcher
from tsunagu.collection.extract import decode, prefill
from tsunagu.collection.models import Candidate, Snapshot, Source

pytestmark = pytest.mark.django_db

CHIYODA = """<!doctype html><html><head><meta charset="utf-8"><title>入札・契約情報｜千代田区</title></head><body>
<h1>公募型プロポーザル</h1><ul>
<li><a href="/proposal/2026-01.html">令和8年度 子育て支援アプリ運用業務委託に係る公募型プロポーザルの実施について（PDF 120KB）</a>
 公告日：令和8年4月1日 提出期限：令和8年4月25日 提案上限額：3,300,000円</li>
<li><a href="/proposal/2026-02.html">指定管理者の募集（区立図書館）</a> 申込期限 2026年5月10日</li>
<li><a href="/about.html">区の紹介</a></li>
<li><a href="mailto:keiyaku@example.jp">契約課へのお問い合わせ</a></li>
</ul><script>var x = "入札";</script></body></html>"""


@pytest.fixture
def site(settings):
    """A municipal web site on loopback: pages can be changed, removed, redirected, slowed down."""
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    settings.WATCH_HOST_INTERVAL_SECONDS = 0
    pages = {"/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n")}
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            requests.append({"path": self.path, "headers": dict(self.headers)})
            page = pages.get(self.path)
            if page is None:
                self.send_response(404)
                self.end_headers()
                return
            status, content_type, body = page
            if status == 301:
                self.send_response(301)
                self.send_header("Location", body.decode())
                self.end_headers()
                return
            if status == "slow":
                time.sleep(2)
                status = 200
            if self.headers.get("If-None-Match") == '"v1"' and self.path == "/keiyaku/":
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if self.path == "/keiyaku/":
                self.send_header("ETag", '"v1"')
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    watcher._robots.clear()
    yield {"base": f"http://127.0.0.1:{server.server_address[1]}", "pages": pages, "requests": requests}
    server.shutdown()


def _source(site, path="/keiyaku/", lg_code="131016"):
    return Source.objects.create(municipality=municipality(lg_code), url=site["base"] + path, kind=Source.Kind.PROPOSAL)


def test_the_watcher_finds_new_calls_and_prefills_them_with_their_evidence(site):
    site["pages"]["/keiyaku/"] = (200, "text/html; charset=utf-8", CHIYODA.encode())
    found = watcher.source_check(_source(site))
    assert [c.title for c in found] == ["令和8年度 子育て支援アプリ運用業務委託に係る公募型プロポーザルの実施について",
                                        "指定管理者の募集（区立図書館）"]
    first = found[0].fields
    assert first["published_on"] == {"value": "2026-04-01", "evidence": "公告日：令和8年4月1日"}
    assert first["submission_deadline"]["value"] == "2026-04-25" and first["budget_yen"]["value"] == "3300000"
    assert first["kind"]["value"] == "proposal" and found[1].fields["kind"]["value"] == "designated_manager"
    assert found[1].fields["application_deadline"]["value"] == "2026-05-10"
    assert Snapshot.objects.count() == 1 and "区の紹介" in Snapshot.objects.get().text
    assert site["requests"][0]["path"] == "/robots.txt"
    assert site["requests"][1]["headers"]["User-Agent"].startswith("TsunaguBot/")


def test_an_unchanged_page_is_not_stored_again_and_known_items_are_not_found_twice(site):
    site["pages"]["/keiyaku/"] = (200, "text/html; charset=utf-8", CHIYODA.encode())
    source = _source(site)
    watcher.source_check(source)
    assert watcher.source_check(source) == []  # answered 304 to our If-None-Match
    assert site["requests"][-1]["headers"].get("If-None-Match") == '"v1"'
    site["pages"]["/keiyaku/"] = (200, "text/html; charset=utf-8", CHIYODA.replace("区の紹介", "区のご案内").encode())
    source.etag = ""
    assert watcher.source_check(source) == [] and Snapshot.objects.count() == 2  # changed page, no new call
    assert Candidate.objects.count() == 2


def test_a_call_already_in_the_database_is_not_a_candidate(site):
    site["pages"]["/keiyaku/"] = (200, "text/html; charset=utf-8", CHIYODA.encode())
    NoticeFactory(municipality=municipality("131016"), source_url=site["base"] + "/proposal/2026-02.html")
    assert [c.title for c in watcher.source_check(_source(site))] == [
        "令和8年度 子育て支援アプリ運用業務委託に係る公募型プロポーザルの実施について"]


def test_pages_that_disappear_time_out_or_are_forbidden_are_recorded_not_raised(site, monkeypatch):
    gone = _source(site, "/gone/")
    assert watcher.source_check(gone) == [] and "404" in Source.objects.get(pk=gone.pk).last_error
    site["pages"]["/private/list.html"] = (200, "text/html", CHIYODA.encode())
    forbidden = _source(site, "/private/list.html", "131024")
    assert watcher.source_check(forbidden) == [] and "robots.txt" in Source.objects.get(pk=forbidden.pk).last_error
    site["pages"]["/slow/"] = ("slow", "text/html", CHIYODA.encode())
    monkeypatch.setattr(watcher, "fetch", lambda url, **kw: __import__("tsunagu.core.fetch", fromlist=["fetch"]).fetch(
        url, **{**kw, "deadline_seconds": 1}))
    slow = _source(site, "/slow/", "131032")
    watcher.source_check(slow)
    assert Source.objects.get(pk=slow.pk).last_error


def test_a_redirect_is_followed_and_a_page_lying_about_shift_jis_is_still_read(site):
    site["pages"]["/old/"] = (301, "text/html", b"/keiyaku/")
    site["pages"]["/keiyaku/"] = (200, "text/html; charset=utf-8", CHIYODA.replace('charset="utf-8"', 'charset="utf-8"')
                                  .encode("cp932"))  # declares UTF-8, sends Shift_JIS
    found = watcher.source_check(_source(site, "/old/"))
    assert len(found) == 2 and found[0].title.startswith("令和8年度 子育て支援アプリ")
    assert found[0].url.endswith("/proposal/2026-01.html")


def test_private_addresses_are_refused_unless_the_setting_allows_them(site, settings):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = False
    source = _source(site)
    assert watcher.source_check(source) == []
    assert "内部のアドレス" in Source.objects.get(pk=source.pk).last_error


def test_the_round_checks_only_sources_that_are_due(site):
    site["pages"]["/keiyaku/"] = (200, "text/html; charset=utf-8", CHIYODA.encode())
    source = _source(site)
    assert watcher.sources_check_due() == 2
    source.refresh_from_db()
    assert watcher.sources_check_due(now=source.last_checked_at + datetime.timedelta(hours=1)) == 0


def test_decoding_and_prefill_on_their_own():
    text, encoding = decode("公募型プロポーザル".encode("cp932"), "text/html; charset=utf-8")
    assert text == "公募型プロポーザル" and encoding.replace("_", "").lower() in {"cp932", "shiftjis", "shiftjis2004"}
    fields = prefill("業務委託（PDF）", "締切 R8.5.31 予定価格は1,100万円")
    assert fields["submission_deadline"]["value"] == "2026-05-31" and fields["budget_yen"]["value"] == "11000000"


def test_links_in_blocks_a_sloppy_page_never_closed_are_still_found():
    from tsunagu.collection.extract import page_links

    _text, links = page_links("<ul><li><a href='/a'>公募A</a> 締切 2026/6/1<li><a href='/b'>入札B", "https://x.example/")
    assert [(link.href, link.text) for link in links] == [("https://x.example/a", "公募A"), ("https://x.example/b", "入札B")]
    assert "2026/6/1" in links[0].block


def _pdf(lines: list[str]) -> bytes:
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("HeiseiKakuGo-W5", 11)
    for number, line in enumerate(lines):
        page.drawString(50, 800 - 18 * number, line)
    page.save()
    return out.getvalue()


def _xlsx(rows: list[list]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_what_the_page_does_not_say_is_read_from_the_linked_pdf_or_xlsx(site):
    site["pages"]["/keiyaku/"] = (200, "text/html; charset=utf-8", """<ul>
      <li><a href="/docs/koukoku.pdf">防災備蓄倉庫整備工事の一般競争入札（PDF）</a></li>
      <li><a href="/docs/list.xlsx">指定管理者の募集一覧（Excel）</a></li>
      <li><a href="/docs/broken.pdf">公募の要項（PDF）</a></li></ul>""".encode())
    site["pages"]["/docs/koukoku.pdf"] = (200, "application/pdf", _pdf(["公告日：令和8年5月12日", "提出期限：令和8年6月1日",
                                                                        "予定価格：12,000,000円"]))
    site["pages"]["/docs/list.xlsx"] = (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                        _xlsx([["項目", "内容"], ["公告日", "2026年5月15日"], ["申込期限", "2026年6月10日"]]))
    site["pages"]["/docs/broken.pdf"] = (200, "application/pdf", b"%PDF-1.4 not really a pdf")
    found = {c.title: c.fields for c in watcher.source_check(_source(site))}
    pdf = found["防災備蓄倉庫整備工事の一般競争入札"]
    assert (pdf["published_on"]["value"], pdf["submission_deadline"]["value"], pdf["budget_yen"]["value"]) == (
        "2026-05-12", "2026-06-01", "12000000")
    assert found["指定管理者の募集一覧"]["application_deadline"]["value"] == "2026-06-10"
    assert set(found["公募の要項"]) == {"title"}  # an unreadable file adds nothing and breaks nothing
    assert Snapshot.objects.filter(url__endswith="koukoku.pdf", text__contains="予定価格").exists()
