"""The report's tables as numbers, for analysts' own material: one CSV each and one Excel workbook.

Headers are Japanese with the unit in brackets — （点）, （%）, （千円）, （円） — and the workbook gives
each unit its number format. No text becomes a formula: the workbooks store text as string cells and
the CSV files prefix formula-like text with a single quote (``kofukin.model.formulas``).
"""

from pathlib import Path

import pandas as pd

from kofukin.model.compute import load_raw
from kofukin.model.config import load_config
from kofukin.model.formulas import neutralise_text, string_cells
from kofukin.model.io import BUILD_TIME, csv_bytes, write_all_atomic, zip_fixed_times
from kofukin.model.paths import INPUT_TABLES
from kofukin.model.schemas import TOTAL, check_table, read_table
from kofukin.model.vintage import caption, notice
from kofukin.report.data import Report
from kofukin.report.tables import findings_table, frame_table, map_values, penalty_table, yoy_summary
from kofukin.scenarios.compare import comparison
from kofukin.scenarios.rules import load_scenario

FORMATS = {"（千円）": "#,##0", "（円）": "#,##0.0", "（%）": "0.0", "（ポイント）": "+0.0;-0.0;0.0", "（点）": "0.0", "（人）": "#,##0"}
# What each sheet shows: its processed tables, and whether it shows the comparison year beside the report year
# (what its 合成データ note covers); sheets of published figures only have no tables.
_SCORES, _BOTH = ("prefecture_scores",), True
SHEET_SOURCES = {"都道府県別得点": (_SCORES, False), "区分別得点率": (_SCORES, False), "区分別全国平均": (_SCORES, False),
                 "評価指標": (("prefecture_item_scores",), False), "年度比較": (_SCORES, _BOTH),
                 "交付額": (("prefecture_allocation",), False), "令和7年度配分枠": (("prefecture_frame_2025",), False),
                 "指標の価値": (("prefecture_item_stakes",), False), "区分の価値": (("prefecture_category_stakes",), False),
                 "市町村分交付額": (("municipal_allocation",), False),
                 "地図の値": (("prefecture_scores", "prefecture_allocation", "inputs/municipalities"), _BOTH),
                 "得点率3割以下の市町村": (("municipal_scores",), False),
                 "全国の推移": (("prefecture_scores", "municipal_scores"), _BOTH), "資料の年度比較": ((), _BOTH),
                 "令和7年度配分枠（全国）": ((), False)}


def sheet_notes(r: Report) -> dict[str, str]:
    """The 合成データ note of every sheet that shows synthetic figures, keyed by sheet name.

    >>> notes = sheet_notes(r)
    >>> notes["交付額"], "令和7年度配分枠（全国）" in notes
    ('※ 合成データです（厚生労働省の評価結果ではありません）。', False)
    """
    notes = {}
    for sheet, (tables, both) in SHEET_SOURCES.items():
        years = (r.compare_year, r.year) if both else (r.year,)
        if text := caption(r.synthetic_years(tables, years), years):
            notes[sheet] = text
    return notes


def report_tables(r: Report, processed: Path | str) -> dict[str, pd.DataFrame]:
    """Every table of the annual report, numeric, keyed by its sheet name (at most 31 characters).

    >>> sheets = report_tables(r, processed)
    >>> list(sheets)[:3], len(sheets["都道府県別得点"])
    (['都道府県別得点', '区分別得点率', '区分別全国平均'], 47)
    >>> sheets["都道府県別得点"].iloc[0].to_dict()
    {'順位': 1, '都道府県コード': '15', '都道府県': '新潟県', '合計（点）': 675, '満点（点）': 741, '得点率（%）': 91.0931, '全国平均との差（点）': 92.787234}
    """
    processed = Path(processed)
    names = r.scores[r.scores.fiscal_year == r.year].drop_duplicates("pref_code").set_index("pref_code")["pref_name"]
    now = r.scores[r.scores.fiscal_year == r.year]
    total = now[now.category == TOTAL].sort_values(["rank", "pref_code"])
    rates = now[now.category != TOTAL].pivot(index="pref_code", columns="category", values="score_rate")
    rates = (100 * rates[[c for c in r.categories.category if c != TOTAL]]).add_suffix("（%）")
    means = now.groupby("category")["score"].mean()
    pts = r.item_scores
    item_means = pts.groupby("item")["points"].mean()
    full = pts[pts.points == pts.max_points].groupby("item").size()
    before = r.scores[(r.scores.fiscal_year == r.compare_year) & (r.scores.category == TOTAL)].set_index("pref_code")
    after = total.set_index("pref_code")
    alloc = r.allocation.set_index("pref_code")
    cat_stakes = read_table("prefecture_category_stakes", processed / "prefecture_category_stakes.csv")
    muni_alloc = read_table("municipal_allocation", processed / "municipal_allocation.csv")
    frame = frame_columns(read_table("prefecture_frame_2025", processed / "prefecture_frame_2025.csv"), r.frame)
    labels = r.items.set_index("item")["label"]
    return {
        "都道府県別得点": pd.DataFrame({
            "順位": total["rank"], "都道府県コード": total["pref_code"], "都道府県": total["pref_name"],
            "合計（点）": total["score"], "満点（点）": total["max_points"], "得点率（%）": 100 * total["score_rate"],
            "全国平均との差（点）": total["distance_to_average"]}),
        "区分別得点率": pd.concat([names.rename("都道府県"), rates], axis=1).rename_axis("都道府県コード").reset_index(),
        "区分別全国平均": pd.DataFrame({
            "区分": r.categories.category, "名称": r.categories.short_label, "満点（点）": r.categories.max_points,
            "全国平均・公表（点）": r.categories.national_average, "全国平均・算出（点）": r.categories.category.map(means),
            "得点率・公表（%）": r.categories.score_rate_pct,
            "得点率・算出（%）": 100 * r.categories.category.map(means) / r.categories.max_points}),
        "評価指標": pd.DataFrame({
            "区分": r.items.category, "項目": r.items["item"], "評価指標": r.items.label, "配点（点）": r.items.max_points,
            "全国平均・公表（点）": r.items.national_average, "全国平均・算出（点）": r.items["item"].map(item_means),
            "満点の都道府県数": r.items["item"].map(full).fillna(0).astype(int)}),
        "年度比較": pd.DataFrame({
            "都道府県コード": after.index, "都道府県": after["pref_name"],
            f"{r.compare_year}年度 合計（点）": before["score"].reindex(after.index),
            f"{r.compare_year}年度 得点率（%）": 100 * before["score_rate"].reindex(after.index),
            f"{r.compare_year}年度 順位": before["rank"].reindex(after.index),
            f"{r.year}年度 合計（点）": after["score"], f"{r.year}年度 得点率（%）": 100 * after["score_rate"],
            f"{r.year}年度 順位": after["rank"], "順位の変化": before["rank"].reindex(after.index) - after["rank"]}),
        "交付額": pd.DataFrame({
            "都道府県コード": alloc.index, "都道府県": names.reindex(alloc.index), "合計（点）": alloc["score"],
            "得点による配分額（千円）": alloc["share_thousand_yen"], "所要見込額（千円）": alloc["cap_thousand_yen"],
            "交付額（千円）": alloc["amount_thousand_yen"], "所要見込額で上限": alloc["capped"].map({True: "○", False: ""})}),
        "令和7年度配分枠": pd.concat([names.rename("都道府県"), frame], axis=1).rename_axis("都道府県コード").reset_index(),
        "指標の価値": pd.DataFrame({
            "都道府県コード": r.stakes.pref_code, "都道府県": r.stakes.pref_code.map(names), "項目": r.stakes["item"],
            "評価指標": r.stakes["item"].map(labels), "得点（点）": r.stakes.points, "配点（点）": r.stakes.max_points,
            "未獲得（点）": r.stakes.points_at_stake, "交付額の増加（千円）": r.stakes.amount_change_thousand_yen}),
        "区分の価値": pd.DataFrame({
            "都道府県コード": cat_stakes.pref_code, "都道府県": cat_stakes.pref_code.map(names), "区分": cat_stakes.category,
            "得点（点）": cat_stakes.score, "全国平均（点）": cat_stakes.national_average,
            "全国平均までの得点（点）": cat_stakes.points_to_average, "交付額の増加（千円）": cat_stakes.amount_change_thousand_yen}),
        "市町村分交付額": pd.DataFrame({
            "市町村コード": muni_alloc.muni_code, "都道府県コード": muni_alloc.pref_code,
            "市町村": muni_alloc.muni_code.map(r.municipalities_of(r.year).set_index("muni_code")["muni_name"]),
            "合計（点）": muni_alloc.score, "第1号被保険者数（人）": muni_alloc.first_insured,
            "交付額（千円）": muni_alloc.amount_thousand_yen}),
        "地図の値": map_values(r),
        "得点率3割以下の市町村": numeric(penalty_table(r, r.year)),
        "全国の推移": numeric(yoy_summary(r)),
        "資料の年度比較": numeric(findings_table(r)),
        "令和7年度配分枠（全国）": numeric(frame_table(r)),
    }


def frame_columns(split: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame's prefectural split, one column per grant and pot labelled as the frame labels them (千円),
    in the frame's order.

    >>> split = read_table("prefecture_frame_2025", processed / "prefecture_frame_2025.csv")
    >>> list(frame_columns(split, r.frame).columns)[:2]
    ['保険者機能強化推進交付金・基本配分枠（千円）', '保険者機能強化推進交付金・追加配分枠（千円）']
    """
    labels = frame[frame.level == "prefecture"].set_index(["grant", "pot"])
    labels = labels["grant_label"] + "・" + labels["pot_label"] + "（千円）"
    split = split.assign(col=pd.MultiIndex.from_frame(split[["grant", "pot"]]).map(labels))
    return split.pivot(index="pref_code", columns="col", values="amount_thousand_yen")[list(labels)]


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


def workbook_bytes(tables: dict[str, pd.DataFrame], *, notice: str, title: str, notes_by_sheet: dict[str, str] | None = None) -> bytes:
    """One .xlsx: a sheet per table (bold frozen header, fitted widths, unit formats) and a notes sheet with
    the 合成データ ``notice`` ("" when nothing is synthetic) and each sheet's note, which that sheet also
    prints in its page header; the same tables give the same bytes (fixed document dates and zip member times).

    >>> data = workbook_bytes({"表": pd.DataFrame({"交付額（千円）": [1200]})}, notice="合成データです。", title="例", notes_by_sheet={"表": "※ 合成データです。"})
    >>> data[:2], data == workbook_bytes({"表": pd.DataFrame({"交付額（千円）": [1200]})}, notice="合成データです。", title="例", notes_by_sheet={"表": "※ 合成データです。"})
    (b'PK', True)
    """
    import io
    import zipfile
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    notes = wb.active
    notes.title = "注記"
    notes.append([title])
    notes["A1"].font = Font(bold=True, size=12)
    notes_by_sheet = {name: text for name, text in (notes_by_sheet or {}).items() if text}
    notes.append(["合成データ：" + notice if notice else "実データから作成"])
    notes.append(["単位は見出しの括弧内（点・%・千円・円）。各シートは reports/tables/ の同名CSVと同じ内容です。"])
    for name, text in notes_by_sheet.items():
        notes.append([f"シート「{name}」：{text}"])
    notes.column_dimensions["A"].width = 120
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
            widest = max([_width(header)] + [_width(v) for v in df.iloc[:, j - 1]])
            ws.column_dimensions[letter].width = min(60, widest + 2)
        ws.freeze_panes = "A2"
        string_cells(ws)
        if name in notes_by_sheet:
            ws.oddHeader.center.text = notes_by_sheet[name]      # printed on every page of the sheet
    wb.properties.created = wb.properties.modified = datetime(*BUILD_TIME)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()          # not wb.save(), which stamps the current time as 'modified'
    return zip_fixed_times(buf.getvalue())


def _cell(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _width(value) -> int:
    """Display width: East Asian characters count twice."""
    text = "" if _cell(value) is None else (f"{value:,.1f}" if isinstance(value, float) else str(value))
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _write_tables(tables: dict[str, pd.DataFrame], csv_dir: Path | str, workbook: Path | str, **notes) -> None:
    """Each table as ``csv_dir/<sheet>.csv`` and all of them in ``workbook``, written together."""
    files = {Path(csv_dir) / f"{name}.csv": csv_bytes(neutralise_text(df)) for name, df in tables.items()}
    files[Path(workbook)] = workbook_bytes(tables, **notes)
    write_all_atomic(files)


def build_report_tables(processed: str, raw: str, config: str, csv_dir: str, workbook: str) -> None:
    """The annual report's tables (doit task ``tables``).

    >>> build_report_tables(str(processed), "data/raw", "config/kofukin.yaml", str(tmp / "tables"), str(tmp / "k.xlsx"))
    >>> len(list((tmp / "tables").glob("*.csv"))), int(pd.read_csv(tmp / "tables" / "交付額.csv")["交付額（千円）"].sum())
    (15, 984709)
    """
    from kofukin.report.data import load

    r = load(processed, raw, config)
    _write_tables(report_tables(r, processed), csv_dir, workbook, notice=notice(r.synthetic_years(list(r.vintage["synthetic"])), (r.compare_year, r.year)),
                 title=f"kofukin 年次レポート {r.year}年度（{r.compare_year}年度との比較）の表", notes_by_sheet=sheet_notes(r))


def build_comparison(scenario_path: str, config: str, raw: str, inputs_dir: str, out_csv: str, out_xlsx: str) -> None:
    """The comparison table of one scenario as CSV and a one-sheet workbook (doit task ``scenario_table``).

    >>> build_comparison("scenarios/weight_first_insured.yaml", "config/kofukin.yaml", "data/raw", str(processed / "inputs"), str(tmp / "w.csv"), str(tmp / "w.xlsx"))
    >>> c = pd.read_csv(tmp / "w.csv")
    >>> c.shape, int(c["baseline_thousand_yen"].sum()), int(c["scenario_thousand_yen"].sum())
    ((47, 9), 984709, 696855)
    """
    cfg = load_config(config)
    s = load_scenario(scenario_path, cfg)
    inputs = {n: read_table(n, Path(inputs_dir) / f"{n}.csv") for n in INPUT_TABLES}
    table = check_table("scenario_comparison", comparison(s, cfg, load_raw(cfg, Path(raw)), inputs), out_csv)
    synthetic = [cfg["report_year"]] if table.synthetic.any() else []
    write_all_atomic({Path(out_csv): csv_bytes(neutralise_text(table)),
                      Path(out_xlsx): workbook_bytes({"比較": _japanese(table)}, notice=notice(synthetic, [cfg["report_year"]]),
                                                     title=f"シナリオ：{s.label}", notes_by_sheet={"比較": caption(synthetic, [cfg["report_year"]])})})


def _japanese(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison with Japanese headers and units (for pages and the workbook)."""
    return pd.DataFrame({"都道府県コード": table.pref_code, "都道府県": table.pref_name,
                         "基準の交付額（千円）": table.baseline_thousand_yen, "シナリオの交付額（千円）": table.scenario_thousand_yen,
                         "差（千円）": table.difference_thousand_yen, "差（%）": table.difference_pct})

