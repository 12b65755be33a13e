"""tsunagu import_municipality_urls PATH [--dry-run]: official website URLs from a localgovjp CSV.

Exit codes: 0 every row imported, 1 some rows rejected (the others are imported), 2 the file can't be read.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tsunagu.core.errors import DomainError
from tsunagu.core.spreadsheets import ImportFileError, open_table, text_of
from tsunagu.municipalities.services import municipality_urls_import, municipality_urls_layout


class Command(BaseCommand):
    help = (
        "localgovjp の CSV（localgovjp-utf8.csv または prefjp-utf8.csv）から自治体の公式サイトURLを取り込みます。"
        "終了コード: 0 すべて取り込み、1 不正な行あり（その行だけ読み飛ばし）、2 ファイルを読めない。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV ファイル（UTF-8、BOM 付きでも可。Shift_JIS も読めます）")
        parser.add_argument("--dry-run", action="store_true", help="確認だけして保存しない")

    def handle(self, *args, path: str, dry_run: bool, **options):
        try:
            with open_table(Path(path)) as table:
                header = table.header
                rows = ({name: text_of(value) for name, value in zip(header, row.values, strict=False)} for row in table.rows())
                municipality_urls_layout(header)
                result = municipality_urls_import(rows=rows, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(f"ファイル「{path}」を読めません：{error.message}", returncode=2) from None
        except DomainError as error:
            raise CommandError(f"ファイル「{path}」: {error.message}", returncode=2) from None
        for problem in result.problems:
            self.stderr.write(str(problem))
        self.stdout.write(result.summary())
        if result.problems:
            raise CommandError(f"不正な行が {result.rejected}件あり、読み飛ばしました。", returncode=1)
