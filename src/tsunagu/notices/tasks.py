"""Queue adapters: take ids, call one service."""

from huey.contrib.djhuey import db_task

from .services import import_run_process


@db_task()
def import_run_check_task(run_id: int) -> None:
    import_run_process(run_id=run_id)


@db_task()
def import_run_execute_task(run_id: int) -> None:
    import_run_process(run_id=run_id)
