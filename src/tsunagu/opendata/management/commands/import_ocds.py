import json

from django.core.management.base import BaseCommand, CommandError

from tsunagu.opendata.importing import OcdsFileError
from tsunagu.opendata.services import ocds_import


class Command(BaseCommand):
    help = ("OCDS のリリースパッケージまたは JSON Lines から公募と落札結果を取り込みます。リリースごとに全部か無しか。"
            "終了コード 0（全リリース成功）、1（取り込めないリリースあり）、2（ファイルを読めない）。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--json", action="store_true", help="結果を JSON で標準出力に書く")

    def handle(self, *args, **options) -> None:
        try:
            result = ocds_import(path=options["path"])
        except OcdsFileError as exc:
            raise CommandError(exc.message, returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            n, a = result.notices, result.awards
            self.stdout.write(
                f"リリース {result.releases}件：公募 新規 {n.created}・更新 {n.updated}・変更なし {n.unchanged}、"
                f"落札結果 新規 {a.created}・更新 {a.updated}・変更なし {a.unchanged}、取り込めないリリース {result.rejected}件"
            )
            for problem in result.problems:
                self.stderr.write(str(problem))
            if result.problems_truncated:
                self.stderr.write("（ほかにもエラーがあります）")
        if result.rejected:
            raise SystemExit(1)
