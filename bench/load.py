"""Benchmark: pages over HTTP under concurrent clients, served as in production (issues 3 and 8). One command:

    .venv/bin/python bench/load.py [--database sqlite|postgres|both] [--clients 50] [--seconds 60]
                                   [--pages search,notice,board] [--notices 30000] [--workers N]

For each database, on a fresh one (SQLite in a temporary folder; PostgreSQL `tsunagu_bench_load` with Redis as cache
and queue, db 15), it generates the demo corpus and the work-sharing demo project, collects static files and starts
gunicorn with DEBUG off on loopback. `--clients` threads (spread over two client processes, so the client is not one
GIL) then request each page kind for `--seconds`: the search page (1- to 4-character and multi-term queries, with and
without filters and sorts), notice pages (a sample of the corpus) and the team board (signed in as the demo
coordinator). It prints throughput, p50/p95/p99 and errors per page and database, and, measured the same way in the
same run, the baseline: the login page (a rendered template that touches no notice). Any answer other than 200 is an
error, and any error makes the command fail.
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


def client(port: int, urls: list[str], threads: int, seconds: float, out, cookie: str = "") -> None:
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
                conn.request("GET", url, headers={"Accept-Language": "ja", **({"Cookie": cookie} if cookie else {})})
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


def load(port: int, urls: list[str], clients: int, seconds: float, cookie: str = "") -> dict:
    processes = 2 if clients > 1 else 1
    queue = multiprocessing.Queue()
    shares = [clients // processes + (n < clients % processes) for n in range(processes)]
    procs = [multiprocessing.Process(target=client, args=(port, urls, share, seconds, queue, cookie)) for share in shares]
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


# Run inside the benchmark's database: a session of the demo coordinator, the demo project and a sample of notices.
FIXTURES = """
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from tsunagu.accounts.models import User
from tsunagu.notices.models import Notice
from tsunagu.workshare.models import Project
user = User.objects.get(username="coordinator")
session = SessionStore()
session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print("FIXTURES", session.session_key, Project.objects.order_by("pk").first().pk,
      ",".join(str(pk) for pk in Notice.objects.order_by("?").values_list("pk", flat=True)[:200]))
"""


def serve_and_measure(args, database: str) -> dict[str, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp) / "var"
        env = {**os.environ, "VAR_DIR": str(var), "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING",
               "SECRET_KEY": "benchmark-only-secret-benchmark-only-secret",
               "SECURE_SSL_REDIRECT": "0"}  # plain HTTP on loopback: no TLS proxy in front
        env.pop("REDIS_URL", None)
        if database == "postgres":
            import psycopg
            import redis

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute('DROP DATABASE IF EXISTS "tsunagu_bench_load"')
                conn.execute('CREATE DATABASE "tsunagu_bench_load"')
            env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/tsunagu_bench_load"
            env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
            redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        else:
            env["DATABASE_URL"] = f"sqlite:///{var / 'tsunagu.sqlite3'}"
        tsunagu = [str(BIN / "tsunagu")]
        setup = {**env, "DEBUG": "1"}  # the demo commands run only with DEBUG on; the server runs with it off
        for command in (["migrate", "--noinput", "-v0"], ["generate_demo", "--notices", str(args.notices), "--seed", "1"],
                        ["ensure_demo_users"], ["ensure_demo_project"]):
            subprocess.run(tsunagu + command, env=setup, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(tsunagu + ["collectstatic", "--noinput", "-v0"], env={**env, "DEBUG": "0"}, cwd=ROOT, check=True)
        out = subprocess.run(tsunagu + ["shell", "-c", FIXTURES], env=setup, cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout
        line = next(line for line in out.splitlines() if line.startswith("FIXTURES "))
        _label, session_key, project_id, notice_ids = line.split()
        notice_ids = notice_ids.split(",")
        pages = {"search": (urls_for(SEARCHES), ""), "notice": ([f"/notices/{pk}/" for pk in notice_ids], ""),
                 "board": ([f"/work/projects/{project_id}/board/"], f"sessionid={session_key}")}
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "tsunagu.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
             "--workers", str(args.workers), "--log-level", "warning"], env={**env, "DEBUG": "0"}, cwd=ROOT)
        results = {}
        try:
            wait_until_up(args.port, server)
            for name in args.pages:
                urls, cookie = pages[name]
                load(args.port, urls, args.clients, min(3.0, args.seconds), cookie)  # warm caches and workers
            results["login (base)"] = load(args.port, ["/accounts/login/"], args.clients, args.seconds)
            for name in args.pages:
                urls, cookie = pages[name]
                results[name] = load(args.port, urls, args.clients, args.seconds, cookie)
        finally:
            server.terminate()
            server.wait(timeout=30)
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pages", default="search,notice,board", type=lambda v: [p for p in v.split(",") if p])
    parser.add_argument("--notices", type=int, default=30_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    unknown = set(args.pages) - {"search", "notice", "board"}
    if unknown:
        sys.exit(f"unknown page kinds: {', '.join(sorted(unknown))} (search, notice, board)")
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    print(f"load benchmark: {args.notices:,} demo notices, gunicorn {args.workers} workers, {args.clients} clients, "
          f"{args.seconds:.0f} s per page kind; {', '.join(databases)}")
    failed = False
    for database in databases:
        results = serve_and_measure(args, database)
        label = "SQLite" if database == "sqlite" else "PostgreSQL + Redis"
        print(f"\n{label}")
        print(f"  {'page':<14} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'vs base':>8}")
        base = results["login (base)"]
        for name, r in results.items():
            print(f"  {name:<14} {r['requests']:>9,} {r['errors']:>7} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                  f"{r['p99']:>8.1f} {r['rps'] / base['rps']:>7.2f}x")
            failed |= bool(r["errors"])
    if failed:
        sys.exit("some requests failed")


if __name__ == "__main__":
    main()
