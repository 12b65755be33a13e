"""Queue adapters: the download files of /opendata/ are rebuilt here, never in a web request."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from .services import ocds_export_files_build


@db_task()
@lock_task("opendata-export")
def ocds_export_files_build_task() -> dict[str, int]:
    return ocds_export_files_build()


@db_periodic_task(crontab(hour="18", minute="30"))  # UTC (huey's clock): 03:30 in Japan
@lock_task("opendata-export")
def ocds_export_files_build_nightly() -> dict[str, int]:
    return ocds_export_files_build()
