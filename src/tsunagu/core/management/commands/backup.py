from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tsunagu.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "データベースとアップロードされたファイルを1つのバックアップ（.tar.gz）に保存します。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, help="保存先（既定: tsunagu-backup-日時.tar.gz）")

    def handle(self, *args, **options) -> None:
        output = options["output"] or Path(f"tsunagu-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz")
        try:
            manifest = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"{output} に保存しました（{manifest['vendor']}、{len(manifest['tables'])}表、{rows}行）。")
