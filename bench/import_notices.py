"""Benchmark: import of notices from CSV (issue target: ≥ 5,000 rows/s on 2 cores, flat memory).

    .venv/bin/python bench/import_notices.py [--rows 100000] [--postgres] [--xlsx]

Each database runs in a child process on a fresh database: migrate, then time
  baseline  a plain csv.reader pass over the same file (reading only),
  import    `notice_import` (validation, municipality lookup, batched writes),
  reimport  the same file again (every row unchanged),
and report rows/s, the ratio import/baseline, and the peak memory (RSS) of a run on a file one fifth as
long next to the full one: flat memory means the two peaks are about equal.
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["管理ID", "団体コード", "自治体名", "担当課", "案件名", "公募種別", "分野", "概要", "公告日", "質問締切",
          "参加申込締切", "提出期限", "上限額", "税区分", "契約期間", "参加資格", "NPO参加可", "URL", "備考"]
KINDS = ["公募型プロポーザル", "一般競争入札", "指定管理", "補助金", "企画競争", "協働事業提案", "随意契約"]
SUBJECTS = ["子育て支援アプリ運用保守", "観光プロモーション動画制作", "地域福祉計画策定支援", "防災マップ作成", "図書館",
            "庁舎清掃", "GIGAスクール端末保守", "移住定住促進", "ごみ収集運搬", "市民活動センター"]


def write_csv(path: Path, rows: int, seed: int = 1) -> None:
    """Rows the way the team writes them: mixed date and amount spellings, codes or names."""
    rng = random.Random(seed)
    codes = ["131016", "011002", "271004", "401307", "232025", "141003", "122025", "342076"]
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for i in range(rows):
            y, m, d = 2025, rng.randint(4, 12), rng.randint(1, 28)
            published = rng.choice([f"{y}/{m}/{d}", f"令和7年{m}月{d}日", f"R7.{m}.{d}", f"{y}-{m:02d}-{d:02d}"])
            deadline = f"{y + 1}/1/{d} 17:00"
            budget = rng.choice([f"{rng.randint(1, 900) * 10000:,}円", f"{rng.randint(1, 900)}万円（税込）", "", f"{rng.randint(10, 99)}.5万円"])
            out.writerow([f"B-{i}", rng.choice(codes), "", "企画課", f"令和7年度 {rng.choice(SUBJECTS)}業務委託 第{i}号",
                          rng.choice(KINDS), "福祉、子育て", "概要の文章。" * 5, published, "", "", deadline, budget, "",
                          "契約締結日から令和8年3月31日まで", "", rng.choice(["○", "×", ""]), "https://www.city.example.lg.jp/n/1", ""])


def to_xlsx(csv_path: Path) -> Path:
    """The same rows as an XLSX workbook (streamed with openpyxl's write-only mode)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("公募情報")
    with csv_path.open(encoding="utf-8", newline="") as f:
        for values in csv.reader(f):
            sheet.append(values)
    path = csv_path.with_suffix(".xlsx")
    book.save(path)
    return path


def child(csv_path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from tsunagu.notices.services import notice_import

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    if csv_path.suffix == ".xlsx":  # baseline: openpyxl reading the cells, nothing more
        from openpyxl import load_workbook

        book = load_workbook(csv_path, read_only=True)
        rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
        book.close()
    else:
        with csv_path.open(encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.reader(f)) - 1
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    first = notice_import(path=csv_path)
    imported = time.perf_counter() - start
    start = time.perf_counter()
    second = notice_import(path=csv_path)
    reimported = time.perf_counter() - start
    assert first.created == rows and first.rejected == 0, first.as_json()
    assert second.unchanged == rows, second.as_json()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": rows, "baseline": baseline, "import": imported, "reimport": reimported, "peak_kib": peak_kib}))


def run_child(csv_path: Path, database_url: str, var_dir: Path) -> dict:
    # As in production: DEBUG off (Django keeps a log of every query when it is on).
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": str(var_dir), "LOG_LEVEL": "WARNING",
           "DEBUG": "0", "SECRET_KEY": "benchmark-only-secret"}
    out = subprocess.run([sys.executable, __file__, "--child", str(csv_path)], env=env, check=False,
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        sys.exit(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_postgres(name: str) -> str:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL at 127.0.0.1:5432")
    parser.add_argument("--xlsx", action="store_true", help="import the rows as an XLSX workbook instead of CSV")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child))
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        big, small = tmp_path / "big.csv", tmp_path / "small.csv"
        write_csv(big, args.rows)
        write_csv(small, max(1, args.rows // 5), seed=2)
        if args.xlsx:
            big, small = to_xlsx(big), to_xlsx(small)
        targets = [("SQLite", lambda n: f"sqlite:///{tmp_path / n}.sqlite3")]
        if args.postgres:
            targets.append(("PostgreSQL", lambda n: fresh_postgres(f"tsunagu_bench_{n}")))
        print(f"import_notices: {args.rows:,} rows of {'XLSX' if args.xlsx else 'CSV'} "
              f"(and {max(1, args.rows // 5):,} for the memory comparison)")
        for label, url in targets:
            full = run_child(big, url("big"), tmp_path / f"var-{label}-big")
            part = run_child(small, url("small"), tmp_path / f"var-{label}-small")
            rate = full["rows"] / full["import"]
            print(f"\n[{label}]")
            print(f"  baseline {'xlsx read' if args.xlsx else 'csv parse'} : {full['baseline']:.2f} s ({full['rows'] / full['baseline']:,.0f} rows/s)")
            verdict = ("OK" if rate >= 5000 else "MISSED") if label == "SQLite" else "reported only (the target is on SQLite)"
            print(f"  import             : {full['import']:.2f} s ({rate:,.0f} rows/s)  target ≥ 5,000 rows/s: {verdict}")
            print(f"  ratio import/baseline: {full['import'] / full['baseline']:.1f}x")
            print(f"  reimport (unchanged): {full['reimport']:.2f} s ({full['rows'] / full['reimport']:,.0f} rows/s)")
            print(f"  peak RSS            : {part['peak_kib'] / 1024:.0f} MiB for {part['rows']:,} rows, "
                  f"{full['peak_kib'] / 1024:.0f} MiB for {full['rows']:,} rows "
                  f"(ratio {full['peak_kib'] / part['peak_kib']:.2f}; flat ≈ 1)")


if __name__ == "__main__":
    main()
