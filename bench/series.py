"""Benchmark: predicting the next edition of a yearly call (issue 7). One command:

    .venv/bin/python bench/series.py [--notices 20000] [--seed 1]

Generates the demo corpus on a fresh SQLite database (its yearly series are known recurrence: the same call in the
same municipality and department, 3–5 years running, about the same day each year) and links it into series
through the app's own hooks, timing both. Then, for every linked series with at least three 年度, hides the last
edition and predicts it from the earlier ones with the site's `predict_next`, and compares, in the same run, with
two naive baselines: "the last edition's date, one year on" and "the kind's median day of the 年度" (over the
whole corpus). Reports the hit rate within ±30 days, the mean error in days, how often the window holds the real
date, and the budget error against "the last budget again".
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update({"DATABASE_URL": f"sqlite:///{tmp}/series.sqlite3", "VAR_DIR": f"{tmp}/var", "DEBUG": "0",
                           "SECRET_KEY": "benchmark-only-secret", "DJANGO_SETTINGS_MODULE": "tsunagu.settings"})
        sys.path.insert(0, str(ROOT / "src"))
        run(args.notices, args.seed)


def run(notices: int, seed: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from tsunagu.notices.demo import demo_generate
    from tsunagu.series.models import CallSeries, SeriesEdition
    from tsunagu.series.prediction import Edition, fiscal_year, predict_next, predict_same_day_next_year
    from tsunagu.series.services import series_link_all

    call_command("migrate", verbosity=0)
    today = datetime.date(2026, 6, 1)
    start = time.perf_counter()
    demo_generate(notices=notices, seed=seed, today=today)  # linked on the way in
    generate_seconds = time.perf_counter() - start
    start = time.perf_counter()
    relinked = series_link_all()
    relink_seconds = time.perf_counter() - start

    by_series: dict[int, list[tuple]] = defaultdict(list)
    offsets_by_kind: dict[str, list[int]] = defaultdict(list)
    for sid, published, budget, kind in SeriesEdition.objects.values_list(
        "series_id", "notice__published_on", "notice__budget_yen", "notice__kind"
    ):
        by_series[sid].append((published, budget))
        fy = fiscal_year(published)
        offsets_by_kind[kind].append((published - datetime.date(fy, 4, 1)).days)
    kinds = dict(CallSeries.objects.values_list("pk", "kind"))
    kind_median = {kind: round(statistics.median(offsets)) for kind, offsets in offsets_by_kind.items()}

    errors = {"prediction": [], "same day +1 year": [], "kind's median day": []}
    inside_window = budget_inside = 0
    budget_errors = {"prediction": [], "last budget": []}
    cases = 0
    for sid, rows in by_series.items():
        editions = sorted((Edition(published_on=d, budget_yen=b) for d, b in rows), key=lambda e: e.published_on)
        years = sorted({fiscal_year(e.published_on) for e in editions})
        if len(years) < 3:
            continue
        hidden_fy = years[-1]
        hidden = min((e for e in editions if fiscal_year(e.published_on) == hidden_fy), key=lambda e: e.published_on)
        known = [e for e in editions if fiscal_year(e.published_on) < hidden_fy]
        prediction = predict_next(known)
        cases += 1
        actual = hidden.published_on
        errors["prediction"].append(abs((prediction.on - actual).days))
        errors["same day +1 year"].append(abs((predict_same_day_next_year(known) - actual).days))
        next_fy = fiscal_year(max(e.published_on for e in known)) + 1
        errors["kind's median day"].append(
            abs((datetime.date(next_fy, 4, 1) + datetime.timedelta(days=kind_median[kinds[sid]]) - actual).days))
        inside_window += prediction.window_from <= actual <= prediction.window_to
        last_budget = next((e.budget_yen for e in reversed(known) if e.budget_yen), None)
        if hidden.budget_yen and prediction.budget_yen and last_budget:
            budget_errors["prediction"].append(abs(prediction.budget_yen - hidden.budget_yen) / hidden.budget_yen)
            budget_errors["last budget"].append(abs(last_budget - hidden.budget_yen) / hidden.budget_yen)
            budget_inside += prediction.budget_low <= hidden.budget_yen <= prediction.budget_high

    recurring = CallSeries.objects.recurring().count()
    print(f"series benchmark: {notices:,} demo notices (seed {seed}), generated and linked in {generate_seconds:.1f} s "
          f"({notices / generate_seconds:,.0f} notices/s); relinking all: {relink_seconds:.1f} s, {relinked} moved")
    print(f"  series with 2+ editions: {recurring:,}; with 3+ 年度 (evaluated, last edition hidden): {cases:,}")
    if not cases:
        print("  nothing to evaluate: generate more notices")
        return
    ours = errors["prediction"]
    hit = lambda values: sum(v <= 30 for v in values) / len(values)  # noqa: E731
    print(f"  {'method':<22} {'hit ±30 days':>13} {'mean error':>11} {'median error':>13}")
    for name, values in errors.items():
        print(f"  {name:<22} {hit(values):>12.1%} {statistics.mean(values):>9.1f} d {statistics.median(values):>11.0f} d")
    print(f"  window (≥ ±30 days) holds the real date: {inside_window / cases:.1%}")
    for name, values in errors.items():
        if name != "prediction":
            print(f"  prediction vs {name}: hit rate ×{hit(ours) / max(hit(values), 1e-9):.2f}, "
                  f"mean error ×{statistics.mean(ours) / max(statistics.mean(values), 1e-9):.2f}")
    if budget_errors["prediction"]:
        n = len(budget_errors["prediction"])
        ours_b, last_b = statistics.median(budget_errors["prediction"]), statistics.median(budget_errors["last budget"])
        print(f"  budget ({n:,} with amounts): median error prediction {ours_b:.1%}, last budget {last_b:.1%} "
              f"(×{ours_b / max(last_b, 1e-9):.2f}); range holds the real amount {budget_inside / n:.1%}")


if __name__ == "__main__":
    main()
