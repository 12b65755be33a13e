"""Collection, end to end (issue 6): the watcher, pointed at a local site of three municipalities, finds new calls;
two workers enter and double-check them (one disagreement settled by a reviewer); the records appear in search with
their source; the coverage page shows the three as fresh and the rest as not yet covered."""

import http.server
import threading

import pytest
from django.urls import reverse

from tests.factories import municipality
from tsunagu.collection import watcher
from tsunagu.collection.models import Candidate, Source
from tsunagu.search.selectors import notice_search

pytestmark = pytest.mark.django_db
PAGES = {
    "/chiyoda/": "<ul><li><a href='/chiyoda/p1.html'>観光案内所運営業務委託に係る公募型プロポーザル</a> 公告日：令和8年5月1日 提出期限：令和8年5月20日</li></ul>",
    "/chuo/": "<ul><li><a href='/chuo/p1.html'>区民会館の指定管理者の募集</a> 公告日 2026年5月8日 申込期限 2026年6月1日</li></ul>",
    "/minato/": "<table><tr><td><a href='/minato/t1.pdf'>防災備蓄倉庫整備工事の一般競争入札（PDF）</a></td><td>公告日：R8.5.12 予定価格：12,000,000円</td></tr></table>",
}


@pytest.fixture
def three_towns(settings):
    settings.FETCH_ALLOW_PRIVATE_ADDRESSES = True
    settings.WATCH_HOST_INTERVAL_SECONDS = 0

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = PAGES.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(f"<html><body>{body}</body></html>".encode() if body else b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    watcher._robots.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_from_three_municipal_sites_to_searchable_checked_records(client, cast, three_towns):
    for code, path in (("131016", "/chiyoda/"), ("131024", "/chuo/"), ("131032", "/minato/")):
        Source.objects.create(municipality=municipality(code), url=three_towns + path)
    assert watcher.sources_check_due() == 3
    candidates = {c.municipality.lg_code: c for c in Candidate.objects.all()}
    assert candidates["131032"].fields["budget_yen"]["value"] == "12000000"

    def enter(user, candidate, **changes):
        fields = {name: f["value"] for name, f in candidate.fields.items()}
        fields.setdefault("kind", "proposal")
        fields.setdefault("published_on", "2026-05-01")
        client.force_login(user)
        response = client.post(reverse("collection:candidate", args=[candidate.pk]), {"action": "enter", **fields, **changes})
        assert response.status_code == 302, response.content.decode()[:800]

    for code, candidate in candidates.items():
        enter(cast.worker, candidate)
        enter(cast.second, candidate, **({"submission_deadline": "2026-05-21"} if code == "131016" else {}))
    client.force_login(cast.coordinator)
    for code, candidate in candidates.items():
        url = reverse("collection:candidate", args=[candidate.pk])
        if code == "131016":
            assert client.post(url, {"action": "publish"}).status_code == 400  # one disagreement: the reviewer decides
            assert client.post(url, {"action": "publish", "final_submission_deadline": "2026-05-20"}).status_code == 302
        else:
            assert client.post(url, {"action": "publish"}).status_code == 302

    found = notice_search(text="観光案内所").notices[:5]
    assert len(found) == 1 and found[0].submission_deadline.isoformat() == "2026-05-20"
    assert found[0].source_url == three_towns + "/chiyoda/p1.html"
    assert notice_search(text="指定管理者 区民会館").notices.count() == 1
    assert notice_search(text="防災備蓄").notices[:1][0].budget_yen == 12_000_000

    page = client.get(reverse("collection:coverage")).content.decode()
    assert "最近見ている自治体 3、しばらく見ていない 0、まだ情報源のない 1785" in page
