"""`tsunagu ensure_demo_users`: the five accounts of the local demo, created or reset. Only with DEBUG on."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tsunagu.accounts.services import DEMO_PASSWORD, demo_users_ensure

class Command(BaseCommand):
    help = "ローカルのデモ用アカウント（coordinator, owner, worker, worker2, admin）を作成またはリセットします。DEBUG のときだけ動きます。"

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "ensure_demo_users はローカルのデモ専用です。DEBUG が有効なときだけ実行できます"
                "（本番環境では管理画面や createsuperuser でアカウントを作ってください）。"
            )
        for user, created in demo_users_ensure():
            action = "作成" if created else "リセット"
            self.stdout.write(f"{user.username:<12} {user.get_role_display()} 「{user.display_name}」を{action}しました。")
        self.stdout.write(f"パスワードはすべて {DEMO_PASSWORD} です（ローカルのデモ専用）。")
