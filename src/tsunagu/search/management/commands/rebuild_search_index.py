from django.core.management.base import BaseCommand, CommandError

from tsunagu.search.index import search_index_check, search_index_rebuild


class Command(BaseCommand):
    help = "検索索引を作り直します（--check は作り直さずにデータとの食い違いだけを報告し、あれば終了コード 1）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="作り直さずに比べるだけ")

    def handle(self, *args, **options) -> None:
        if options["check"]:
            report = search_index_check()
            self.stdout.write(f"索引に無い公募 {len(report['missing'])}件、公募の無い索引 {len(report['orphaned'])}件、"
                              f"古い内容の索引 {len(report['stale'])}件")
            if report["missing"] or report["orphaned"] or report["stale"]:
                raise CommandError("検索索引がデータと食い違っています。rebuild_search_index で作り直してください。", returncode=1)
            return
        count = search_index_rebuild()
        self.stdout.write(f"{count}件の公募で検索索引を作り直しました。")
