from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tsunagu.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "バックアップ（tsunagu backup で作ったもの）からデータベースとファイルを戻します。今のデータは置き換わります。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="確認せずに置き換える")

    def handle(self, *args, **options) -> None:
        if not options["yes"] and input("今のデータをバックアップの内容で置き換えます。よろしいですか？ [yes/no] ").strip() != "yes":
            raise CommandError("取りやめました。")
        try:
            manifest = backup_restore(archive_path=options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{options['archive']}（{manifest['created_at']} 作成）から戻し、検索索引を作り直しました。")
