"""Benchmark: award analytics over the demo corpus (issue 7). One command:

    .venv/bin/python bench/analytics.py [--notices 1000000] [--repeat 5] [--postgres] [--keep DIR]

For each database, in a child process: generate the demo corpus (the analytics facts and the search index are
written with it, as in production), then run each analytics query `--repeat` times as the page does
(`analytics_for_search`: every count, distribution, breakdown and the top winners) and print p50/p95. In the same
run it times the naive baseline, the same numbers computed in Python over the notice and award rows of the same
matches (no fact table), and checks that both give the same numbers, so a fast wrong answer can't pass.
`--keep DIR` keeps the SQLite corpus in DIR and reuses it on the next run with the same --notices (generating a
million notices takes a while).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import p, timed

ROOT = Path(__file__).resolve().parents[1]
# (label, text, filters): broad ones are what a searcher's first look costs; narrow ones the usual drill-down.
QUERIES = {
    "broad": [("kind=公募型プロポーザル", "", {"kind": "proposal"}), ("「プロポーザル」", "プロポーザル", {})],
    "narrow": [("「観光プロモーション」", "観光プロモーション", {}), ("東京都 × 公募型プロポーザル", "", {"prefecture": "13", "kind": "proposal"}),
               ("「福祉」 × 大阪府", "福祉", {"prefecture": "27"}), ("2025年度の公告・一般競争入札", "",
                                                                   {"kind": "open_tender", "published_from": "2025-04-01", "published_to": "2026-03-31"})],
}
BASELINE_REPEAT = 2  # the baseline takes seconds on a broad query at a million notices


def naive(text: str, filters) -> dict:
    """The baseline: the matching notices' ids from the search, then their rows and awards read and counted in Python
    with the models' own definitions (no fact table)."""
    from collections import Counter

    from tsunagu.insights.bins import BUDGET_LOWER, RATIO_LOWER, bin_index
    from tsunagu.notices.models import Award, Notice
    from tsunagu.search.selectors import notice_search

    ids = notice_search(text=text, filters=filters, sort="newest").notices.ids()
    out = {"notices": 0, "awards": 0, "budget": Counter(), "ratio": Counter(), "kind": Counter(), "year": Counter(),
           "category": Counter(), "winners": Counter()}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for notice in Notice.objects.filter(pk__in=chunk).only("kind", "published_on", "budget_yen", "categories"):
            out["notices"] += 1
            out["budget"][bin_index(BUDGET_LOWER, notice.budget_yen)] += 1
            out["kind"][notice.kind] += 1
            out["year"][notice.fiscal_year] += 1
            for category in dict.fromkeys(notice.categories or []):
                out["category"][category] += 1
        for award in Award.objects.filter(notice_id__in=chunk).only(
                "winner_id", "amount_yen", "amount_tax_basis", "estimated_value_yen", "estimated_value_tax_basis"):
            out["awards"] += 1
            ratio = award.award_ratio
            out["ratio"][bin_index(RATIO_LOWER, int(ratio * 10_000) if ratio is not None else None)] += 1
            out["winners"][award.winner_id] += 1
    return out


def same(fast, slow: dict) -> bool:
    """The facts' answer equals the baseline's on the counts both compute."""
    budget = {i: b.count for i, b in enumerate(fast.budget.buckets) if b.count}
    ratio = {i: b.count for i, b in enumerate(fast.ratio.buckets) if b.count}
    if fast.ratio.unknown:
        ratio[None] = fast.ratio.unknown
    if fast.budget.unknown:
        budget[None] = fast.budget.unknown
    top = {w.organisation.pk: w.wins for w in fast.top_winners}
    return (fast.notices == slow["notices"] and fast.awards == slow["awards"] and budget == dict(slow["budget"])
            and ratio == dict(slow["ratio"]) and {b.key: b.notices for b in fast.by_kind} == dict(slow["kind"])
            and {int(b.key): b.notices for b in fast.by_fiscal_year} == dict(slow["year"])
            and {b.key: b.notices for b in fast.by_category} == dict(slow["category"])
            and all(slow["winners"][pk] == wins for pk, wins in top.items())
            and (not top or min(top.values()) >= max((n for pk, n in slow["winners"].items() if pk not in top), default=0)))


def child(notices: int, repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import datetime

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tsunagu.insights.facts import facts_rebuild
    from tsunagu.insights.models import NoticeFact
    from tsunagu.insights.selectors import analytics_for_search
    from tsunagu.notices.demo import demo_generate
    from tsunagu.notices.models import Award, Notice
    from tsunagu.search.criteria import SearchFilters

    call_command("migrate", verbosity=0)
    generate_seconds = None
    if Notice.objects.count() != notices:
        if Notice.objects.exists():
            sys.exit("the kept corpus has another number of notices: remove it or use another --keep folder")
        start = time.perf_counter()
        demo_generate(notices=notices, seed=1)  # facts and the search index are written on the way in
        generate_seconds = time.perf_counter() - start
    if NoticeFact.objects.count() != Notice.objects.count():  # a kept corpus from before a change of the facts
        facts_rebuild()
    # Statistics for the planner, as a running site has them (PostgreSQL's autovacuum also marks the pages all-visible,
    # which its index-only scans need; right after a bulk load it has not run yet).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else
                       "VACUUM ANALYZE insights_noticefact, insights_awardfact, insights_categoryfact")
    results = {"backend": connection.vendor, "notices": Notice.objects.count(), "awards": Award.objects.count(),
               "generate_seconds": generate_seconds, "classes": {}, "wrong": []}
    for label, queries in QUERIES.items():
        rows = []
        for name, text, raw in queries:
            filters = SearchFilters(**{k: datetime.date.fromisoformat(v) if k.startswith("published") else v
                                       for k, v in raw.items()})
            analytics_for_search(text=text, filters=filters)  # warm: the first read pulls pages into the cache
            fast_times, fast = timed(lambda text=text, filters=filters: analytics_for_search(text=text, filters=filters), repeat)
            slow_times, slow = timed(lambda text=text, filters=filters: naive(text, filters), min(repeat, BASELINE_REPEAT))
            if not same(fast, slow):
                results["wrong"].append(name)
            rows.append({"name": name, "matches": fast.notices, "fast": fast_times, "naive": slow_times})
        results["classes"][label] = rows
    results["peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(results))


def run_child(database_url: str, var_dir: Path, notices: int, repeat: int) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": str(var_dir), "DEBUG": "0",
           "SECRET_KEY": "benchmark-only-secret", "LOG_LEVEL": "WARNING", "SEARCH_ENGINE": "tantivy"}
    out = subprocess.run([sys.executable, __file__, "--child", str(notices), "--repeat", str(repeat)],
                         env=env, capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode:
        sys.exit(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(r: dict) -> None:
    made = f"generated in {r['generate_seconds']:.0f} s" if r["generate_seconds"] is not None else "kept corpus"
    print(f"\n[{r['backend']}] {r['notices']:,} notices, {r['awards']:,} awards ({made}); "
          f"peak RSS {r['peak_kib'] / 1024:.0f} MiB")
    print(f"  {'query':<34} {'matches':>9} {'facts p50/p95 ms':>18} {'naive p95 ms':>13} {'speed-up':>9}")
    for label, rows in r["classes"].items():
        print(f"  {label}")
        for row in rows:
            fast95, naive95 = p(row["fast"], 0.95), p(row["naive"], 0.95)
            print(f"  {row['name']:<34} {row['matches']:>9,} {p(row['fast'], .5):>8.1f} / {fast95:>7.1f} "
                  f"{naive95:>13.1f} {naive95 / fast95:>8.1f}x")
    target = max(p(row["fast"], 0.95) for row in r["classes"]["broad"])
    print(f"  broad p95 (worst query): {target:.1f} ms (target < 200 ms on SQLite); "
          f"results differing from the baseline: {r['wrong'] or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true", help="only PostgreSQL (with --postgres)")
    parser.add_argument("--keep", type=Path, help="keep the SQLite corpus (and its search index) here and reuse it")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"analytics benchmark: {args.notices:,} demo notices, each query {args.repeat} times "
              f"(baseline {min(args.repeat, BASELINE_REPEAT)})")
        if not args.skip_sqlite:
            report(run_child(f"sqlite:///{folder / f'analytics-{args.notices}.sqlite3'}", folder / f"var-{args.notices}",
                             args.notices, args.repeat))
        if args.postgres:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute('DROP DATABASE IF EXISTS "tsunagu_bench_analytics"')
                conn.execute('CREATE DATABASE "tsunagu_bench_analytics"')
            report(run_child("postgres://postgres@127.0.0.1:5432/tsunagu_bench_analytics", Path(tmp) / "var-pg",
                             args.notices, args.repeat))


if __name__ == "__main__":
    main()
