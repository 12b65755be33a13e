"""`tsunagu generate_demo --notices N --seed S [--today YYYY-MM-DD] [--if-empty] [--replace]`: demo data."""

import argparse
import datetime
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagu.core.errors import DomainError
from tsunagu.notices.demo import demo_data_exists, demo_delete, demo_generate
from tsunagu.notices.models import Notice


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--today は YYYY-MM-DD で指定してください（{value}）。") from exc


class Command(BaseCommand):
    help = "デモ用の公募・落札結果・事業者を作成します（is_demo=True, source=demo）。同じ --seed と --today なら同じデータです。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--notices", type=int, default=3000, help="作成する公募の件数（既定 3000）")
        parser.add_argument("--seed", type=int, default=1, help="乱数の種（既定 1）")
        parser.add_argument("--today", type=_date, default=None, help="基準日 YYYY-MM-DD（既定: 今日）")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=20000,
            help="1トランザクションで書く公募の件数（既定 20000。大きいほど速く、メモリを使う）",
        )
        parser.add_argument("--if-empty", action="store_true", help="公募が1件でもあれば何もしない")
        parser.add_argument("--replace", action="store_true", help="既存のデモデータを削除してから作成する")

    def handle(self, *args, **options) -> None:
        verbosity = options["verbosity"]
        if options["notices"] < 0:
            raise CommandError("--notices は0以上で指定してください。")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size は1以上で指定してください。")
        if options["if_empty"] and Notice.objects.exists():
            if verbosity >= 1:
                self.stdout.write("公募が既にあるため、デモデータは作成しませんでした（--if-empty）。")
            return
        if demo_data_exists():
            if not options["replace"]:
                raise CommandError(
                    "デモデータが既にあります。作り直すには --replace を付けてください（デモ以外のデータは残ります）。"
                )
            started = time.perf_counter()
            deleted = demo_delete()
            if verbosity >= 1:
                self.stdout.write(
                    f"既存のデモデータを削除しました（公募 {deleted:,}件、{time.perf_counter() - started:.1f}秒）。"
                )

        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            elapsed = time.perf_counter() - started
            rate = done / elapsed if elapsed > 0 else 0.0
            self.stderr.write(f"  {done:,} / {total:,} 件（{rate:,.0f}件/秒）")

        try:
            result = demo_generate(
                notices=options["notices"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=progress if verbosity >= 2 else None,
                today=options["today"],
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(
                f"公募 {result.notices:,}件、落札結果 {result.awards:,}件、事業者 {result.organisations:,}件を"
                f"作成しました（{result.seconds:.1f}秒）。"
            )
        if verbosity >= 2:
            self.stderr.write(f"  {result.notices_per_second:,.0f}件/秒")
