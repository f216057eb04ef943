"""The report's tables as numbers, for analysts' own material: one CSV each and one Excel workbook.

Headers are Japanese with the unit in brackets — （点）, （%）, （千円）, （円） — and the workbook gives
each unit its number format. No text becomes a formula: the workbooks store text as string cells and
the CSV files prefix formula-like text with a single quote (``kofukin.model.formulas``). What the annual
report's sheets hold is ``kofukin.make.tables``; this module writes any set of tables.

Every CSV is UTF-8 with a byte-order mark (``excel_csv``): Excel on Windows reads one without it as Shift_JIS.
A sheet showing synthetic figures ends in a データの種類 column saying 合成データ on each row (``mark_synthetic``;
with the real requests beside them, that they are real), so a row copied out of it still says so.
"""

import codecs
from pathlib import Path

import pandas as pd

from kofukin.model.formulas import neutralise_text, string_cells
from kofukin.model.io import BUILD_TIME, csv_bytes, write_all_atomic, zip_fixed_times
from kofukin.model.schemas import GRANT_NAMES
from kofukin.report.units import KIND_COLUMN, SYNTHETIC
from kofukin.model.vintage import REAL_INPUTS

FORMATS = {"（千円）": "#,##0", "（円）": "#,##0.0", "（%）": "0.0", "（ポイント）": "+0.0;-0.0;0.0", "（点）": "0.0", "（人）": "#,##0"}
GRANT_LEGEND = "交付金：" + "、".join(f"{short}＝{full}" for short, full in GRANT_NAMES.values()) + "。"


def numeric(display: pd.DataFrame) -> pd.DataFrame:
    """A display table with its figures as numbers again: "1,234" → 1234, "87.4%" → 87.4 under a （%）
    header, "—" → blank.

    >>> numeric(pd.DataFrame({"得点率": ["87.4%", "—"], "交付額（千円）": ["1,234", "5"]})).to_dict("list")
    {'得点率（%）': [87.4, nan], '交付額（千円）': [1234, 5]}
    """
    out = {}
    for col, values in display.items():
        text = values.astype(str).str.replace(",", "").str.replace("−", "-").str.strip()
        blank = text.isin(["—", "", "nan", "<NA>"])
        pct = text.str.endswith("%")
        number = pd.to_numeric(text.str.rstrip("%"), errors="coerce")
        if not pd.api.types.is_numeric_dtype(values) and (number.notna() | blank).all() and not blank.all():
            out[f"{col}（%）" if pct.any() and not str(col).endswith("）") else col] = number.where(~blank)
        else:
            out[col] = values
    return pd.DataFrame(out)


def number_format(header: str) -> str | None:
    """The Excel number format a header's unit asks for.

    >>> number_format("交付額（千円）"), number_format("都道府県")
    ('#,##0', None)
    """
    return next((f for unit, f in FORMATS.items() if header.endswith(unit)), None)


def workbook_bytes(tables: dict[str, pd.DataFrame], *, notice: str, title: str, notes_by_sheet: dict[str, str] | None = None,
                   legend: str = "", csv: str = "各シートは reports/tables/ の同名CSVと同じ内容です。") -> bytes:
    """One .xlsx: a sheet per table (bold frozen header, fitted widths, unit formats) and a notes sheet with
    the 合成データ ``notice`` ("" when nothing is synthetic), the units and where the same figures are as ``csv``, a
    ``legend`` if given (the grants' short names, a scenario's unpaid budget) and each sheet's note, which that sheet also prints in its page header; the same tables give the same
    bytes (fixed document dates and zip member times).

    >>> data = workbook_bytes({"表": pd.DataFrame({"交付額（千円）": [1200]})}, notice="合成データです。", title="例", notes_by_sheet={"表": "※ 合成データです。"})
    >>> data[:2], data == workbook_bytes({"表": pd.DataFrame({"交付額（千円）": [1200]})}, notice="合成データです。", title="例", notes_by_sheet={"表": "※ 合成データです。"})
    (b'PK', True)
    """
    import io
    import zipfile
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    notes = wb.active
    notes.title = "注記"
    notes.append([title])
    notes["A1"].font = Font(bold=True, size=12)
    notes_by_sheet = {name: text for name, text in (notes_by_sheet or {}).items() if text}
    notes.append(["合成データ：" + notice.replace("このページの", "このブックの") if notice else "実データから作成"])
    notes.append(["単位は見出しの括弧内（点・%・千円・円）。" + csv])
    if legend:
        notes.append([legend])
    for name, text in notes_by_sheet.items():
        notes.append([f"シート「{name}」：{text}"])
    notes.column_dimensions["A"].width = 70
    for (cell,) in notes.iter_rows(min_row=2, max_col=1):       # long notes wrap, on screen and printed
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        notes.row_dimensions[cell.row].height = 18 * -(-_width(cell.value) // 66)     # not every reader fits rows to text
    _print_setup(notes, landscape=False)
    string_cells(notes)
    for name, df in tables.items():
        ws = wb.create_sheet(name)
        ws.append(list(df.columns))
        for row in df.itertuples(index=False):
            ws.append([_cell(v) for v in row])
        for j, header in enumerate(df.columns, start=1):
            ws.cell(1, j).font = Font(bold=True)
            fmt = number_format(str(header))
            letter = ws.cell(1, j).column_letter
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = fmt
            widest = max([_width(header)] + [_width(v) for v in df.iloc[:, j - 1].unique()])
            ws.column_dimensions[letter].width = min(60, widest + 2)
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"           # the header on every printed page
        _print_setup(ws, landscape=len(df.columns) > 5)
        string_cells(ws)
        if name in notes_by_sheet:
            if len(notes_by_sheet[name]) > 255:       # Excel's limit for a header: it would repair the file on opening
                raise ValueError(f"sheet {name!r}: its note is {len(notes_by_sheet[name])} characters, more than a header's 255")
            ws.oddHeader.center.text = notes_by_sheet[name]      # printed on every page of the sheet
    wb.properties.created = wb.properties.modified = datetime(*BUILD_TIME)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()          # not wb.save(), which stamps the current time as 'modified'
    return zip_fixed_times(buf.getvalue())


def _print_setup(ws, landscape: bool) -> None:
    """Printed on A4, as wide as one page (as many pages long as it takes), landscape for wide tables."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _cell(value):
    """A cell's value: blank for missing, Python numbers, floats to the six decimals the CSV writes (no float noise).

    >>> _cell(100 * 0.898785), _cell(pd.NA), _cell(pd.Series([3]).iloc[0])
    (89.8785, None, 3)
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    value = value.item() if hasattr(value, "item") else value
    return round(value, 6) if isinstance(value, float) else value


def _width(value) -> int:
    """Display width: East Asian characters count twice."""
    text = "" if _cell(value) is None else (f"{value:,.1f}" if isinstance(value, float) else str(value))
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def excel_csv(df: pd.DataFrame) -> bytes:
    """A report CSV: ``csv_bytes`` of the table with formula-like text neutralised, after a UTF-8 byte-order mark
    (Excel then reads it as UTF-8; pandas and LibreOffice skip the mark).

    >>> excel_csv(pd.DataFrame({"市町村": ["甲町"]})).decode("utf-8-sig")
    '市町村\\n甲町\\n'
    """
    return codecs.BOM_UTF8 + csv_bytes(neutralise_text(df))


def mark_synthetic(table: pd.DataFrame, synthetic_years: list[int], real_inputs: bool = False) -> pd.DataFrame:
    """``table`` with a last column saying 合成データ on every row where it shows ``synthetic_years`` (and that its
    所要見込額 are the real ones, with ``real_inputs``); as it is where it shows none.

    >>> mark_synthetic(pd.DataFrame({"x": [1]}), [2019]).to_dict("list"), list(mark_synthetic(pd.DataFrame({"x": [1]}), []))
    ({'x': [1], 'データの種類': ['合成データ']}, ['x'])
    >>> mark_synthetic(pd.DataFrame({"x": [1]}), [2019], real_inputs=True)[KIND_COLUMN].iloc[0]
    '合成データ（所要見込額は実際の値）'
    """
    return table.assign(**{KIND_COLUMN: SYNTHETIC + (f"（{'・'.join(REAL_INPUTS.values())}は実際の値）" if real_inputs else "")}) if synthetic_years else table


WRITTEN = ".written"      # in csv_dir: the CSVs the last build wrote there, one name a line


def write_tables(tables: dict[str, pd.DataFrame], csv_dir: Path | str, workbook: Path | str, **notes) -> None:
    """Each table as ``csv_dir/<sheet>.csv`` and all of them in ``workbook``, written together; a CSV the last
    build wrote (``WRITTEN``) of a sheet no longer in the workbook (renamed with the configuration: 得点率3割 →
    35%) is removed, any other file left alone."""
    csv_dir = Path(csv_dir)
    files = {csv_dir / f"{name}.csv": excel_csv(df) for name, df in tables.items()}
    written = csv_dir / WRITTEN
    before = set(written.read_text(encoding="utf-8").splitlines()) if written.exists() else set()
    files[written] = "".join(f"{path.name}\n" for path in files).encode("utf-8")
    files[Path(workbook)] = workbook_bytes(tables, **notes)
    write_all_atomic(files)
    for stale in before - {path.name for path in files}:
        (csv_dir / stale).unlink(missing_ok=True)
