"""A minimal, fast .xlsx writer for test workbooks: shared strings, numbers, merged cells, formulas without a saved
value (as a program writes them) — the parts of the ministry's workbooks the reader meets, at full size in seconds."""

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape


class Formula(str):
    """A cell formula written without a calculated value (``=SUM(O19:R19)``)."""


def letter(n: int) -> str:
    """Column letter of 1-based column ``n``: 1 → A, 27 → AA."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


_STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>'),
}


def write_xlsx(path: Path, sheet_name: str, rows: list[list], merged: list[str] = ()) -> Path:
    """Write ``rows`` (row 1 first; cells None, str, int, float or Formula) as the one sheet of ``path``."""
    strings: dict[str, int] = {}
    width = max(len(r) for r in rows)
    letters = [letter(i + 1) for i in range(width)]
    parts = []
    for n, cells in enumerate(rows, start=1):
        out = []
        for i, v in enumerate(cells):
            if v is None or v == "":
                continue
            ref = f"{letters[i]}{n}"
            if isinstance(v, Formula):
                out.append(f'<c r="{ref}"><f>{escape(v.lstrip("="))}</f></c>')
            elif isinstance(v, str):
                k = strings.setdefault(v, len(strings))
                out.append(f'<c r="{ref}" t="s"><v>{k}</v></c>')
            else:
                out.append(f'<c r="{ref}"><v>{v!r}</v></c>')
        if out:
            parts.append(f'<row r="{n}">{"".join(out)}</row>')
    merges = "".join(f'<mergeCell ref="{m}"/>' for m in merged)
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="A1:{letters[-1]}{len(rows)}"/><sheetData>{"".join(parts)}</sheetData>'
             + (f'<mergeCells count="{len(merged)}">{merges}</mergeCells>' if merged else "") + '</worksheet>')
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    book = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in _STATIC.items():
            z.writestr(name, text)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/sharedStrings.xml", sst)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path
