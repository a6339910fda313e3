"""Reading the Excel workbooks the portal sends, for the tests."""

import io

from openpyxl import load_workbook

from matching.consultations.reporting import exports


def workbook_sheet(response):
    """The workbook's only sheet, after checking the response is an Excel download."""
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment; ")
    return only_sheet(response.content)


def only_sheet(content):
    """The only sheet of a workbook's bytes (a response's, or a browser download's)."""
    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def sheet_rows(sheet):
    """[column name: cell] dicts, one per row under the header."""
    header, *rows = sheet.iter_rows()
    names = [cell.value for cell in header]
    return [dict(zip(names, row, strict=True)) for row in rows]
