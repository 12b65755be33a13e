"""The open-data page and its downloads: public, no login. The export files are built by the queue."""

import datetime
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .exports import EXTENSION_PATH, JSONL_FILENAME, PACKAGE_FILENAME, package_metadata, site_base_url
from .ocds import FIELDS

EXTENSION_DIR = Path(__file__).resolve().parent / "ocds_extension"
EXTENSION_FILES = {"extension.json": "application/json", "release-schema.json": "application/json",
                   "README.md": "text/markdown; charset=utf-8"}
DOWNLOADS = {PACKAGE_FILENAME: "application/json", JSONL_FILENAME: "application/x-ndjson"}


def _download(name: str) -> dict | None:
    path = Path(settings.OCDS_EXPORT_DIR) / name
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    built = datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC)
    return {"name": name, "size": stat.st_size, "built_at": timezone.localtime(built)}


def opendata_view(request: HttpRequest) -> HttpResponse:
    downloads = {name: _download(name) for name in DOWNLOADS}
    if not all(downloads.values()):
        from .tasks import ocds_export_files_build_task

        # The first visit after installation asks the queue for the files (the task's lock keeps it to one).
        ocds_export_files_build_task()
        downloads = {name: _download(name) for name in DOWNLOADS}
    return render(request, "opendata/index.html", {
        "package": downloads[PACKAGE_FILENAME], "jsonl": downloads[JSONL_FILENAME],
        "metadata": package_metadata(base_url=site_base_url()), "fields": FIELDS,
        "extension_url": EXTENSION_PATH, "ocid_prefix": settings.OCDS_OCID_PREFIX,
    })


def opendata_download_view(request: HttpRequest, name: str) -> FileResponse:
    if name not in DOWNLOADS:
        raise Http404
    path = Path(settings.OCDS_EXPORT_DIR) / name
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=DOWNLOADS[name])


def opendata_extension_view(request: HttpRequest, name: str) -> FileResponse:
    """The extension as OCDS tools fetch it (the packages' `extensions` point here)."""
    if name not in EXTENSION_FILES:
        raise Http404
    response = FileResponse((EXTENSION_DIR / name).open("rb"), content_type=EXTENSION_FILES[name])
    response["Access-Control-Allow-Origin"] = "*"  # validators (OCDS Data Review Tool) read it from their pages
    return response
