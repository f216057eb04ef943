"""Blank result templates (`kofukin template`): one CSV and one .xlsx per level and year."""

from dataclasses import replace
from pathlib import Path

import pandas as pd

from kofukin.model import paths
from kofukin.intake.read import LAYOUTS, LEVEL_LABELS, Column
from kofukin.model.formulas import neutralise_text, string_cells
from kofukin.model.io import write_all_atomic
from kofukin.model.schemas import GRANT_NAMES
from kofukin.intake.validate import DERIVED_INPUTS, Reference


def template_columns(level: str, year: int, ref: Reference) -> list[Column]:
    """The template's columns: 交付金 only for a year that scores two grants, and required there.

    >>> [c.header for c in template_columns("municipal_categories", 2019, Reference())]
    ['年度', '都道府県コード', '市町村コード', '市町村名', 'I', 'II', 'III', '合計']
    >>> [(c.header, c.required) for c in template_columns("municipal_categories", 2023, Reference())][4]
    ('交付金', True)
    """
    two = len(ref.grants(year)) > 1
    return [replace(c, required=True) if c.kind == "grant" else c for c in LAYOUTS[level] if c.kind != "grant" or two]


def _template_rows(columns: list[Column], level: str, year: int, ref: Reference) -> pd.DataFrame:
    """The template's rows: entity and item columns filled in, result columns blank."""
    headers = [c.header for c in columns]
    prefs = list(ref.pref_names.items())
    if level == "prefecture_items":
        items = ref.items(year)
        if items is None:
            raise ValueError(f"no prefectural catalogue for {year} in the configuration")
        items = items[~items.input.isin(DERIVED_INPUTS)]
        rows = [(year, code, name, i.item, i.label, i.max_points, None, None)
                for code, name in prefs for i in items.itertuples(index=False)]
    elif level in ("prefecture_totals", "requests"):
        grants = [GRANT_NAMES[g][0] for g in ref.grants(year)] if len(ref.grants(year)) > 1 else [None]
        rows = [(year, code, name, *([g] if g else []), None) for code, name in prefs for g in grants]
    else:
        rows = []                      # municipalities: the analyst's own list
    return pd.DataFrame(rows, columns=headers)


def write_templates(level: str, year: int, out: Path, config: Path = paths.CONFIG, raw: Path = paths.RAW) -> list[Path]:
    """Write ``<level>_<year>.csv`` (UTF-8 with BOM, as Excel opens it) and ``.xlsx`` into ``out``, never over
    a file already there (a filled-in form is not replaced by a blank one).

    >>> [p.name for p in write_templates("prefecture_totals", 2018, tmp)]
    ['prefecture_totals_2018.csv', 'prefecture_totals_2018.xlsx']
    """
    if level not in LAYOUTS:
        raise ValueError(f"unknown level {level!r}; one of {', '.join(LAYOUTS)}")
    ref = Reference(config, raw)
    if year not in ref.cfg["years"]:
        raise ValueError(f"fiscal year {year} is not in the configuration ({', '.join(map(str, ref.years()))})")
    columns = template_columns(level, year, ref)
    rows = _template_rows(columns, level, year, ref)
    out = Path(out)
    csv_path, xlsx_path = out / f"{level}_{year}.csv", out / f"{level}_{year}.xlsx"
    if there := [p.name for p in (csv_path, xlsx_path) if p.exists()]:
        raise ValueError(f"{' and '.join(there)} in {out} already: a template never replaces a file (choose another --out)")
    write_all_atomic({csv_path: neutralise_text(rows).to_csv(index=False, lineterminator="\n").encode("utf-8-sig"),
                      xlsx_path: _workbook(columns, level, year, rows, _grant_notes(level, year, ref))})  # both or neither
    return [csv_path, xlsx_path]


def _grant_notes(level: str, year: int, ref: Reference) -> list[str]:
    """Lines of the 説明 sheet on the grants: why a prefecture_items file of a two-grant year has no 交付金.

    >>> _grant_notes("prefecture_items", 2019, Reference()), _grant_notes("requests", 2023, Reference())
    ([], [])
    """
    if level != "prefecture_items" or len(ref.grants(year)) < 2:
        return []
    items = ref.items(year)
    both = [i for i, gs, how in zip(items["item"], items["grants"], items["input"]) if len(gs) > 1 and how not in DERIVED_INPUTS]
    return ["交付金の列はありません。項目ごとに結果は1行で、カタログ（grants 列）がその項目を数える交付金を定めます"
            + (f"（両方の交付金に数える項目: {'、'.join(both)}）。" if both else "。")]


def _workbook(columns: list[Column], level: str, year: int, rows: pd.DataFrame, notes_on_grants: list[str]) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "入力"
    ws.append([f"kofukin 入力テンプレート：{LEVEL_LABELS[level]}（{year}年度）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows.columns))
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([])
    ws.append(list(rows.columns))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6EE")
    for row in rows.itertuples(index=False):
        ws.append([None if pd.isna(v) else v for v in row])
    for col in ws.iter_cols(min_row=3, max_row=3):
        ws.column_dimensions[col[0].column_letter].width = max(10, 2.2 * len(str(col[0].value)))
    ws.freeze_panes = "A4"
    notes = wb.create_sheet("説明")
    notes.append(["列", "必須", "説明"])
    for c in columns:
        notes.append([c.header, "必須" if c.required else "任意", c.note])
    notes.append([])
    notes.append(["空欄は「欠測」で、0 ではありません。0 点なら 0 と書いてください。"])
    for line in notes_on_grants:
        notes.append([line])
    string_cells(ws)
    string_cells(notes)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
