"""Benchmark: the OCDS export (streamed, flat memory) and the OCDS import.

    .venv/bin/python bench/opendata.py [--notices 50000] [--postgres]

In a child process on a fresh database holding `--notices` demo notices (generate_demo's machinery), time
  baseline  the project's own JSON Lines export (`export_notices --format jsonl`) of the same notices,
  jsonl     `export_ocds --format jsonl` (one release per line),
  package   `export_ocds --format package` (a release package, written release by release),
and, in a second child on an empty database,
  import    `import_ocds` of the JSON Lines export (every notice and award created),
  reimport  the same file again (every release unchanged: the idempotent path),
and report releases/s with the ratio to the baseline. Memory: `export_ocds` runs as a separate process,
first on the notices of one kind (about a seventh), then on all of them; flat memory means the two peaks
(RSS) are about equal.
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

ROOT = Path(__file__).resolve().parents[1]
TSUNAGU = str(Path(sys.executable).with_name("tsunagu"))


def child(notices: int, workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from tsunagu.notices.demo import demo_generate
    from tsunagu.notices.models import Notice
    from tsunagu.opendata.exports import export_to_path
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    demo_generate(notices=notices, seed=1)
    results: dict = {"notices": Notice.objects.count(), "generate_seconds": time.perf_counter() - start}

    def timed(name: str, fn) -> None:
        begin = time.perf_counter()
        count = fn()
        results[name] = {"seconds": time.perf_counter() - begin, "count": count}

    def baseline() -> int:
        from tsunagu.notices.exports import export_jsonl

        with open(workdir / "baseline.jsonl", "w", encoding="utf-8") as out:
            return export_jsonl(out)

    timed("baseline", baseline)
    timed("jsonl", lambda: export_to_path(workdir / "all.jsonl", fmt="jsonl"))
    timed("package", lambda: export_to_path(workdir / "all.json", fmt="package"))
    results["sizes_mb"] = {name: (workdir / name).stat().st_size / 1e6 for name in ("baseline.jsonl", "all.jsonl", "all.json")}

    # Peak memory of the command as its own process: a seventh of the notices, then all of them.
    env = {**os.environ}
    subset = workdir / "subset.jsonl"
    for label, extra in (("subset", ["--kind", "proposal"]), ("all", [])):
        subprocess.run([TSUNAGU, "export_ocds", "--format", "jsonl", "--output", str(subset if extra else workdir / "cmd.jsonl"),
                        *extra], env=env, check=True, capture_output=True)
        results[f"peak_kib_{label}"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    results["subset_releases"] = sum(1 for _ in subset.open(encoding="utf-8"))
    print(json.dumps(results))


def import_child(path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from tsunagu.opendata.services import ocds_import

    call_command("migrate", verbosity=0)
    results = {}
    for name in ("import", "reimport"):
        begin = time.perf_counter()
        outcome = ocds_import(path=path)
        assert not outcome.rejected, outcome.problems[:3]
        results[name] = {"seconds": time.perf_counter() - begin, "count": outcome.releases,
                         "notices": {k: getattr(outcome.notices, k) for k in ("created", "updated", "unchanged")}}
    print(json.dumps(results))


def _run(args: list[str], database_url: str, var_dir: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": str(var_dir), "DEBUG": "0",
           "SECRET_KEY": "benchmark-only-secret", "LOG_LEVEL": "WARNING", "SEARCH_ENGINE": "database"}
    out = subprocess.run([sys.executable, __file__, *args], env=env, capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode:
        sys.exit(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_child(database_url: str, workdir: Path, notices: int, empty_database_url: str) -> dict:
    results = _run(["--child", str(notices), "--workdir", str(workdir)], database_url, workdir / "var")
    results.update(_run(["--import-child", str(workdir / "all.jsonl")], empty_database_url, workdir / "var-import"))
    return results


def report(backend: str, r: dict) -> None:
    base = r["baseline"]
    print(f"\n[{backend}] {r['notices']:,} notices (generated in {r['generate_seconds']:.0f} s)")
    print(f"  {'':<9} {'releases':>9} {'s':>7} {'per s':>8} {'vs baseline':>12} {'MB':>7}")
    sizes = {"baseline": "baseline.jsonl", "jsonl": "all.jsonl", "package": "all.json"}
    for name in ("baseline", "jsonl", "package", "import", "reimport"):
        row = r[name]
        rate = row["count"] / row["seconds"] if row["seconds"] else 0
        ratio = row["seconds"] / row["count"] / (base["seconds"] / base["count"]) if row["count"] else 0
        size = f"{r['sizes_mb'][sizes[name]]:>7.1f}" if name in sizes else ""
        print(f"  {name:<9} {row['count']:>9,} {row['seconds']:>7.1f} {rate:>8,.0f} {ratio:>11.2f}x {size}")
    created = r["import"]["notices"]
    print(f"  import into the empty database: {created['created']:,} notices created; re-import: "
          f"{r['reimport']['notices']['unchanged']:,} unchanged, {r['reimport']['notices']['updated']} updated")
    print(f"  export_ocds peak RSS: {r['subset_releases']:,} releases {r['peak_kib_subset'] / 1024:.0f} MiB, "
          f"{r['notices']:,} releases {r['peak_kib_all'] / 1024:.0f} MiB "
          f"(ratio {r['peak_kib_all'] / r['peak_kib_subset']:.2f}; flat memory ≈ 1)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=50_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--import-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_child:
        import_child(args.import_child)
        return
    if args.child:
        child(args.child, args.workdir)
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        print(f"OCDS benchmark: {args.notices:,} demo notices; baseline = export_notices --format jsonl")
        sqlite_dir = tmp_path / "sqlite"
        sqlite_dir.mkdir()
        report("sqlite", run_child(f"sqlite:///{sqlite_dir / 'ocds.sqlite3'}", sqlite_dir, args.notices,
                                   f"sqlite:///{sqlite_dir / 'import.sqlite3'}"))
        if args.postgres:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                for name in ("tsunagu_bench_opendata", "tsunagu_bench_opendata_import"):
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                    conn.execute(f'CREATE DATABASE "{name}"')
            pg_dir = tmp_path / "pg"
            pg_dir.mkdir()
            report("postgresql", run_child("postgres://postgres@127.0.0.1:5432/tsunagu_bench_opendata", pg_dir, args.notices,
                                           "postgres://postgres@127.0.0.1:5432/tsunagu_bench_opendata_import"))


if __name__ == "__main__":
    main()
