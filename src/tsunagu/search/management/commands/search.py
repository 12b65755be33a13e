import json

from django.core.management.base import BaseCommand, CommandError

from tsunagu.search.results import search_response
from tsunagu.search.criteria import SORTS, SearchFilters
from tsunagu.search.selectors import notice_search


class Command(BaseCommand):
    help = "公募を検索します。--json で API と同じ JSON を出力します。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("query", nargs="*", help="キーワード（空白区切り、-除外、OR、\"語句\"）")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--limit", type=int, default=20, help="出力する件数の上限（既定 20）")
        parser.add_argument("--prefecture", default="", help="都道府県コード（01〜47）")
        parser.add_argument("--kind", default="", help="公募種別（proposal, open_tender, …）")
        parser.add_argument("--status", default="", help="planned, open, closing_soon, closed, awarded, cancelled")
        parser.add_argument("--sort", default="relevance", choices=SORTS)

    def handle(self, *args, **options) -> None:
        if options["limit"] < 1:
            raise CommandError("--limit は1以上にしてください。", returncode=2)
        filters = SearchFilters(kind=options["kind"], prefecture=options["prefecture"], status=options["status"])
        result = notice_search(text=" ".join(options["query"]), filters=filters, sort=options["sort"])
        response = search_response(result, page=1, page_size=options["limit"])
        if options["json"]:
            self.stdout.write(json.dumps(response, ensure_ascii=False))
            return
        self.stdout.write(f"{response['count']}件")
        for item in response["results"]:
            deadline = item["submission_deadline"] or item["application_deadline"] or "—"
            self.stdout.write(f"{item['published_on']}  {item['prefecture']}{item['municipality']}  {item['title']}  "
                              f"[{item['kind']}・{item['status']}・締切 {deadline}]")
