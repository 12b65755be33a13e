"""Benchmark: search on the demo corpus (issue 3). One command:

    .venv/bin/python bench/search.py [--notices 100000] [--postgres] [--repeat 20] [--engines tantivy,database]
                                     [--keep DIR]

For each database, in a child process on a fresh database: generate the demo corpus, then for each search engine
(the embedded tantivy index, the database's own FTS5/tsvector index) rebuild the index (timed, with its size) and
run each query class (1, 2, 3, 4+ characters, several terms) `--repeat` times as the site does (ranked top 20
with facet counts, and count only); print p50/p95 per class. In turns with the site's runs, query by query and after
one untimed run of each, it times the peer, a bare in-memory tantivy index fed the same documents doing the same work
(top 20, count, facet aggregation) without the framework (its top 20 alone is shown too); it also times a plain LIKE
scan (the ratios), and counts what SQLite's trigram tokenizer misses. Every answer is checked against the
reference (same ids), so a fast wrong answer can't pass. `--keep DIR` keeps the corpus (SQLite in DIR; PostgreSQL in the database
tsunagu_bench_search_<notices>) and reuses it on the next run with the same --notices (generating a million notices
takes about half an hour).
"""

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from measure import p

ROOT = Path(__file__).resolve().parents[1]
QUERIES = {
    "1 char": ["橋", "港", "館", "祉"],
    "2 chars": ["福祉", "観光", "防災", "子育"],
    "3 chars": ["子ども", "図書館", "指定管"],
    "4+ chars": ["指定管理者", "地域福祉計画", "プロポーザル"],
    "multi-term": ["福祉 計画", "観光 -入札", "子ども OR 高齢者", "令和8年度 業務 委託"],
}


def child(notices: int, repeat: int, engines: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from tsunagu.core.text import normalize_text
    from tsunagu.notices.demo import demo_generate
    from tsunagu.notices.models import Notice
    from tsunagu.search.analysis import parse_query, term_matches
    from tsunagu.search.documents import notice_field_texts
    from tsunagu.search.index import search_index_rebuild
    from tsunagu.search.selectors import notice_search

    call_command("migrate", verbosity=0)
    generate_seconds = None
    if Notice.objects.count() != notices:
        if Notice.objects.exists():
            sys.exit("the kept corpus has another number of notices: remove it or use another --keep folder")
        start = time.perf_counter()
        demo_generate(notices=notices, seed=1)  # indexed on the way in by the default engine
        generate_seconds = time.perf_counter() - start

    # The reference: the definition applied to every notice, streamed so that memory stays flat.
    all_queries = [q for group in QUERIES.values() for q in group]
    parsed = {raw: parse_query(raw) for raw in all_queries}
    expected: dict[str, set[int]] = {raw: set() for raw in all_queries}
    for notice in Notice.objects.select_related("municipality__prefecture").iterator(chunk_size=5000):
        fields = [normalize_text(f) for f in notice_field_texts(notice)]
        for raw, query in parsed.items():
            if not query.is_empty and all(any(term_matches(t, fields) for t in c.terms) != c.negated for c in query.clauses):
                expected[raw].add(notice.pk)

    # The reference's sets hold millions of ids: left to the garbage collector, every full collection set off by the
    # searches below would walk them (milliseconds a time, mostly during the site's runs, which allocate more). A
    # server holds nothing like them, so they are moved out of the collector's way.
    gc.collect()
    gc.freeze()
    results: dict = {"backend": connection.vendor, "notices": Notice.objects.count(), "generate_seconds": generate_seconds,
                     "engines": {}, "wrong": []}
    peer = Peer(expected)  # built before any timing: its build must not overlap them
    results["peer"] = {"build_seconds": peer.build_seconds, "segments": peer.searcher.num_segments, "wrong": peer.wrong}
    for engine in engines:
        settings.SEARCH_ENGINE = engine
        start = time.perf_counter()
        search_index_rebuild()
        build_seconds = time.perf_counter() - start
        os.sync()  # the fresh index's pages are written out now, not by the kernel during the timings
        preload(engine)
        segments = index_segments(engine)
        classes, peer_page, peer_top20 = {}, {}, {}
        for label, queries in QUERIES.items():
            samples = {"top20": [], "count": [], "peer_page": [], "peer_top20": []}
            for raw in queries:
                def top20(raw=raw):  # as the search page and the API do: the facets, with the page read meanwhile
                    found = notice_search(text=raw)
                    return found.facets(page=slice(0, 20)), found.notices[:20]

                query = peer.compile(raw)
                runs = {"top20": top20, "count": lambda raw=raw: notice_search(text=raw).notices.count(),
                        "peer_page": lambda query=query: peer.page(query), "peer_top20": lambda query=query: peer.top20(query)}
                # The site and the peer take turns, query by query, after one untimed run each: timed minutes apart
                # on a shared machine they would differ by whatever else it was doing meanwhile, and a first run
                # pays for pages of the index that no later search reads again.
                interleaved(runs, repeat, samples)
                if set(notice_search(text=raw).notices.ids()) != expected[raw]:
                    results["wrong"].append(f"{engine}: {raw}")
            classes[label] = {"top20": samples["top20"], "count": samples["count"]}
            peer_page[label], peer_top20[label] = samples["peer_page"], samples["peer_top20"]
        results["engines"][engine] = {"build_seconds": build_seconds, "index_bytes": index_bytes(engine), "classes": classes,
                                      "segments": segments, "preloaded": engine == "tantivy",
                                      "peer_page": peer_page, "peer_top20": peer_top20}

    like = {}
    for label, queries in QUERIES.items():
        like[label] = []
        for raw in queries:
            term = raw.split()[0]
            scan = {"like": lambda term=term: list(Notice.objects.filter(Q(title__contains=term) | Q(description__contains=term))
                                                   .order_by("-published_on")[:20])}
            interleaved(scan, repeat, {"like": like[label]})
    results["like"] = like
    if connection.vendor == "sqlite":
        results["trigram_misses"] = trigram_misses(expected)
    results["peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(results))


def index_bytes(engine: str) -> int:
    from django.conf import settings
    from django.db import connection

    if engine == "tantivy":
        from tsunagu.search.engine import SCHEMA_VERSION

        return sum(f.stat().st_size for f in (Path(settings.SEARCH_INDEX_DIR) / SCHEMA_VERSION).rglob("*") if f.is_file())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('search_notice_document')")
        else:
            cursor.execute("SELECT SUM(length(title) + length(body)) FROM search_notice_fts")  # the token text only
        return cursor.fetchone()[0] or 0


def interleaved(runs: dict, repeat: int, samples: dict) -> None:
    """Time each of `runs` `repeat` times in turns, one untimed run each first, each round starting with the next
    one (so none always follows the same other); milliseconds into `samples`."""
    for run in runs.values():
        run()
    names = list(runs)
    for round_ in range(repeat):
        for name in names[round_ % len(names):] + names[: round_ % len(names)]:
            start = time.perf_counter()
            runs[name]()
            samples[name].append((time.perf_counter() - start) * 1000)


def preload(engine: str) -> None:
    """Read the index's files once, as a server that has been answering searches has them in memory (the peer's
    index is in memory by construction). Without it the comparison measures the disk: on the benchmark machine the
    page cache holds about 4 GB, and reading the corpus (the reference, the peer, the rebuild) pushes the index out."""
    if engine != "tantivy":
        return
    from django.conf import settings

    from tsunagu.search.engine import SCHEMA_VERSION

    for file in (Path(settings.SEARCH_INDEX_DIR) / SCHEMA_VERSION).rglob("*"):
        if not file.is_file():
            continue
        with file.open("rb") as f:
            while f.read(1 << 20):
                pass


def index_segments(engine: str) -> int | None:
    if engine != "tantivy":
        return None
    from tsunagu.search.engine import _current_searcher

    return _current_searcher().num_segments


class Peer:
    """The peer: a bare in-memory tantivy index fed exactly the same documents (tokens and facet fields), doing the
    same work as a search page (top 20 by BM25, the count, the same facet aggregation, these two at once as the engine
    does them) with no framework around it. `top20` is the top 20 alone, for reference."""

    def __init__(self, expected: dict[str, set[int]]):
        import tantivy
        from django.db.models import Exists, OuterRef
        from django.utils import timezone

        from tsunagu.notices.models import Award, Notice
        from tsunagu.search.engine import SCHEMA, WRITER_SETTINGS, facet_aggregations, notice_document

        index = tantivy.Index(SCHEMA)
        writer = index.writer(**WRITER_SETTINGS)  # the engine's own: the same segment layout
        start = time.perf_counter()
        notices = (Notice.objects.select_related("municipality__prefecture")
                   .annotate(awarded=Exists(Award.objects.filter(notice=OuterRef("pk")))).iterator(chunk_size=5000))
        for n in notices:
            writer.add_document(notice_document(n, awarded=n.awarded))
        writer.commit()
        writer.wait_merging_threads()  # no merge left running in the background while it is timed
        index.reload()
        self.build_seconds = time.perf_counter() - start
        self.searcher = index.searcher()
        self.aggregations = facet_aggregations(timezone.localdate())
        self.workers = ThreadPoolExecutor(max_workers=1)
        self.wrong = [raw for raw, ids in expected.items() if not self._parsed(raw).needs_check and self._all_ids(raw) != ids]

    @staticmethod
    def _parsed(raw):
        from tsunagu.search.analysis import parse_query

        return parse_query(raw)

    def compile(self, raw: str):
        """The engine's own query for the text (long grams, phrases, title weighted)."""
        import tantivy

        from tsunagu.search.engine import text_query

        return tantivy.Query.boolean_query(text_query(self._parsed(raw)))

    def _all_ids(self, raw: str) -> set[int]:
        hits = self.searcher.search(self.compile(raw), self.searcher.num_docs + 1).hits
        return set(self.searcher.fast_field_values("id", [a for _s, a in hits]))

    def top20(self, query):
        hits = self.searcher.search(query, 20, count=False).hits
        return self.searcher.fast_field_values("id", [a for _s, a in hits])

    def page(self, query):
        """The same strategy as the engine: the aggregation in another thread while the top 20 is read."""
        counting = self.workers.submit(self.searcher.aggregate, query, self.aggregations)
        found = self.searcher.search(query, 20, count=True)
        return self.searcher.fast_field_values("id", [a for _s, a in found.hits]), found.count, counting.result()


def trigram_misses(expected) -> dict:
    """SQLite's built-in trigram tokenizer over the same normalised text: how many true matches it misses."""
    import sqlite3

    from tsunagu.core.text import normalize_text
    from tsunagu.notices.models import Notice
    from tsunagu.search.analysis import parse_query
    from tsunagu.search.documents import notice_field_texts

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')")
    db.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)",
                   ((n.pk, " | ".join(normalize_text(f) for f in notice_field_texts(n)))
                    for n in Notice.objects.select_related("municipality__prefecture").iterator(chunk_size=5000)))
    misses = {}
    for raw, ids in expected.items():
        query = parse_query(raw)
        terms = [t.text for c in query.clauses if not c.negated for t in c.terms]
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
        try:
            found = {r for (r,) in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,))}
        except sqlite3.OperationalError:
            found = set()
        misses[raw] = len(ids - found)
    return misses


def run_child(database_url: str, var_dir: Path, notices: int, repeat: int, engines: list[str]) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": str(var_dir), "DEBUG": "0",
           "SECRET_KEY": "benchmark-only-secret", "LOG_LEVEL": "WARNING", "SEARCH_ENGINE": "tantivy"}
    out = subprocess.run([sys.executable, __file__, "--child", str(notices), "--repeat", str(repeat),
                          "--engines", ",".join(engines)], env=env, capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode:
        sys.exit(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(r: dict) -> None:
    peer = r["peer"]
    generated = "kept corpus" if r["generate_seconds"] is None else f"generated and indexed in {r['generate_seconds']:.0f} s"
    print(f"\n[{r['backend']}] {r['notices']:,} notices ({generated}); peak RSS {r['peak_kib'] / 1024:.0f} MiB; "
          f"peer tantivy build {peer['build_seconds']:.1f} s, {peer['segments']} segments")
    for engine, e in r["engines"].items():
        segments = f", {e['segments']} segments" if e["segments"] is not None else ""
        preloaded = "read into memory before the timings" if e["preloaded"] else "not read in beforehand"
        print(f"  engine {engine}: index build {e['build_seconds']:.1f} s, {e['index_bytes'] / 1e6:.0f} MB{segments}, {preloaded}")
        print(f"  {'class':<11} {'top20+facets p50/p95 ms':>24} {'count p50/p95':>15} {'LIKE p95':>9} {'peer p50/p95':>13} "
              f"{'(top20)':>8} {'vs peer':>8} {'+ms p50':>8} {'vs LIKE':>8}")
        for label, c in e["classes"].items():
            t95, like95, top95 = p(e["peer_page"][label], 0.95), p(r["like"][label], 0.95), p(c["top20"], 0.95)
            extra = p(c["top20"], 0.5) - p(e["peer_page"][label], 0.5)  # what the site adds: mostly reading the rows
            print(f"  {label:<11} {p(c['top20'], .5):>11.1f} / {top95:>8.1f} {p(c['count'], .5):>7.1f} / "
                  f"{p(c['count'], .95):>5.1f} {like95:>9.1f} {p(e['peer_page'][label], .5):>6.1f} / {t95:>4.1f} "
                  f"{p(e['peer_top20'][label], .95):>8.1f} {top95 / t95:>7.1f}x {extra:>8.1f} {top95 / like95:>7.2f}x")
    print(f"  results differing from the reference: {r['wrong'] or 'none'}; "
          f"peer differing: {peer['wrong'] or 'none'}")
    if "trigram_misses" in r:
        missed = {q: n for q, n in r["trigram_misses"].items() if n}
        print(f"  SQLite trigram tokenizer misses (true matches it does not return): {missed or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20, help="times each query is run (p95 of fewer is about the maximum)")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true", help="only PostgreSQL (with --postgres)")
    parser.add_argument("--engines", default="tantivy,database",
                        help="which engines to measure (the database's own index is slow past 100,000 notices)")
    parser.add_argument("--keep", type=Path, help="keep the corpus (and its search index) and reuse it: SQLite's here")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if e]
    if args.child:
        child(args.child, args.repeat, engines)
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        folder = args.keep or tmp_path
        folder.mkdir(parents=True, exist_ok=True)
        print(f"search benchmark: {args.notices:,} demo notices, each query {args.repeat} times, engines {engines}")
        if not args.skip_sqlite:
            report(run_child(f"sqlite:///{folder / f'search-{args.notices}.sqlite3'}", folder / f"var-{args.notices}",
                             args.notices, args.repeat, engines))
        if args.postgres:
            import psycopg

            database = f"tsunagu_bench_search_{args.notices}"
            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
                if exists and not args.keep:
                    conn.execute(f'DROP DATABASE "{database}"')
                if not exists or not args.keep:  # --keep: the corpus stays in this database for the next run
                    conn.execute(f'CREATE DATABASE "{database}"')
            report(run_child(f"postgres://postgres@127.0.0.1:5432/{database}", folder / f"var-pg-{args.notices}",
                             args.notices, args.repeat, engines))
            if not args.keep:
                with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE "{database}"')


if __name__ == "__main__":
    main()
