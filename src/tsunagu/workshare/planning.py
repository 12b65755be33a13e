"""The team planner: for every work element a primary and a backup who is another person.

A CP-SAT model (OR-Tools) over the qualified (worker, element) pairs only:
- each element gets at most one primary and at most one backup, never the same person;
- a worker's primary hours plus a share of their backup hours (standby is work too) stay within their capacity;
- the objective, in order of weight: elements with a primary, elements with a backup, fewer people per group
  (one person keeps one municipality), a lighter heaviest load.
A greedy plan is computed first: it is the hint the solver starts from and the baseline the benchmark compares
against, under the same score. The coordinator reviews the suggestion before it applies (services.plan_apply).
"""

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

PRIMARY_WEIGHT = 1000
BACKUP_WEIGHT = 300
SPLIT_WEIGHT = 50  # per extra person on a group
LOAD_WEIGHT = 1  # per tenth of an hour of the heaviest load
BACKUP_SHARE_PERCENT = 25  # a backup reserves this much of the element's hours
CANDIDATES = 8  # people the solver weighs per element (plus the greedy plan's): keeps big projects within seconds


@dataclass(frozen=True)
class PlanWorker:
    id: int
    skills: frozenset[int]
    capacity_tenths: int  # hours × 10 available over the plan's horizon


@dataclass(frozen=True)
class PlanElement:
    id: int
    skills: frozenset[int]
    hours_tenths: int
    group: str = ""
    fixed_primary: int | None = None  # work already under way stays with its person


@dataclass
class Plan:
    primary: dict[int, int | None]
    backup: dict[int, int | None]
    score: int = 0
    status: str = ""
    seconds: float = 0.0
    loads: dict[int, int] = field(default_factory=dict)  # worker → tenths (primary + backup share)

    @property
    def without_primary(self) -> list[int]:
        return [e for e, w in self.primary.items() if w is None]

    @property
    def without_backup(self) -> list[int]:
        return [e for e, w in self.backup.items() if w is None]


def _qualified(workers: list[PlanWorker], element: PlanElement) -> list[PlanWorker]:
    return [w for w in workers if element.skills <= w.skills and w.capacity_tenths > 0]


def _primary_candidates(workers: list[PlanWorker], element: PlanElement) -> list[PlanWorker]:
    qualified = _qualified(workers, element)
    if element.fixed_primary is not None:
        return [w for w in workers if w.id == element.fixed_primary]
    return qualified


def _backup_tenths(element: PlanElement) -> int:
    return -(-element.hours_tenths * BACKUP_SHARE_PERCENT // 100)  # rounded up


def plan_score(plan: Plan, workers: list[PlanWorker], elements: list[PlanElement]) -> int:
    """The objective both planners are judged by (higher is better)."""
    loads = {w.id: 0 for w in workers}
    by_id = {e.id: e for e in elements}
    groups: dict[str, set[int]] = defaultdict(set)
    for element_id, worker_id in plan.primary.items():
        if worker_id is not None:
            loads[worker_id] += by_id[element_id].hours_tenths
            if by_id[element_id].group:
                groups[by_id[element_id].group].add(worker_id)
    for element_id, worker_id in plan.backup.items():
        if worker_id is not None:
            loads[worker_id] += _backup_tenths(by_id[element_id])
    plan.loads = loads
    splits = sum(len(people) - 1 for people in groups.values() if people)
    primaries = sum(1 for w in plan.primary.values() if w is not None)
    backups = sum(1 for w in plan.backup.values() if w is not None)
    return (PRIMARY_WEIGHT * primaries + BACKUP_WEIGHT * backups - SPLIT_WEIGHT * splits
            - LOAD_WEIGHT * max(loads.values(), default=0))


def plan_greedy(workers: list[PlanWorker], elements: list[PlanElement]) -> Plan:
    """Largest elements first; the qualified person already on the group, else the least loaded with room; then
    the least loaded other person with room as the backup."""
    started = time.perf_counter()
    load = {w.id: 0 for w in workers}
    capacity = {w.id: w.capacity_tenths for w in workers}
    group_owner: dict[str, int] = {}
    primary: dict[int, int | None] = {}
    backup: dict[int, int | None] = {}
    for element in sorted(elements, key=lambda e: (-e.hours_tenths, e.id)):
        candidates = [w.id for w in _primary_candidates(workers, element)
                      if load[w.id] + element.hours_tenths <= capacity[w.id] or element.fixed_primary == w.id]
        chosen = group_owner.get(element.group) if element.group else None
        if chosen not in candidates or element.fixed_primary is not None:
            chosen = min(candidates, key=lambda w: (load[w] / capacity[w], w), default=None)
        primary[element.id] = chosen
        if chosen is not None:
            load[chosen] += element.hours_tenths
            if element.group:
                group_owner.setdefault(element.group, chosen)
        share = _backup_tenths(element)
        others = [w.id for w in _qualified(workers, element) if w.id != chosen and load[w.id] + share <= capacity[w.id]]
        # a backup stands in for someone: none while nobody holds the element
        second = min(others, key=lambda w: (load[w] / capacity[w], w), default=None) if chosen is not None else None
        backup[element.id] = second
        if second is not None:
            load[second] += share
    plan = Plan(primary=primary, backup=backup, status="GREEDY")
    plan.score = plan_score(plan, workers, elements)
    plan.seconds = time.perf_counter() - started
    return plan


def _shortlist(qualified: list[PlanWorker], element: PlanElement, greedy: Plan) -> list[PlanWorker]:
    """At most CANDIDATES qualified people per element, always including the greedy plan's primary and backup (so the
    hint stays feasible); the rest a spread that differs from element to element (seeded by the element's id)."""
    if len(qualified) <= CANDIDATES:
        return qualified
    keep = {greedy.primary.get(element.id), greedy.backup.get(element.id)}
    rng = random.Random(element.id)
    others = [w for w in qualified if w.id not in keep]
    chosen = rng.sample(others, max(0, CANDIDATES - len(keep - {None})))
    return [w for w in qualified if w.id in keep] + chosen


def plan_team(workers: list[PlanWorker], elements: list[PlanElement], *, time_limit: float = 8.0) -> Plan:
    """The solver's plan, never worse than the greedy one it starts from."""
    started = time.perf_counter()
    greedy = plan_greedy(workers, elements)
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    b: dict[tuple[int, int], cp_model.IntVar] = {}
    per_worker_load: dict[int, list] = defaultdict(list)
    group_members: dict[tuple[str, int], list] = defaultdict(list)
    group_sizes: dict[str, int] = defaultdict(int)
    for element in elements:
        group_sizes[element.group] += 1
    for element in elements:
        qualified = _shortlist(_qualified(workers, element), element, greedy)
        fixed = [w.id for w in _primary_candidates(workers, element)] if element.fixed_primary is not None else None
        if fixed and all(w.id != fixed[0] for w in qualified):
            qualified = [*qualified, *[w for w in workers if w.id == fixed[0]]]
        xs, bs = [], []
        for worker in qualified:
            key = (worker.id, element.id)
            x[key] = model.new_bool_var(f"x{worker.id}_{element.id}")
            b[key] = model.new_bool_var(f"b{worker.id}_{element.id}")
            model.add(x[key] + b[key] <= 1)
            if fixed is not None:
                model.add(x[key] == int(worker.id in fixed))
            xs.append(x[key])
            bs.append(b[key])
            if fixed is None:  # work already under way is not re-planned, so it does not count against the cap
                per_worker_load[worker.id].append((x[key], element.hours_tenths))
            per_worker_load[worker.id].append((b[key], _backup_tenths(element)))
            if element.group and group_sizes[element.group] > 1:
                group_members[(element.group, worker.id)].append(x[key])
        if xs:
            model.add(sum(xs) <= 1)
            model.add(sum(bs) <= 1)
            model.add(sum(bs) <= sum(xs))  # a backup stands in for someone
    max_load = model.new_int_var(0, max((w.capacity_tenths for w in workers), default=0), "max_load")
    for worker in workers:
        terms = per_worker_load.get(worker.id, [])
        if terms:
            load = sum(var * tenths for var, tenths in terms)
            model.add(load <= worker.capacity_tenths)
            model.add(load <= max_load)
    # people per group: y[g,w] = 1 when w is primary on anything in g; splits = Σ y − (groups with someone)
    people_on_groups = []
    greedy_groups = {(e.group, greedy.primary.get(e.id)) for e in elements if e.group}
    for (group, worker_id), xs in group_members.items():
        y = model.new_bool_var("")
        for var in xs:
            model.add(y >= var)
        people_on_groups.append(y)
        model.add_hint(y, (group, worker_id) in greedy_groups)
    model.maximize(PRIMARY_WEIGHT * sum(x.values()) + BACKUP_WEIGHT * sum(b.values())
                   - SPLIT_WEIGHT * sum(people_on_groups) - LOAD_WEIGHT * max_load)
    for (worker_id, element_id), var in x.items():
        model.add_hint(var, greedy.primary.get(element_id) == worker_id)
    for (worker_id, element_id), var in b.items():
        model.add_hint(var, greedy.backup.get(element_id) == worker_id)
    model.add_hint(max_load, max(greedy.loads.values(), default=0))  # a complete hint: the search starts from it
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, time_limit - (time.perf_counter() - started))
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        greedy.seconds = time.perf_counter() - started
        return greedy
    primary = {e.id: None for e in elements}
    backup = {e.id: None for e in elements}
    for (worker_id, element_id), var in x.items():
        if solver.boolean_value(var):
            primary[element_id] = worker_id
    for (worker_id, element_id), var in b.items():
        if solver.boolean_value(var):
            backup[element_id] = worker_id
    plan = Plan(primary=primary, backup=backup, status=solver.status_name(status))
    plan.score = plan_score(plan, workers, elements)
    if plan.score < greedy.score:  # the time ran out before the solver caught up: keep the better plan
        greedy.seconds = time.perf_counter() - started
        return greedy
    plan.seconds = time.perf_counter() - started
    return plan
