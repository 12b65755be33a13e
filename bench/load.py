"""Benchmark: the search page over HTTP under concurrent clients, served as in production (issue 3). One command:

    .venv/bin/python bench/load.py [--notices 30000] [--clients 20] [--seconds 20] [--workers 4] [--postgres]

On a fresh database (SQLite in a temporary folder, or a PostgreSQL database `tsunagu_bench_load`) it generates the
demo corpus, collects static files and starts gunicorn with DEBUG off on loopback. `--clients` threads (spread over
two client processes, so the client is not one GIL) then request search pages for `--seconds`: a mix of 1- to
4-character and multi-term queries, with and without filters and sorts. It prints throughput and p50/p95/p99, and,
measured the same way in the same run, the baseline: the login page (a rendered template that touches no
notice), so the ratio says what search adds to serving a page. Any answer other than 200 counts as an error.
"""

import argparse
import http.client
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SEARCHES = [
    {"q": "福祉"}, {"q": "橋"}, {"q": "子ども"}, {"q": "指定管理者"}, {"q": "観光 -入札"},
    {"q": "福祉 計画", "prefecture": "13"}, {"q": "防災", "status": "open"}, {"q": "子育て", "sort": "deadline"},
    {"q": "業務", "kind": "proposal"}, {"q": "令和8年度 委託"}, {"status": "closing_soon"}, {"q": "図書館", "sort": "budget"},
]


def urls_for(searches: list[dict]) -> list[str]:
    return ["/notices/?" + urllib.parse.urlencode(s) for s in searches]


def client(port: int, urls: list[str], threads: int, seconds: float, out) -> None:
    """One client process: `threads` loops, each requesting the next URL as soon as the last answer arrived."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop(offset: int) -> None:
        mine, bad, i = [], 0, offset
        while time.perf_counter() < deadline:
            url = urls[i % len(urls)]
            i += 1
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", url, headers={"Accept-Language": "ja"})
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status == 200
            except OSError:
                ok = False
            mine.append((time.perf_counter() - start) * 1000)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    workers = [threading.Thread(target=loop, args=(n * 7,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put((latencies, errors[0]))


def load(port: int, urls: list[str], clients: int, seconds: float) -> dict:
    processes = 2 if clients > 1 else 1
    queue = multiprocessing.Queue()
    shares = [clients // processes + (n < clients % processes) for n in range(processes)]
    procs = [multiprocessing.Process(target=client, args=(port, urls, share, seconds, queue)) for share in shares]
    start = time.perf_counter()
    for proc in procs:
        proc.start()
    latencies, errors = [], 0
    for _ in procs:
        got, bad = queue.get()
        latencies += got
        errors += bad
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")

    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99)}


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit("gunicorn exited before answering")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=30_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp) / "var"
        if args.postgres:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute('DROP DATABASE IF EXISTS "tsunagu_bench_load"')
                conn.execute('CREATE DATABASE "tsunagu_bench_load"')
            database = "postgres://postgres@127.0.0.1:5432/tsunagu_bench_load"
        else:
            database = f"sqlite:///{var / 'tsunagu.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": database, "VAR_DIR": str(var), "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
               "SECRET_KEY": "benchmark-only-secret-benchmark-only-secret", "LOG_LEVEL": "WARNING",
               "SECURE_SSL_REDIRECT": "0"}  # plain HTTP on loopback: no TLS proxy in front
        tsunagu = [str(BIN / "tsunagu")]
        print(f"load benchmark: {args.notices:,} demo notices on {'PostgreSQL' if args.postgres else 'SQLite'}, "
              f"gunicorn {args.workers} workers, {args.clients} clients, {args.seconds:.0f} s each")
        for command in (["migrate", "--noinput", "-v0"], ["generate_demo", "--notices", str(args.notices), "--seed", "1"],
                        ["collectstatic", "--noinput", "-v0"]):
            subprocess.run(tsunagu + command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "tsunagu.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
             "--workers", str(args.workers), "--log-level", "warning"], env=env, cwd=ROOT)
        try:
            wait_until_up(args.port, server)
            load(args.port, urls_for(SEARCHES), args.clients, min(3.0, args.seconds))  # warm caches and workers
            baseline = load(args.port, ["/accounts/login/"], args.clients, args.seconds)
            search = load(args.port, urls_for(SEARCHES), args.clients, args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"  {'page':<14} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, r in (("login (base)", baseline), ("search", search)):
        print(f"  {name:<14} {r['requests']:>9,} {r['errors']:>7} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
              f"{r['p99']:>8.1f}")
    print(f"  search vs baseline: throughput {search['rps'] / baseline['rps']:.2f}x, p99 {search['p99'] / baseline['p99']:.1f}x")
    if search["errors"] or baseline["errors"]:
        sys.exit("some requests failed")


if __name__ == "__main__":
    main()
