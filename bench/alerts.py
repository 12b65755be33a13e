"""Benchmark: the alert matcher (issue 7). One command:

    .venv/bin/python bench/alerts.py [--base 100000] [--new 5000] [--searches 10000] [--baseline-sample 1000] [--postgres]

In a child process on a fresh database: generate a demo corpus of `--base` + `--new` notices (demo_generate), take
the last `--new` as the day's new notices (recorded for the matcher as the importer records them), and save
`--searches` generated searches (1–3 terms from the demo's own vocabulary: fields, facilities, grants, services,
some excluded or OR'ed, a third with filters: kind, prefecture, status, NPO, budget) for 2,000 people. Then time `alerts_match()`
(the in-memory index of the new notices, every saved search, the AlertMatch rows written) against the baseline:
each saved search run as a plain search (`notice_search` over the whole index, its ids restricted to the new
notices), over a sample of `--baseline-sample` searches (all of them when equal to --searches), extrapolated. The
matcher's answers for the sampled searches are compared with the baseline's, so a fast wrong answer can't pass.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 60


def vocabulary() -> list[str]:
    """Words a person would type, from the demo generator's own vocabulary: its fields (分野), facilities, grants,
    the services and goods it names (whole, and without their 業務・委託 endings), and a few common forms."""
    import re

    from tsunagu.notices import demo

    words = set(demo.FIELDS)
    for _departments, services, goods in demo.FIELDS.values():
        for title in [s for s, _fields in services] + list(goods):
            words.add(title)
            words.add(re.sub(r"(支援)?(業務|委託|購入)+$", "", title))
    words |= {facility for _j, facility, _f, _d in demo.FACILITIES}
    words |= {re.sub(r"(補助金|助成金)$", "", grant) for grant, _f, _d in demo.GRANTS}
    words |= {theme for theme, _f in demo.COLLABORATION_THEMES}
    words |= {"令和8年度", "R8年度", "2026年度", "子供", "こども", "プロポーザル", "指定管理者", "補助金", "協働", "委託",
              "計画策定", "システム", "イベント", "調査", "保守", "運営"}
    return sorted(w for w in words if len(w) >= 2)


def saved_query(rng: random.Random, words: list[str]) -> str:
    terms = rng.sample(words, rng.choices((1, 2, 3), (0.5, 0.35, 0.15))[0])
    text = terms[0]
    for term in terms[1:]:
        text += rng.choices((" ", " -", " OR "), (0.75, 0.15, 0.10))[0] + term
    params = {"q": text}
    if rng.random() < 0.33:
        choice = rng.random()
        if choice < 0.3:
            params["kind"] = rng.choice(["proposal", "open_tender", "designated_manager", "grant", "collaboration"])
        elif choice < 0.6:
            params["prefecture"] = f"{rng.randint(1, 47):02d}"
        elif choice < 0.75:
            params["status"] = rng.choice(["open", "closing_soon", "planned"])
        elif choice < 0.88:
            params["npo"] = "yes"
        else:
            params["budget_min"] = str(rng.choice([1_000_000, 5_000_000, 10_000_000]))
    return urlencode(params)


def child(base: int, new: int, searches: int, sample: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.db import connection

    from tsunagu.accounts.models import User
    from tsunagu.alerts.criteria import canonical_query_string, criteria_of
    from tsunagu.alerts.matcher import alerts_match
    from tsunagu.alerts.models import AlertMatch, NoticeChange, SavedSearch
    from tsunagu.notices.demo import demo_generate
    from tsunagu.notices.models import Notice
    from tsunagu.search.selectors import notice_search

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    demo_generate(notices=base + new, seed=1)
    generate_seconds = time.perf_counter() - start
    new_ids = list(Notice.objects.order_by("-pk").values_list("pk", flat=True)[:new])
    NoticeChange.objects.all().delete()
    NoticeChange.objects.bulk_create([NoticeChange(notice_id=pk) for pk in sorted(new_ids)], batch_size=5000)

    rng = random.Random(11)
    words = vocabulary()
    people = User.objects.bulk_create([User(username=f"bench{i}", email=f"bench{i}@example.jp") for i in range(2000)])
    rows = [SavedSearch(user=people[i % len(people)], name=f"検索{i}", frequency="daily",
                        query_string=canonical_query_string(saved_query(rng, words))) for i in range(searches)]
    SavedSearch.objects.bulk_create(rows, batch_size=2000)
    SavedSearch.objects.update(created_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))  # before every notice

    start = time.perf_counter()
    report = alerts_match()
    match_seconds = time.perf_counter() - start

    sampled = random.Random(5).sample(list(SavedSearch.objects.order_by("pk")), min(sample, searches))
    new_set = set(new_ids)
    wrong = []
    start = time.perf_counter()
    baseline = {}
    for search in sampled:
        criteria = criteria_of(search.query_string)
        baseline[search.pk] = set(notice_search(text=criteria.text, filters=criteria.filters).notices.ids()) & new_set
    baseline_seconds = (time.perf_counter() - start) * searches / len(sampled)
    found: dict[int, set[int]] = {}
    for search_id, notice_id in AlertMatch.objects.filter(saved_search__in=sampled).values_list("saved_search_id", "notice_id"):
        found.setdefault(search_id, set()).add(notice_id)
    for search in sampled:
        if found.get(search.pk, set()) != baseline[search.pk]:
            wrong.append(search.query_string)
    print(json.dumps({
        "backend": connection.vendor, "notices": Notice.objects.count(), "new": len(new_ids), "searches": searches,
        "generate_seconds": generate_seconds, "match_seconds": match_seconds, "matches": report.matches,
        "baseline_seconds": baseline_seconds, "sample": len(sampled), "wrong": wrong[:10], "wrong_count": len(wrong),
    }))


def run_child(database_url: str, var_dir: Path, args) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": str(var_dir), "DEBUG": "0",
           "SECRET_KEY": "benchmark-only-secret", "LOG_LEVEL": "WARNING", "SEARCH_ENGINE": "tantivy"}
    out = subprocess.run([sys.executable, __file__, "--child", "--base", str(args.base), "--new", str(args.new),
                          "--searches", str(args.searches), "--baseline-sample", str(args.baseline_sample)],
                         env=env, capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode:
        sys.exit(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(r: dict) -> None:
    sampled = "all" if r["sample"] == r["searches"] else f"a sample of {r['sample']:,}, extrapolated"
    print(f"\n[{r['backend']}] {r['notices']:,} notices (generated in {r['generate_seconds']:.0f} s), {r['new']:,} new, "
          f"{r['searches']:,} saved searches")
    print(f"  matcher: {r['match_seconds']:.1f} s for all saved searches, {r['matches']:,} alerts recorded "
          f"(target < {TARGET_SECONDS} s: {'met' if r['match_seconds'] < TARGET_SECONDS else 'MISSED'})")
    print(f"  baseline (each saved search as a plain search over the whole index, restricted to the new notices; "
          f"{sampled}): {r['baseline_seconds']:.1f} s")
    print(f"  ratio matcher / baseline: {r['match_seconds'] / r['baseline_seconds']:.3f} "
          f"({r['baseline_seconds'] / r['match_seconds']:.1f}x faster)")
    print(f"  sampled searches whose alerts differ from the plain search: {r['wrong_count']} {r['wrong'] or ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=int, default=100_000, help="notices already stored")
    parser.add_argument("--new", type=int, default=5_000, help="the day's new notices")
    parser.add_argument("--searches", type=int, default=10_000)
    parser.add_argument("--baseline-sample", type=int, default=1_000, help="plain searches timed (and checked)")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.base, args.new, args.searches, args.baseline_sample)
        return
    print(f"alert matcher benchmark: {args.searches:,} saved searches against {args.new:,} new notices "
          f"over {args.base:,}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        report(run_child(f"sqlite:///{tmp_path / 'alerts.sqlite3'}", tmp_path / "var", args))
        if args.postgres:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute('DROP DATABASE IF EXISTS "tsunagu_bench_alerts"')
                conn.execute('CREATE DATABASE "tsunagu_bench_alerts"')
            report(run_child("postgres://postgres@127.0.0.1:5432/tsunagu_bench_alerts", tmp_path / "var-pg", args))


if __name__ == "__main__":
    main()
