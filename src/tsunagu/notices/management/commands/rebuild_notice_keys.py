from django.core.management.base import BaseCommand

from tsunagu.notices.services import notice_keys_rebuild


class Command(BaseCommand):
    help = "表記ゆれの辞書を変えたあとに、公募の正規化案件名と同一性キーを作り直します。"

    def handle(self, *args, **options) -> None:
        updated, collisions = notice_keys_rebuild()
        self.stdout.write(f"{updated}件の同一性キーを作り直しました。")
        if collisions:
            ids = ", ".join(map(str, collisions[:50]))
            self.stdout.write(f"ほかの公募と同じになるため更新しなかった公募（重複の可能性）：{len(collisions)}件（ID: {ids}）")
