"""The team planner: primary ≠ backup, skills and capacity respected, single points of failure flagged, groups
kept with one person, and never worse than the greedy baseline."""

from decimal import Decimal

from tsunagu.workshare import services
from tsunagu.workshare.models import WorkElement
from tsunagu.workshare.planning import PlanElement, PlanWorker, plan_greedy, plan_team


def _loads(plan, elements):
    hours = {e.id: e.hours_tenths for e in elements}
    load = {}
    for element_id, worker in plan.primary.items():
        if worker:
            load[worker] = load.get(worker, 0) + hours[element_id]
    return load


def test_every_element_gets_a_primary_and_another_person_as_backup_within_capacity():
    workers = [PlanWorker(id=i, skills=frozenset({1}), capacity_tenths=100) for i in range(1, 5)]
    elements = [PlanElement(id=j, skills=frozenset({1}), hours_tenths=20, group=f"g{j // 2}") for j in range(12)]
    plan = plan_team(workers, elements, time_limit=5)
    assert not plan.without_primary and not plan.without_backup
    assert all(plan.primary[e] != plan.backup[e] for e in plan.primary)
    assert all(load <= 100 for load in _loads(plan, elements).values())


def test_an_element_only_one_person_can_do_is_flagged_without_a_backup():
    workers = [PlanWorker(id=1, skills=frozenset({1, 2}), capacity_tenths=100),
               PlanWorker(id=2, skills=frozenset({1}), capacity_tenths=100)]
    elements = [PlanElement(id=1, skills=frozenset({2}), hours_tenths=10), PlanElement(id=2, skills=frozenset({1}), hours_tenths=10)]
    plan = plan_team(workers, elements, time_limit=5)
    assert plan.primary[1] == 1 and plan.without_backup == [1]


def test_work_beyond_everyones_capacity_stays_unassigned_rather_than_overloading():
    workers = [PlanWorker(id=1, skills=frozenset(), capacity_tenths=30)]
    elements = [PlanElement(id=j, skills=frozenset(), hours_tenths=20) for j in range(3)]
    plan = plan_team(workers, elements, time_limit=5)
    assert len(plan.without_primary) == 2


def test_the_solver_keeps_a_municipality_with_one_person_and_scores_at_least_the_greedy_plan():
    workers = [PlanWorker(id=i, skills=frozenset({1}), capacity_tenths=c) for i, c in ((1, 60), (2, 60), (3, 200))]
    elements = [PlanElement(id=j, skills=frozenset({1}), hours_tenths=10 + 10 * (j % 3), group=f"muni{j // 3}") for j in range(12)]
    greedy, solved = plan_greedy(workers, elements), plan_team(workers, elements, time_limit=5)
    assert solved.score >= greedy.score
    by_group = {}
    for element in elements:
        by_group.setdefault(element.group, set()).add(solved.primary[element.id])
    assert sum(len(people) for people in by_group.values()) <= sum(
        len({greedy.primary[e.id] for e in elements if e.group == g}) for g in by_group)


def test_the_suggestion_is_applied_only_as_the_coordinator_edited_it(cast):
    elements = services.elements_from_municipalities(
        project=cast.project, by=cast.coordinator, lg_codes=["131016", "131024", "131032"], title_pattern="{municipality}",
        estimated_hours=Decimal(2), due_on=cast.project.deadline, today=cast.project.deadline.replace(day=1))
    plan = services.plan_suggest(project=cast.project, by=cast.coordinator, time_limit=3)
    assert set(plan.primary) == {e.pk for e in elements} and not plan.without_primary
    edited = {e.pk: (plan.primary[e.pk], plan.backup[e.pk]) for e in elements}
    edited[elements[0].pk] = (cast.second.pk, cast.worker.pk)  # the coordinator's change
    assert services.plan_apply(project=cast.project, by=cast.coordinator, assignments=edited) == 3
    first = WorkElement.objects.get(pk=elements[0].pk)
    assert (first.primary, first.backup, first.status) == (cast.second, cast.worker, WorkElement.Status.CLAIMED)
    cast.project.refresh_from_db()
    assert cast.project.status == "running"


def test_the_solver_staffs_what_the_greedy_plan_misses():
    workers = [PlanWorker(id=1, skills=frozenset({1, 2}), capacity_tenths=200), PlanWorker(id=2, skills=frozenset({1}), capacity_tenths=200)]
    elements = [PlanElement(id=1, skills=frozenset({1}), hours_tenths=200), PlanElement(id=2, skills=frozenset({2}), hours_tenths=200)]
    greedy, solved = plan_greedy(workers, elements), plan_team(workers, elements, time_limit=5)
    assert greedy.without_primary == [2]  # the only person with skill 2 took the other element first
    assert solved.primary == {1: 2, 2: 1} and solved.score > greedy.score


def test_nobody_stands_by_for_an_element_nobody_holds():
    workers = [PlanWorker(id=1, skills=frozenset(), capacity_tenths=10), PlanWorker(id=2, skills=frozenset(), capacity_tenths=10)]
    elements = [PlanElement(id=1, skills=frozenset(), hours_tenths=50)]  # too big for anyone's week
    for plan in (plan_greedy(workers, elements), plan_team(workers, elements, time_limit=2)):
        assert plan.primary[1] is None and plan.backup[1] is None
