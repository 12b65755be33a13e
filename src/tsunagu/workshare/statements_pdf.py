"""A worker's monthly statement as a PDF (Japanese text with the CID font every PDF reader has: no font files)."""

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .selectors import Statement

FONT = "HeiseiKakuGo-W5"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def statement_pdf(*, project_title: str, organisation: str, statements: list[Statement]) -> bytes:
    out = io.BytesIO()
    title = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22)
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15)
    story = []
    for number, statement in enumerate(statements):
        if number:
            story.append(Spacer(1, 12 * mm))
        story += [Paragraph(f"支払明細 {statement.month}", title), Spacer(1, 3 * mm),
                  Paragraph(f"{statement.worker} 様", body), Paragraph(f"{project_title}（{organisation}）", body),
                  Spacer(1, 5 * mm)]
        rows = [["内訳", "数量", "単価（円）", "金額（円）"]]
        rows += [[line.label, str(line.quantity), f"{line.unit_yen:,}", f"{line.amount_yen:,}"] for line in statement.lines]
        rows.append(["合計", "", "", f"{statement.total_yen:,}"])
        table = Table(rows, colWidths=[80 * mm, 25 * mm, 30 * mm, 35 * mm])
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), FONT, 10), ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1f3f6")), ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey),
        ]))
        story.append(table)
    doc = SimpleDocTemplate(out, pagesize=A4, title=f"支払明細 {project_title}", leftMargin=20 * mm, rightMargin=20 * mm)
    doc.build(story)
    return out.getvalue()
