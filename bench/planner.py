"""Benchmark: the team planner on a nationwide collection project (issue 4). One command:

    .venv/bin/python bench/planner.py [--workers 60] [--elements 2000] [--seed 1] [--time-limit 9]

Generates workers (skills, hours over the horizon) and elements (skills, hours, one group per municipality and
period, so a group holds several elements), then runs the greedy baseline and the CP-SAT planner in the same run
and prints each one's score (the same objective), elements without a primary or a backup, the heaviest load and
the time taken. Target: under 10 s for 60 × 2,000.
"""

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tsunagu.workshare.planning import PlanElement, PlanWorker, plan_greedy, plan_team  # noqa: E402

SKILLS = list(range(8))  # データ入力, Web調査, 表計算, 執筆, デザイン, 翻訳, 経理, 確認


def corpus(workers: int, elements: int, seed: int) -> tuple[list[PlanWorker], list[PlanElement]]:
    rng = random.Random(seed)
    people = []
    for i in range(workers):
        skills = {0, 1} | set(rng.sample(SKILLS[2:], rng.randint(0, 3)))
        weekly_hours = rng.choice([6, 8, 10, 12, 15, 20])
        people.append(PlanWorker(id=i + 1, skills=frozenset(skills), capacity_tenths=weekly_hours * 8 * 10))  # 8 weeks
    work = []
    for j in range(elements):
        needs = {0} if rng.random() < 0.7 else {0, rng.choice(SKILLS[1:])}
        work.append(PlanElement(id=j + 1, skills=frozenset(needs), hours_tenths=rng.choice([10, 15, 20, 30, 40]),
                                group=f"muni{j // 2}"))  # two periods per municipality
    return people, work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=60)
    parser.add_argument("--elements", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=9.0)
    args = parser.parse_args()
    workers, elements = corpus(args.workers, args.elements, args.seed)
    print(f"planner benchmark: {args.workers} workers × {args.elements} elements, time limit {args.time_limit:.0f} s")
    greedy = plan_greedy(workers, elements)
    solved = plan_team(workers, elements, time_limit=args.time_limit)
    print(f"  {'planner':<8} {'score':>10} {'no primary':>11} {'no backup':>10} {'max load h':>11} {'seconds':>8}")
    for name, plan in (("greedy", greedy), ("CP-SAT", solved)):
        print(f"  {name:<8} {plan.score:>10,} {len(plan.without_primary):>11} {len(plan.without_backup):>10} "
              f"{max(plan.loads.values()) / 10:>11.1f} {plan.seconds:>8.2f}")
    print(f"  CP-SAT status {solved.status}; score vs greedy: {solved.score - greedy.score:+,} "
          f"({solved.score / greedy.score:.3f}x); target < 10 s: {'met' if solved.seconds < 10 else 'MISSED'}")


if __name__ == "__main__":
    main()
