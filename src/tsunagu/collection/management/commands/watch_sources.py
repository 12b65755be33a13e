"""`tsunagu watch_sources`: look at every source that is due (or all with --all) and report new candidates."""

import datetime

from django.core.management.base import BaseCommand

from tsunagu.collection.watcher import sources_check_due


class Command(BaseCommand):
    help = "情報源のページを見て、新しい公募の候補を作ります（--all で全部、既定は6時間以上見ていないもの）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="最後に見た時刻にかかわらず全部")

    def handle(self, *args, **options) -> None:
        every = datetime.timedelta(0) if options["all"] else datetime.timedelta(hours=6)
        found = sources_check_due(every=every)
        self.stdout.write(f"新しい候補 {found}件")
