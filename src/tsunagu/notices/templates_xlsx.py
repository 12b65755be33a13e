"""The downloadable import templates: XLSX with the headers, drop-downs and a sheet explaining each column."""

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .imports.columns import AWARD_COLUMNS, NOTICE_COLUMNS, Column

TEMPLATE_ROWS = 5000
TEMPLATES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "notices": ("公募情報", NOTICE_COLUMNS),
    "awards": ("落札結果", AWARD_COLUMNS),
}


def import_template_workbook(kind: str) -> bytes:
    title, columns = TEMPLATES[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = title
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFE9A8")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        if column.help:
            cell.comment = Comment(column.help, "つなぐ")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
            validation.error = f"{column.header}は一覧から選んでください"
            validation.errorTitle = column.header
            validation.showErrorMessage = column.key != "kind"  # 公募種別 also takes aliases such as プロポーザル
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("説明")
    guide.append(["列", "必須", "書き方"])
    for column in columns:
        guide.append([column.header, "必須" if column.required else "", column.help])
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
