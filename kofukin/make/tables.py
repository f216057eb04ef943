"""The annual report's tables as numbers (doit task ``tables``): what each sheet of reports/kofukin_<report year>.xlsx and each
CSV of reports/tables/ holds, from the pages' data — the sheets are ``kofukin.make.sheets.table_sheets``, the
writing ``kofukin.report.exports``. In a report year scoring two grants each prefectural and municipal sheet holds
both, one after the other, with a 交付金 column (推進/支援) first.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kofukin.model.config import load_config, two_grant_year, year_grants
from kofukin.model.schemas import GRANT_NAMES, TOTAL, of_grant, read_table
from kofukin.model.vintage import REAL_INPUTS, caption, notice
from kofukin.make.sheets import Sheet, table_sheets
from kofukin.pages import municipal_frame, municipal_years
from kofukin.pages.allocation import frame_table
from kofukin.pages.municipal import penalty_table
from kofukin.pages.national import map_values
from kofukin.pages.yoy import findings_table, yoy_summary
from kofukin.report.data import Report, load
from kofukin.report.exports import GRANT_LEGEND, write_tables, mark_synthetic, numeric


GRANT_COLUMN = "交付金"


NO_ROWS = "このシートにはありません"


# Sheets comparing two years (their Sheet.years): what they lack of a grant the earlier year did not score, as
# their note says; those lacking its rows (NO_ROWS) hold only the grants both years score.
UNCOMPARED = {"yoy": NO_ROWS, "trend": NO_ROWS, "map_values": "得点率の変化は空欄です",
              "municipal_years_categories": "{later}年度だけを示します",
              "municipal_years_prefectures": "{later}年度だけを示します（変化の列はありません）"}


SPLIT = ("{year}年度の市町村の得点による試算です（基本配分枠は得点×第1号被保険者数、追加配分枠・成果指向型配分枠の対象は"
         "設定の規則による想定: docs/assumptions.md）。")


FROM_SCORES = {"municipal_frame_pots": SPLIT, "municipal_frame": SPLIT + "空欄はその交付金にない配分枠です。"}   # the frame's split


@dataclass
class Sources:
    """What the sheets are built from: the configuration, the report year's Report of each grant it scores, the
    built tables (and, for the two-grant sheets, the 市町村分 frame split and the municipal years).

    >>> s = Sources.load(processed, "data/raw", "config/kofukin.yaml")
    >>> list(s.reports), len(s.sheets), s.frame_split.year
    (['promotion'], 19, 2023)
    """

    cfg: dict
    reports: dict[str, Report]            # each grant of the report year → its Report (years.<year>.grants)
    processed: Path
    raw: Path
    config: Path
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, processed: Path | str, raw: Path | str, config: Path | str) -> "Sources":
        """The sources of a built project."""
        cfg = load_config(config)
        grants = year_grants(cfg, cfg["report_year"])
        return cls(cfg, {g: load(processed, raw, config, grant=g) for g in grants}, Path(processed), Path(raw), Path(config))

    @property
    def first(self) -> Report:
        """The Report of the report year's first grant (what is not per grant: published figures, the frame)."""
        return next(iter(self.reports.values()))

    @property
    def sheets(self) -> list[Sheet]:
        """The workbook's sheets (``table_sheets``)."""
        return table_sheets(self.cfg)

    @property
    def frame_split(self) -> municipal_frame.FrameSplit:
        """The frame's 市町村分 split by the latest two-grant year's scores."""
        if "frame_split" not in self._cache:
            self._cache["frame_split"] = municipal_frame.read(self.processed, self.raw, self.config)
        return self._cache["frame_split"]

    def years_compared(self, before: int, after: int) -> municipal_years.MunicipalYears:
        """The municipal scores of two years (the municipal 年度比較)."""
        if (before, after) not in self._cache:
            self._cache[(before, after)] = municipal_years.read(before, after, self.processed, self.raw)
        return self._cache[(before, after)]

    def missing(self, sheet: Sheet) -> list[str]:
        """The grants of the later of the years a sheet compares that the earlier did not score.

        >>> s = Sources.load(processed, "data/raw", "config/kofukin.yaml")
        >>> [s.missing(sheet) for sheet in s.sheets if sheet.key in ("yoy", "municipal_years_prefectures")]
        [[], ['support']]
        """
        earlier, later = year_grants(self.cfg, sheet.years[0]), year_grants(self.cfg, sheet.years[-1])
        return [g for g in later if g not in earlier]

    def by_grant(self, table: Callable[[Report, Path], pd.DataFrame], compared: bool = False) -> pd.DataFrame:
        """``table`` of the report year's grant; where the year scores two, each grant's table (with ``compared``,
        of the grants the comparison year scores too) one after the other, a 交付金 column (推進/支援) first.

        >>> s = Sources.load(processed, "data/raw", "config/kofukin.yaml")
        >>> s.by_grant(lambda r, _: pd.DataFrame({"都道府県": [r.pref_name("13")]})).to_dict("list")
        {'都道府県': ['東京都']}
        """
        if len(self.reports) == 1:
            return table(self.first, self.processed)
        before = year_grants(self.cfg, self.first.compare_year)
        parts = [table(r, self.processed).pipe(_with_grant, g) for g, r in self.reports.items() if not compared or g in before]
        return _whole_numbers(pd.concat(parts, ignore_index=True)) if parts else pd.DataFrame(columns=[GRANT_COLUMN])


def _with_grant(table: pd.DataFrame, grant: str) -> pd.DataFrame:
    """``table`` with a first column naming its grant (推進/支援).

    >>> _with_grant(pd.DataFrame({"x": [1]}), "support").to_dict("list")
    {'交付金': ['支援'], 'x': [1]}
    """
    out = table.copy()
    out.insert(0, GRANT_COLUMN, GRANT_NAMES[grant][0])
    return out


def _whole_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """Amounts (千円) and counts that became decimals beside a blank (one grant has what the other has not) as
    integers again, the blank kept.

    >>> _whole_numbers(pd.DataFrame({"額（千円）": [1200.0, None], "率（%）": [1.0, None]})).to_dict("list")
    {'額（千円）': [1200, None], '率（%）': [1.0, nan]}
    """
    out = table.copy()
    for col in out.columns:
        values = out[col]
        if str(col).endswith(("（千円）", "（人）")) and pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all():
            out[col] = values.astype("Int64")
    return out


def sheet_notes(s: Sources) -> dict[str, str]:
    """The note of every sheet that has one, keyed by sheet name: its 合成データ note, and what it lacks of a
    grant the earlier of the years it compares did not score.

    >>> notes = sheet_notes(Sources.load(processed, "data/raw", "config/kofukin.yaml"))
    >>> notes["交付額"], "令和7年度配分枠（全国）" in notes
    ('※ 合成データです（厚生労働省の評価結果ではありません）。', False)
    >>> notes["市町村分の年度比較（都道府県別）"]
    '※ 合成データです（厚生労働省の評価結果ではありません）。支援は2019年度に評価されていないため、2023年度だけを示します（変化の列はありません）。'
    """
    notes = {}
    for sheet in s.sheets:
        parts = [caption(s.first.synthetic_years(sheet.tables, sheet.years), sheet.years).removeprefix("※ ")]
        if sheet.key in FROM_SCORES:
            parts.append(FROM_SCORES[sheet.key].format(year=sheet.years[-1]))
        if (missing := s.missing(sheet)) and sheet.key in UNCOMPARED:
            what = UNCOMPARED[sheet.key].format(later=sheet.years[-1])
            parts.append(f"{'・'.join(GRANT_NAMES[g][0] for g in missing)}は{sheet.years[0]}年度に評価されていないため、{what}。")
        parts.append(real_inputs(s, sheet))
        if text := "".join(parts):
            notes[sheet.name] = "※ " + text
    return notes


def real_inputs(s: Sources, sheet: Sheet) -> str:
    """What a sheet's note adds where it shows the report year's real inputs (``REAL_INPUTS``: the requests) beside
    synthetic amounts: the Report's ``real_inputs_note``, read once when it was loaded."""
    r = s.first
    return r.real_inputs_note if set(sheet.tables) & set(REAL_INPUTS) and r.year in sheet.years else ""


def report_tables(s: Sources) -> dict[str, pd.DataFrame]:
    """Every table of the annual report, numeric, keyed by its sheet name (at most 31 characters), in the
    order of ``table_sheets``.

    >>> sheets = report_tables(Sources.load(processed, "data/raw", "config/kofukin.yaml"))
    >>> list(sheets)[:3], len(sheets["都道府県別得点"])
    (['都道府県別得点', '区分別得点率', '区分別全国平均'], 47)
    >>> sheets["都道府県別得点"].iloc[0].to_dict()
    {'順位': 1, '都道府県コード': '15', '都道府県': '新潟県', '合計（点）': 675, '満点（点）': 741, '得点率（%）': 91.0931, '全国平均との差（点）': 92.787234}
    """
    return {sheet.name: s.by_grant(GRANT_TABLES[sheet.key], UNCOMPARED.get(sheet.key) == NO_ROWS) if sheet.key in GRANT_TABLES
            else WHOLE_TABLES[sheet.key](s, sheet) for sheet in s.sheets}


def _names(r: Report) -> pd.Series:
    """The prefectures' names by code."""
    return r.scores[r.scores.fiscal_year == r.year].drop_duplicates("pref_code").set_index("pref_code")["pref_name"]


def _totals(r: Report) -> pd.DataFrame:
    """The report year's total scores, best first."""
    now = r.scores[r.scores.fiscal_year == r.year]
    return now[now.category == TOTAL].sort_values(["rank", "pref_code"])


def scores_table(r: Report, processed: Path) -> pd.DataFrame:
    """都道府県別得点: total, maximum, score rate, rank and distance to the average."""
    total = _totals(r)
    return pd.DataFrame({
        "順位": total["rank"], "都道府県コード": total["pref_code"], "都道府県": total["pref_name"],
        "合計（点）": total["score"], "満点（点）": total["max_points"], "得点率（%）": 100 * total["score_rate"],
        "全国平均との差（点）": total["distance_to_average"]})


def category_rates_table(r: Report, processed: Path) -> pd.DataFrame:
    """区分別得点率: each prefecture's score rate per category (%)."""
    now = r.scores[r.scores.fiscal_year == r.year]
    rates = now[now.category != TOTAL].pivot(index="pref_code", columns="category", values="score_rate")
    rates = (100 * rates[[c for c in r.categories.category if c != TOTAL]]).add_suffix("（%）")
    return pd.concat([_names(r).rename("都道府県"), rates], axis=1).rename_axis("都道府県コード").reset_index()


def category_means_table(r: Report, processed: Path) -> pd.DataFrame:
    """区分別全国平均: per category, the published national average and rate beside the computed ones."""
    means = r.scores[r.scores.fiscal_year == r.year].groupby("category")["score"].mean()
    return pd.DataFrame({
        "区分": r.categories.category, "名称": r.categories.short_label, "満点（点）": r.categories.max_points,
        "全国平均・公表（点）": r.categories.national_average, "全国平均・算出（点）": r.categories.category.map(means),
        "得点率・公表（%）": r.categories.score_rate_pct,
        "得点率・算出（%）": 100 * r.categories.category.map(means) / r.categories.max_points})


def items_table(r: Report, processed: Path) -> pd.DataFrame:
    """評価指標: per item, its points, the published and computed national average, prefectures at full marks."""
    pts = r.item_scores
    item_means = pts.groupby("item")["points"].mean()
    full = pts[pts.points == pts.max_points].groupby("item").size()
    return pd.DataFrame({
        "区分": r.items.category, "項目": r.items["item"], "評価指標": r.items.label, "配点（点）": r.items.max_points,
        "全国平均・公表（点）": r.items.national_average, "全国平均・算出（点）": r.items["item"].map(item_means),
        "満点の都道府県数": r.items["item"].map(full).fillna(0).astype(int)})


def yoy_table(r: Report, processed: Path) -> pd.DataFrame:
    """年度比較: each prefecture's total, score rate and rank in both years, and the change of rank."""
    before = r.scores[(r.scores.fiscal_year == r.compare_year) & (r.scores.category == TOTAL)].set_index("pref_code")
    after = _totals(r).set_index("pref_code")
    return pd.DataFrame({
        "都道府県コード": after.index, "都道府県": after["pref_name"],
        f"{r.compare_year}年度 合計（点）": before["score"].reindex(after.index),
        f"{r.compare_year}年度 得点率（%）": 100 * before["score_rate"].reindex(after.index),
        f"{r.compare_year}年度 順位": before["rank"].reindex(after.index),
        f"{r.year}年度 合計（点）": after["score"], f"{r.year}年度 得点率（%）": 100 * after["score_rate"],
        f"{r.year}年度 順位": after["rank"], "順位の変化": before["rank"].reindex(after.index) - after["rank"]})


def amounts_table(r: Report, processed: Path) -> pd.DataFrame:
    """交付額: each prefecture's share by score, request (cap) and amount paid (千円)."""
    alloc = r.allocation.set_index("pref_code")
    return pd.DataFrame({
        "都道府県コード": alloc.index, "都道府県": _names(r).reindex(alloc.index), "合計（点）": alloc["score"],
        "得点による配分額（千円）": alloc["share_thousand_yen"], "所要見込額（千円）": alloc["cap_thousand_yen"],
        "交付額（千円）": alloc["amount_thousand_yen"], "所要見込額で上限": alloc["capped"].map({True: "○", False: ""})})


def frame_split_table(r: Report, processed: Path) -> pd.DataFrame:
    """The frame's 都道府県分 split per prefecture (千円): a one-grant year's scores split every grant's pots, side
    by side; a two-grant year's are each grant's own, a column per pot of that grant."""
    split, one = read_table("prefecture_frame", processed / "prefecture_frame.csv"), len(r.grants) == 1
    frame = frame_columns(split if one else of_grant(split, r.grant), r.frame, named=one)
    return pd.concat([_names(r).rename("都道府県"), frame], axis=1).rename_axis("都道府県コード").reset_index()


def item_stakes_table(r: Report, processed: Path) -> pd.DataFrame:
    """指標の価値: per prefecture and item not achieved, the points at stake and what they are worth (千円)."""
    names, labels = _names(r), r.items.set_index("item")["label"]
    return pd.DataFrame({
        "都道府県コード": r.stakes.pref_code, "都道府県": r.stakes.pref_code.map(names), "項目": r.stakes["item"],
        "評価指標": r.stakes["item"].map(labels), "得点（点）": r.stakes.points, "配点（点）": r.stakes.max_points,
        "未獲得（点）": r.stakes.points_at_stake, "交付額の増加（千円）": r.stakes.amount_change_thousand_yen})


def category_stakes_table(r: Report, processed: Path) -> pd.DataFrame:
    """区分の価値: per prefecture and category below the national average, what reaching it is worth (千円)."""
    stakes = of_grant(read_table("prefecture_category_stakes", processed / "prefecture_category_stakes.csv"), r.grant)
    return pd.DataFrame({
        "都道府県コード": stakes.pref_code, "都道府県": stakes.pref_code.map(_names(r)), "区分": stakes.category,
        "得点（点）": stakes.score, "全国平均（点）": stakes.national_average,
        "全国平均までの得点（点）": stakes.points_to_average, "交付額の増加（千円）": stakes.amount_change_thousand_yen})


def municipal_amounts_table(r: Report, processed: Path) -> pd.DataFrame:
    """市町村分交付額: each municipality's score, first-insured persons and 市町村分 (千円)."""
    alloc = of_grant(read_table("municipal_allocation", processed / "municipal_allocation.csv"), r.grant)
    return pd.DataFrame({
        "市町村コード": alloc.muni_code, "都道府県コード": alloc.pref_code,
        "市町村": alloc.muni_code.map(r.municipalities_of(r.year).set_index("muni_code")["muni_name"]),
        "合計（点）": alloc.score, "第1号被保険者数（人）": alloc.first_insured, "交付額（千円）": alloc.amount_thousand_yen})


def municipal_frame_table(fs: municipal_frame.FrameSplit) -> pd.DataFrame:
    """Per grant and municipality: what it receives from each of the grant's 市町村分 pots and in all (千円) — 0
    from a pot it is not eligible for, blank for a pot the grant has not.

    >>> t = municipal_frame_table(fs)
    >>> len(t), list(t.columns)[5:], int(t["合計（千円）"].sum())
    (3482, ['基本配分枠（千円）', '追加配分枠（千円）', '成果指向型配分枠（千円）', '合計（千円）'], 28025000)
    """
    munis = fs.municipalities.sort_values("muni_code")
    parts = []
    for grant, pots in fs.frame[fs.frame.level == "municipal"].groupby("grant", sort=False):
        paid = fs.amounts[fs.amounts.grant == grant].pivot(index="muni_code", columns="pot", values="amount_thousand_yen")
        paid = paid.reindex(index=munis.muni_code, columns=pots.pot).fillna(0).astype(int)
        paid.columns = [f"{label}（千円）" for label in pots.pot_label]
        parts.append(pd.concat([pd.DataFrame({
            GRANT_COLUMN: GRANT_NAMES[grant][0], "市町村コード": munis.muni_code, "都道府県コード": munis.pref_code,
            "市町村": munis.muni_name, "第1号被保険者数（人）": munis.first_insured}).set_index("市町村コード", drop=False),
            paid, paid.sum(axis=1).rename("合計（千円）")], axis=1))
    out = pd.concat(parts, ignore_index=True)
    return _whole_numbers(out[[c for c in out.columns if c != "合計（千円）"] + ["合計（千円）"]])


def _with_points(table: pd.DataFrame) -> pd.DataFrame:
    """The municipal 年度比較's category table with the unit of its points in the headers (満点（点）).

    >>> list(_with_points(pd.DataFrame(columns=["2019年度 推進 満点", "2019年度 推進 全国平均（公表）"])).columns)
    ['2019年度 推進 満点（点）', '2019年度 推進 全国平均・公表（点）']
    """
    return table.rename(columns=lambda c: f"{c}（点）" if c.endswith("満点") else c.replace("全国平均（公表）", "全国平均・公表（点）"))


def _prefecture_years(my: municipal_years.MunicipalYears) -> pd.DataFrame:
    """The municipal 年度比較 per prefecture, with the prefecture's code first."""
    table = numeric(municipal_years.prefecture_table(my))
    table.insert(0, "都道府県コード", table["都道府県"].map(my.prefectures.set_index("pref_name")["pref_code"]))
    return table


GRANT_TABLES = {"scores": scores_table, "category_rates": category_rates_table, "category_means": category_means_table,
                "items": items_table, "yoy": yoy_table, "amounts": amounts_table, "frame_split": frame_split_table,
                "item_stakes": item_stakes_table, "category_stakes": category_stakes_table,
                "municipal_amounts": municipal_amounts_table, "map_values": lambda r, _: map_values(r),
                "penalty": lambda r, _: numeric(penalty_table(r, r.year)), "trend": lambda r, _: numeric(yoy_summary(r))}


WHOLE_TABLES = {"findings": lambda s, _: numeric(findings_table(s.first)), "frame": lambda s, _: numeric(frame_table(s.first)),
                "municipal_frame_pots": lambda s, _: numeric(municipal_frame.pots_table(s.frame_split)),
                "municipal_frame": lambda s, _: municipal_frame_table(s.frame_split),
                "municipal_years_categories":
                    lambda s, sheet: _with_points(numeric(municipal_years.category_table(s.years_compared(*sheet.years)))),
                "municipal_years_prefectures": lambda s, sheet: _prefecture_years(s.years_compared(*sheet.years))}


def frame_columns(split: pd.DataFrame, frame: pd.DataFrame, named: bool = True) -> pd.DataFrame:
    """The frame's prefectural split, one column per grant and pot of the split labelled as the frame labels them
    (千円; by the pot alone, not ``named``), in the frame's order.

    >>> split = read_table("prefecture_frame", processed / "prefecture_frame.csv")
    >>> list(frame_columns(split, r.frame).columns)[:2]
    ['保険者機能強化推進交付金・基本配分枠（千円）', '保険者機能強化推進交付金・追加配分枠（千円）']
    >>> list(frame_columns(of_grant(split, "support"), r.frame, named=False).columns)
    ['基本配分枠（千円）', '追加配分枠（千円）']
    """
    labels = frame[(frame.level == "prefecture") & frame.grant.isin(split.grant)].set_index(["grant", "pot"])
    labels = (labels["grant_label"] + "・" if named else "") + labels["pot_label"] + "（千円）"
    split = split.assign(col=pd.MultiIndex.from_frame(split[["grant", "pot"]]).map(labels))
    return split.pivot(index="pref_code", columns="col", values="amount_thousand_yen")[list(labels)]


def build_report_tables(processed: str, raw: str, config: str, csv_dir: str, workbook: str) -> None:
    """The annual report's tables (doit task ``tables``); the notes sheet's notice covers every year a sheet shows.

    >>> build_report_tables(str(processed), "data/raw", "config/kofukin.yaml", str(tmp / "tables"), str(tmp / "k.xlsx"))
    >>> len(list((tmp / "tables").glob("*.csv"))), int(pd.read_csv(tmp / "tables" / "交付額.csv")["交付額（千円）"].sum())
    (19, 984709)
    """
    s = Sources.load(processed, raw, config)
    r, sheets = s.first, s.sheets
    shown = sorted({r.compare_year, r.year} | {y for sheet in sheets for y in sheet.years})
    tables = {sheet.name: mark_synthetic(table, r.synthetic_years(sheet.tables, sheet.years), bool(real_inputs(s, sheet)))
              for sheet, table in zip(sheets, report_tables(s).values())}
    write_tables(tables, csv_dir, workbook,
                  notice=notice(r.synthetic_years(list(r.vintage["synthetic"]), shown), shown),
                  title=f"kofukin 年次レポート {r.year}年度（{r.compare_year}年度との比較）の表",
                  notes_by_sheet=sheet_notes(s),
                  legend=GRANT_LEGEND if two_grant_year(s.cfg) else "")      # sheets naming the grants 推進・支援
