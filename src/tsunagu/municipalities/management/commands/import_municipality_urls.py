"""tsunagu import_municipality_urls PATH [--dry-run]: official website URLs from a localgovjp CSV.

Exit codes: 0 every row imported, 1 some rows rejected (the others are imported), 2 the file can't be read.
"""

import csv
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tsunagu.core.errors import DomainError
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
        text = self._read(Path(path))
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            municipality_urls_layout(reader.fieldnames or [])
            result = municipality_urls_import(rows=reader, dry_run=dry_run)
        except csv.Error as error:
            raise CommandError(f"ファイル「{path}」を CSV として読めません（{error}）。", returncode=2) from None
        except DomainError as error:
            raise CommandError(f"ファイル「{path}」: {error.message}", returncode=2) from None
        for problem in result.problems:
            self.stderr.write(str(problem))
        self.stdout.write(result.summary())
        if result.problems:
            raise CommandError(f"不正な行が {result.rejected}件あり、読み飛ばしました。", returncode=1)

    @staticmethod
    def _read(path: Path) -> str:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"ファイル「{path}」を読めません（{error.strerror or error}）。", returncode=2) from None
        # localgovjp publishes UTF-8 with BOM; its older snapshots, and Excel, write Shift_JIS.
        for encoding in ("utf-8-sig", "cp932"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise CommandError(f"ファイル「{path}」の文字コードが UTF-8 でも Shift_JIS でもありません。", returncode=2)
