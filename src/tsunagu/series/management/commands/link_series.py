from django.core.management.base import BaseCommand

from tsunagu.series.models import CallSeries
from tsunagu.series.services import series_link_all


class Command(BaseCommand):
    help = "すべての公募を毎年の公募（シリーズ）に結び付け直し、次回の予定を推定し直します（何度実行しても同じ結果）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options) -> None:
        changed = series_link_all(batch_size=options["batch_size"])
        recurring = CallSeries.objects.recurring().count()
        self.stdout.write(f"{changed}件の公募のシリーズを更新しました。2回以上のシリーズ：{recurring}件")
