"""Streaming OCDS writers: JSON Lines (one release per line) and a release package, written release by
release from a chunked query, so memory stays flat however many notices there are."""

import datetime
import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from tsunagu.core.notify import site_url

from .ocds import notice_release
from .selectors import EVERYTHING, ExportFilters, notices_for_ocds

CHUNK = 2000
OCDS_VERSION = "1.1"
EXTENSION_PATH = "/opendata/extension/extension.json"
PACKAGE_FILENAME = "tsunagu-ocds-package.json"
JSONL_FILENAME = "tsunagu-ocds-releases.jsonl"


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def package_metadata(*, base_url: str, published_at: datetime.datetime | None = None) -> dict[str, Any]:
    """Everything of a release package but its releases."""
    published_at = published_at or timezone.now()
    return {
        "uri": f"{base_url}/opendata/download/{PACKAGE_FILENAME}",
        "version": OCDS_VERSION,
        "extensions": [f"{base_url}{EXTENSION_PATH}"],
        "publishedDate": published_at.replace(microsecond=0).isoformat(),
        "publisher": {"name": settings.OCDS_PUBLISHER_NAME, "uri": f"{base_url}/"},
        "license": settings.OCDS_LICENSE_URL,
        "publicationPolicy": f"{base_url}/opendata/",
    }


def releases(filters: ExportFilters = EVERYTHING):
    for notice in notices_for_ocds(filters).iterator(chunk_size=CHUNK):
        yield notice_release(notice)


def write_jsonl(out: IO[str], filters: ExportFilters = EVERYTHING) -> int:
    count = 0
    for release in releases(filters):
        out.write(_dumps(release))
        out.write("\n")
        count += 1
    return count


def write_package(out: IO[str], filters: ExportFilters = EVERYTHING, *, base_url: str | None = None,
                  published_at: datetime.datetime | None = None) -> int:
    """A release package, its `releases` array written one release at a time."""
    head = _dumps(package_metadata(base_url=base_url or site_url(), published_at=published_at))
    out.write(head[:-1] + ',"releases":[')
    count = 0
    for release in releases(filters):
        out.write(",\n" if count else "\n")
        out.write(_dumps(release))
        count += 1
    out.write("\n]}\n")
    return count


def export_to_path(path: Path, *, fmt: str, filters: ExportFilters = EVERYTHING, base_url: str | None = None) -> int:
    """Write the export to `path` through a temporary file beside it, renamed into place at the end, so a
    reader never sees half a file and a failed export leaves the previous file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            count = write_jsonl(out, filters) if fmt == "jsonl" else write_package(out, filters, base_url=base_url)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
