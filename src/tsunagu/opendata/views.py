"""The open-data page and its downloads: public, no login. The export files are built by the queue."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.core.notify import site_url

from .exports import JSONL_FILENAME, PACKAGE_FILENAME, package_metadata
from .ocds import FIELDS
from .services import ocds_export_files_ensure

EXTENSION_DIR = Path(__file__).resolve().parent / "ocds_extension"
EXTENSION_FILES = {"extension.json": "application/json", "release-schema.json": "application/json",
                   "README.md": "text/markdown; charset=utf-8"}
DOWNLOADS = {PACKAGE_FILENAME: "application/json", JSONL_FILENAME: "application/x-ndjson"}


def opendata_view(request: HttpRequest) -> HttpResponse:
    downloads = ocds_export_files_ensure(names=list(DOWNLOADS))
    return render(request, "opendata/index.html", {
        "package": downloads[PACKAGE_FILENAME], "jsonl": downloads[JSONL_FILENAME],
        "metadata": package_metadata(base_url=site_url()), "fields": FIELDS,
        "ocid_prefix": settings.OCDS_OCID_PREFIX,
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
