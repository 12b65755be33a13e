from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tsunagu.notices import exports


class Command(BaseCommand):
    help = "公募情報を書き出します：jsonl（落札結果を含む1行1件）、csv（取り込みテンプレート形式）、xlsx（公募情報と落札結果の2シート）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["jsonl", "csv", "xlsx"], default="jsonl")
        parser.add_argument("--output", help="出力先ファイル（省略時は標準出力。xlsx では必須）")
        parser.add_argument("--awards", action="store_true", help="csv で落札結果を書き出す（取り込みテンプレート形式）")

    def handle(self, *args, **options) -> None:
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx":
            if not output:
                raise CommandError("xlsx の書き出しには --output が必要です。", returncode=2)
            count = exports.export_xlsx(Path(output))
        elif output:
            encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
            with open(output, "w", encoding=encoding, newline="") as out:
                count = self._write(fmt, out, options["awards"])
        else:
            count = self._write(fmt, self.stdout, options["awards"])
        if output:
            self.stderr.write(f"{count}件を {output} に書き出しました。")

    def _write(self, fmt: str, out, awards: bool) -> int:
        stream = out
        if hasattr(out, "ending"):
            out.ending = ""  # the exporters write their own line endings
        if fmt == "jsonl":
            return exports.export_jsonl(stream)
        return exports.export_csv(stream, what="awards" if awards else "notices")

