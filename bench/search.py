"""Benchmark: search on the demo corpus (issue 3). One command:

    .venv/bin/python bench/search.py [--notices 100000] [--postgres] [--repeat 5]

For each database, in a child process on a fresh database: generate the demo corpus, rebuild the index (timed,
with its size), then run each query class (1, 2, 3, 4+ characters, several terms) `--repeat` times as the site
does (ranked top 20 with facet counts, and count only) and print p50/p95 per class. In the same run it times
tantivy fed the same tokens, a plain LIKE scan, and counts what SQLite's trigram tokenizer misses. Every backend
answer is checked against the reference (same ids), so a fast wrong answer can't pass.
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
QUERIES = {
    "1 char": ["橋", "港", "館", "祉"],
    "2 chars": ["福祉", "観光", "防災", "子育"],
    "3 chars": ["子ども", "図書館", "指定管"],
    "4+ chars": ["指定管理者", "地域福祉計画", "プロポーザル"],
    "multi-term": ["福祉 計画", "観光 -入札", "子ども OR 高齢者", "令和8年度 業務 委託"],
}


def timed(fn, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def child(notices: int, repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from tsunagu.notices.demo import demo_generate
    from tsunagu.notices.models import Notice
    from tsunagu.core.text import normalize_text
    from tsunagu.search.analysis import parse_query, term_matches
    from tsunagu.search.index import notice_field_texts, notice_tokens, search_index_rebuild

    def matches(query, normalized_fields) -> bool:  # reference_match on fields normalised beforehand
        return not query.is_empty and all(
            any(term_matches(t, normalized_fields) for t in c.terms) != c.negated for c in query.clauses)
    from tsunagu.search.selectors import notice_search, notice_search_facets

    call_command("migrate", verbosity=0)
    demo_generate(notices=notices, seed=1)
    start = time.perf_counter()
    search_index_rebuild()
    build_seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('search_notice_document')")
            index_bytes = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT SUM(length(title) + length(body)) FROM search_notice_fts")
            index_bytes = cursor.fetchone()[0]  # the token text; FTS5's own structures come on top

    # The reference: the definition applied to every notice, once per query.
    corpus = [(n.pk, notice_field_texts(n)) for n in
              Notice.objects.select_related("municipality__prefecture").iterator(chunk_size=5000)]
    normalized = [(pk, [normalize_text(f) for f in fields]) for pk, fields in corpus]  # once, not per query
    all_queries = [q for group in QUERIES.values() for q in group]
    expected = {raw: {pk for pk, fields in normalized if matches(parse_query(raw), fields)} for raw in all_queries}

    results: dict = {"backend": connection.vendor, "build_seconds": build_seconds, "index_bytes": index_bytes,
                     "notices": len(corpus), "classes": {}, "wrong": []}
    for label, queries in QUERIES.items():
        ranked, counts, like = [], [], []
        for raw in queries:
            def top20(raw=raw):
                found = notice_search(text=raw)
                return list(found.notices[:20]), notice_search_facets(found.notices)

            times, _ = timed(top20, repeat)
            ranked += times
            times, count = timed(lambda raw=raw: notice_search(text=raw).notices.count(), repeat)
            counts += times
            ids = set(notice_search(text=raw).notices.values_list("pk", flat=True))
            if ids != expected[raw]:
                results["wrong"].append(raw)
            term = raw.split()[0]
            times, _ = timed(lambda term=term: list(Notice.objects.filter(Q(title__contains=term) | Q(description__contains=term))
                                                    .order_by("-published_on")[:20]), repeat)
            like += times
        results["classes"][label] = {"top20": ranked, "count": counts, "like": like}

    if connection.vendor == "sqlite":
        results["tantivy"] = tantivy_run(corpus, notice_tokens, expected, repeat)
        results["trigram_misses"] = trigram_misses(corpus, expected)
    results["peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(results))


def tantivy_run(corpus, notice_tokens, expected, repeat) -> dict:
    """tantivy fed exactly the same tokens: phrase queries for 2+ characters, a regex prefix for one."""
    try:
        import tantivy
    except ImportError:
        return {"skipped": "pip install tantivy (make bench installs it)"}
    from tsunagu.notices.models import Notice
    from tsunagu.search.analysis import parse_query

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("title", stored=False, tokenizer_name="whitespace")
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace")
    schema = builder.build()
    index = tantivy.Index(schema)
    writer = index.writer()
    start = time.perf_counter()
    by_id = {n.pk: n for n in Notice.objects.select_related("municipality__prefecture").iterator(chunk_size=5000)}
    for pk, _fields in corpus:
        title, body = notice_tokens(by_id[pk])
        writer.add_document(tantivy.Document(id=pk, title=" ".join(title), body=" ".join(body)))
    writer.commit()
    index.reload()
    build = time.perf_counter() - start
    searcher = index.searcher()

    def segment_query(field, term, segment):
        q = term.segment_query(segment)
        if isinstance(q, str):
            return tantivy.Query.regex_query(schema, field, tantivy_escape(q) + ".*")
        if len(q) == 1:
            return tantivy.Query.term_query(schema, field, q[0])
        return tantivy.Query.phrase_query(schema, field, list(q))

    def term_query(term):
        per_field = []
        for field in ("title", "body"):
            parts = [(tantivy.Occur.Must, segment_query(field, term, s)) for s in term.segments]
            per_field.append((tantivy.Occur.Should, tantivy.Query.boolean_query(parts)))
        return tantivy.Query.boolean_query(per_field)

    def compile_query(raw):
        clauses = []
        for clause in parse_query(raw).clauses:
            either = tantivy.Query.boolean_query([(tantivy.Occur.Should, term_query(t)) for t in clause.terms])
            clauses.append((tantivy.Occur.MustNot if clause.negated else tantivy.Occur.Must, either))
        return tantivy.Query.boolean_query(clauses)

    out = {"build_seconds": build, "classes": {}, "wrong": []}
    for label, queries in QUERIES.items():
        times_all = []
        for raw in queries:
            query = compile_query(raw)
            times, _ = timed(lambda query=query: [searcher.doc(a)["id"] for _s, a in searcher.search(query, 20).hits], 5)
            times_all += times
            hits = searcher.search(query, len(corpus) + 1).hits
            ids = {searcher.doc(a)["id"][0] for _s, a in hits}
            if ids != expected[raw] and not parse_query(raw).needs_check:
                out["wrong"].append(raw)
        out["classes"][label] = times_all
    return out


def tantivy_escape(text: str) -> str:
    import re

    return re.escape(text)


def trigram_misses(corpus, expected) -> dict:
    """SQLite's built-in trigram tokenizer over the same normalised text: how many true matches it misses."""
    import sqlite3

    from tsunagu.core.text import normalize_text
    from tsunagu.search.analysis import parse_query

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')")
    db.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)",
                   ((pk, " | ".join(normalize_text(f) for f in fields)) for pk, fields in corpus))
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


def run_child(database_url: str, var_dir: Path, notices: int, repeat: int) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": str(var_dir), "DEBUG": "0",
           "SECRET_KEY": "benchmark-only-secret", "LOG_LEVEL": "WARNING"}
    out = subprocess.run([sys.executable, __file__, "--child", str(notices), "--repeat", str(repeat)], env=env,
                         capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode:
        sys.exit(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(r: dict) -> None:
    print(f"\n[{r['backend']}] {r['notices']:,} notices; index build {r['build_seconds']:.1f} s, "
          f"{r['index_bytes'] / 1e6:.0f} MB; peak RSS {r['peak_kib'] / 1024:.0f} MiB")
    tantivy = r.get("tantivy", {})
    print(f"  {'class':<11} {'top20+facets p50/p95 ms':>24} {'count p50/p95':>15} {'LIKE p95':>9} {'tantivy p95':>12} {'ratio':>6}")
    for label, c in r["classes"].items():
        t95 = p(tantivy["classes"][label], 0.95) if "classes" in tantivy else None
        ratio = f"{p(c['top20'], 0.95) / t95:.1f}x" if t95 else "—"
        print(f"  {label:<11} {p(c['top20'], .5):>11.1f} / {p(c['top20'], .95):>8.1f} {p(c['count'], .5):>7.1f} / "
              f"{p(c['count'], .95):>5.1f} {p(c['like'], .95):>9.1f} {(f'{t95:.1f}' if t95 else '—'):>12} {ratio:>6}")
    print(f"  results differing from the reference: {r['wrong'] or 'none'}")
    if "skipped" in tantivy:
        print(f"  tantivy: {tantivy['skipped']}")
    elif tantivy:
        print(f"  tantivy build {tantivy['build_seconds']:.1f} s; differing from the reference: {tantivy['wrong'] or 'none'}")
    if "trigram_misses" in r:
        missed = {q: n for q, n in r["trigram_misses"].items() if n}
        print(f"  SQLite trigram tokenizer misses (true matches it does not return): {missed or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        print(f"search benchmark: {args.notices:,} demo notices, each query {args.repeat} times")
        report(run_child(f"sqlite:///{tmp_path / 'search.sqlite3'}", tmp_path / "var", args.notices, args.repeat))
        if args.postgres:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute('DROP DATABASE IF EXISTS "tsunagu_bench_search"')
                conn.execute('CREATE DATABASE "tsunagu_bench_search"')
            report(run_child("postgres://postgres@127.0.0.1:5432/tsunagu_bench_search", tmp_path / "var-pg",
                             args.notices, args.repeat))


if __name__ == "__main__":
    main()
