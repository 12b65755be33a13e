"""Text from the documents a call links to (PDF, XLSX), so a candidate can be pre-filled from them too. Reading
only: nothing in a fetched file is ever executed (no macros, no scripts)."""

import io
import logging

from openpyxl import load_workbook
from pypdf import PdfReader

from tsunagu.core.spreadsheets import text_of

logger = logging.getLogger(__name__)
MAX_PAGES = 30
MAX_CELLS = 20_000


def document_kind(url: str, content_type: str = "") -> str | None:
    lowered = url.lower().split("?")[0]
    if lowered.endswith(".pdf") or "application/pdf" in content_type:
        return "pdf"
    if lowered.endswith(".xlsx") or "spreadsheetml" in content_type:
        return "xlsx"
    return None


def document_text(body: bytes, kind: str) -> str:
    """The document's text; an unreadable file gives "" (the candidate keeps what the page said)."""
    try:
        if kind == "pdf":
            reader = PdfReader(io.BytesIO(body))
            return "\n".join((page.extract_text() or "") for page in reader.pages[:MAX_PAGES])
        if kind == "xlsx":
            book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)  # values only: formulas never run
            lines, cells = [], 0
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    values = [text_of(v) for v in row if v is not None]
                    cells += len(values)
                    if values:
                        lines.append(" ".join(values))
                    if cells > MAX_CELLS:
                        return "\n".join(lines)
            return "\n".join(lines)
    except Exception:  # a broken or hostile file is skipped, never fatal
        logger.warning("could not read a %s document", kind, exc_info=True)
    return ""
