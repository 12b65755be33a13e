"""tsunagu rebuild_insights [--check]: write the analytics facts anew from the records, or compare them."""

from django.core.management.base import BaseCommand, CommandError

from tsunagu.insights.facts import facts_check, facts_rebuild


class Command(BaseCommand):
    help = "分析用の集計表（公募・落札結果ごとの事実）を記録から作り直す。--check は比べるだけ。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="作り直さず、記録と食い違う公募を数える")

    def handle(self, *args, check: bool = False, **options) -> None:
        if check:
            wrong = facts_check()
            if wrong:
                shown = ", ".join(map(str, wrong[:20]))
                raise CommandError(f"集計表が記録と食い違う公募が {len(wrong)} 件あります（id: {shown}）。"
                                   "tsunagu rebuild_insights で作り直してください。")
            self.stdout.write("集計表は記録と一致しています。")
            return
        count = facts_rebuild()
        self.stdout.write(f"集計表を作り直しました（公募 {count} 件）。")
