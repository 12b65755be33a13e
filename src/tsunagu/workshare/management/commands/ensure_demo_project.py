"""`tsunagu ensure_demo_project`: the work-sharing demo project (once). Only with DEBUG on."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tsunagu.workshare.demo import demo_project_ensure


class Command(BaseCommand):
    help = "ワークシェアのデモ用プロジェクト（東京23区の公募情報集め）を一度だけ作ります。DEBUG のときだけ動きます。"

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("ensure_demo_project はローカルのデモ専用です。DEBUG が有効なときだけ実行できます。")
        try:
            project = demo_project_ensure()
        except ValueError as exc:
            raise CommandError("デモ用アカウントがありません。先に tsunagu ensure_demo_users を実行してください。") from exc
        if project is None:
            self.stdout.write("デモ用プロジェクトは既にあります。")
        else:
            self.stdout.write(f"デモ用プロジェクト「{project.title}」を作りました（作業要素 {project.elements.count()}件）。")
