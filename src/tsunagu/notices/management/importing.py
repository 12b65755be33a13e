"""The shared adapter of `import_notices` and `import_awards`: arguments, report, exit codes (0/1/2)."""

import argparse
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.notices.imports.pipeline import ImportResult
from tsunagu.core.spreadsheets import ImportFileError


def batch_size(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 5000:
        raise argparse.ArgumentTypeError("1 から 5000 までの整数にしてください")
    return int(text)


class ImportCommand(BaseCommand):
    label = ""

    def importer(self, **kwargs) -> ImportResult:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV（UTF-8 / UTF-8 BOM付き / Shift_JIS）または XLSX のファイル")
        parser.add_argument("--dry-run", action="store_true", help="書き込まずに結果だけ報告する")
        parser.add_argument("--json", action="store_true", help="結果を JSON 1件で出力する")
        parser.add_argument("--sheet", help="XLSX のシート名（省略時は先頭のシート）")
        parser.add_argument("--error-file", help="不正な行を書き出すファイル（省略時は入力の隣に 〜-errors.csv/xlsx）")
        parser.add_argument("--batch-size", type=batch_size, default=1000, metavar="1〜5000", help="一度に書く行数（ファイル全体は1つのトランザクション）")

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        error_file = Path(options["error_file"]) if options["error_file"] else path.with_name(f"{path.stem}-errors")
        if {error_file.with_suffix(s).resolve() for s in (".csv", ".xlsx")} & {path.resolve()}:
            raise CommandError("エラーファイルの出力先が取り込むファイルと同じです。--error-file を変えてください。", returncode=2)
        try:
            result = self.importer(path=path, sheet=options["sheet"], dry_run=options["dry_run"],
                                   error_file_path=error_file, batch_size=options["batch_size"])
        except ImportFileError as exc:
            stored_nothing = not options["dry_run"]
            if options["json"]:
                self.stdout.write(json.dumps({"error": exc.message, "stored": 0}, ensure_ascii=False))
            elif stored_nothing:
                self.stdout.write("（このファイルの行は1行も保存していません。ファイルを直して、もう一度取り込んでください）")
            raise CommandError(exc.message, returncode=2) from exc
        except OSError as exc:
            raise CommandError(f"ファイルを読み書きできません：{exc}", returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self._report(path, result)
        if result.rejected:
            raise CommandError(f"{result.rejected}行を取り込めませんでした。", returncode=1)

    def _report(self, path: Path, result: ImportResult) -> None:
        mode = "（確認のみ：書き込んでいません）" if result.dry_run else ""
        self.stdout.write(f"{self.label}の取り込み：{path.name}{mode}")
        self.stdout.write(
            f"新規 {result.created}件、更新 {result.updated}件、変更なし {result.unchanged}件、不正 {result.rejected}件"
        )
        for error in result.errors:
            self.stdout.write(f"  {error.row}行目 {error.column}：{error.message}")
        if result.errors_truncated:
            self.stdout.write("  （ほかにもエラーがあります。エラーファイルを見てください）")
        if result.error_file:
            self.stdout.write(f"不正な行を {result.error_file} に書き出しました。直して、もう一度取り込めます。")
