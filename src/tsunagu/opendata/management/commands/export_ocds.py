import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tsunagu.core.errors import DomainError
from tsunagu.opendata.exports import export_to_path
from tsunagu.opendata.selectors import ExportFilters


class Command(BaseCommand):
    help = "公募と落札結果を OCDS 1.1 で書き出します：リリースパッケージ（package）または1行1リリースの JSON Lines（jsonl）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["package", "jsonl"], default="package")
        parser.add_argument("--output", required=True, help="出力先ファイル（完成してから置き換えます）")
        parser.add_argument("--since", type=datetime.date.fromisoformat,
                            help="この日（YYYY-MM-DD）以降に登録・更新された公募だけ（落札結果の更新を含む）")
        parser.add_argument("--prefecture", default="", help="都道府県コード（13）または名称（東京都）")
        parser.add_argument("--municipality", default="", help="団体コード（6桁）")
        parser.add_argument("--kind", default="", help="公募種別（proposal, open_tender, …）")

    def handle(self, *args, **options) -> None:
        filters = ExportFilters(since=options["since"], prefecture=options["prefecture"],
                                municipality=options["municipality"], kind=options["kind"])
        try:
            count = export_to_path(Path(options["output"]), fmt=options["format"], filters=filters)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        self.stderr.write(f"{count}件のリリースを {options['output']} に書き出しました。")
