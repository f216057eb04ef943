"""Analysts' tables of the current structure (FY2024+), Japanese headers, from the processed current_* tables:
市町村別合計得点, 市町村別目標別得点 and 評価指標別該当率. Goal IV appears under both grants with the same points;
goals carry their grant (推進Ⅰ). Each row says whether it is 合成データ."""

from pathlib import Path

import pandas as pd

from kofukin.model.current_catalogue import GROUP_LABELS, goal_label
from kofukin.model.schemas import GRANT_NAMES, read_table
from kofukin.model.vintage import caption, notice
from kofukin.report.exports import GRANT_LEGEND, write_tables
from kofukin.report.units import KIND_COLUMN, SYNTHETIC
from kofukin.model.paths import PREFECTURES

# the sheets (and CSVs) of reports/kofukin_current.xlsx, in order
CURRENT_SHEETS = ["市町村別合計得点", "市町村別目標別得点", "評価指標別該当率"]

TOTALS, GOALS, RATES = CURRENT_SHEETS


SIZE_CLASS_LEGEND = "区分：省の集計表の区分。集計表に区分のない年度は第1号被保険者数の区分（docs/assumptions.md A38）。"


def _short(grant: pd.Series) -> pd.Series:
    return grant.map({k: v[0] for k, v in GRANT_NAMES.items()})


def _flag(synthetic: pd.Series) -> pd.Series:
    return synthetic.map({True: SYNTHETIC, False: ""})


def totals_table(scores: pd.DataFrame, munis: pd.DataFrame, pref_names: pd.Series) -> pd.DataFrame:
    """市町村別合計得点: one row per year and municipality, 推進・支援・合計 with the total's three ranks; its 区分 is
    the one 区分内順位 ranks within (a year without the workbook's 区分 has the bands', A38)."""
    top = scores[scores["level"].isin(["grant", "total"])]
    wide = top.pivot_table(index=["fiscal_year", "muni_code"], columns="grant", values="score", aggfunc="first")
    ranks = top[top["level"] == "total"].set_index(["fiscal_year", "muni_code"])
    m = munis.set_index(["fiscal_year", "muni_code"]).loc[wide.index]
    return pd.DataFrame({
        "年度": wide.index.get_level_values(0), "都道府県": m["pref_code"].map(pref_names).to_numpy(),
        "保険者番号": m["insurer_no"].fillna("").to_numpy(), "市町村": m["muni_name"].to_numpy(),
        "広域連合": m["union_name"].fillna("").to_numpy(), "区分": ranks["size_class"].loc[wide.index].to_numpy(),
        "過疎": m["kaso"].map({True: "○", False: ""}).fillna("").to_numpy(),
        "推進": wide["promotion"].to_numpy(), "支援": wide["support"].to_numpy(), "合計": wide["total"].to_numpy(),
        "全国順位": ranks["rank_national"].loc[wide.index].to_numpy(),
        "都道府県内順位": ranks["rank_in_prefecture"].loc[wide.index].to_numpy(),
        "区分内順位": ranks["rank_in_size_class"].loc[wide.index].to_numpy(),
        KIND_COLUMN: _flag(m["synthetic"]).to_numpy(),
    }).reset_index(drop=True)


def goals_table(scores: pd.DataFrame, munis: pd.DataFrame, pref_names: pd.Series) -> pd.DataFrame:
    """市町村別目標別得点: each municipality's goals and groups with the national, prefectural and size-class means."""
    rows = scores[scores["level"].isin(["goal", "group"])].copy()
    unit = ["fiscal_year", "grant", "goal", "group"]
    rows["全国平均"] = rows.groupby(unit, dropna=False)["score"].transform("mean")
    rows["都道府県平均"] = rows.groupby(unit + ["pref_code"], dropna=False)["score"].transform("mean")
    rows["区分平均"] = rows.groupby(unit + ["size_class"], dropna=False)["score"].transform("mean")
    names = munis.set_index(["fiscal_year", "muni_code"])["muni_name"]
    return pd.DataFrame({
        "年度": rows["fiscal_year"], "都道府県": rows["pref_code"].map(pref_names),
        "市町村": names.reindex(pd.MultiIndex.from_frame(rows[["fiscal_year", "muni_code"]])).to_numpy(),
        "交付金": _short(rows["grant"]), "目標": [goal_label(g, o) for g, o in zip(rows["grant"], rows["goal"])],
        "指標群": rows["group"].map(GROUP_LABELS).fillna("計"), "得点": rows["score"], "配点": rows["max_points"],
        "全国平均": rows["全国平均"], "都道府県平均": rows["都道府県平均"], "区分平均": rows["区分平均"],
        KIND_COLUMN: _flag(rows["synthetic"]),
    }).reset_index(drop=True)


def rates_table(rates: pd.DataFrame) -> pd.DataFrame:
    """評価指標別該当率: per branch 配点, 全国平均, 該当数 and 該当率 (goal IV under both grants)."""
    return pd.DataFrame({
        "年度": rates["fiscal_year"], "交付金": _short(rates["grant"]),
        "目標": [goal_label(g, o) for g, o in zip(rates["grant"], rates["goal"])],
        "指標群": rates["group"].map(GROUP_LABELS), "指標": rates["indicator"], "枝番": rates["branch"],
        "配点": rates["points"], "全国平均": rates["national_mean"], "該当数": rates["n_scoring"], "該当率": rates["rate"],
        KIND_COLUMN: _flag(rates["synthetic"]),
    }).reset_index(drop=True)


def current_analyst_tables(processed: Path | str, raw: Path | str) -> dict[str, pd.DataFrame]:
    """The three tables, keyed by their sheet and CSV name, read from the processed tables.

    >>> t = current_analyst_tables(processed, "data/raw")
    >>> list(t), len(t["市町村別合計得点"]), t["市町村別合計得点"][KIND_COLUMN].unique().tolist()
    (['市町村別合計得点', '市町村別目標別得点', '評価指標別該当率'], 5223, ['合成データ'])
    >>> totals = t["市町村別合計得点"]          # FY2024 has no 区分 of its own: the bands' (A38), never a rank without one
    >>> int((totals["区分"].isna() & totals["区分内順位"].notna()).sum()), sorted(totals.loc[totals["年度"] == 2024, "区分"].unique().tolist())
    (0, [1, 2, 3, 4, 5])
    """
    processed, raw = Path(processed), Path(raw)
    scores = read_table("current_scores", processed / "current_scores.csv")
    munis = read_table("current_municipalities", processed / "current_municipalities.csv")
    rates = read_table("current_branch_rates", processed / "current_branch_rates.csv")
    prefs = read_table("prefectures", raw / PREFECTURES).set_index("pref_code")["pref_name"]
    return {TOTALS: totals_table(scores, munis, prefs), GOALS: goals_table(scores, munis, prefs), RATES: rates_table(rates)}


def current_notes(tables: dict[str, pd.DataFrame], synthetic: list[int]) -> dict[str, str]:
    """Each table's 合成データ note, by sheet name: which of its years are synthetic ("" where none is).

    >>> current_notes({TOTALS: pd.DataFrame({"年度": [2025, 2026]})}, [2025])
    {'市町村別合計得点': '※ 2025年度の数値は合成データです（厚生労働省の評価結果ではありません）。'}
    """
    notes = {name: caption(synthetic, sorted(set(df["年度"]))) for name, df in tables.items()}
    return {name: note for name, note in notes.items() if note}


def build_current_tables(processed: str, raw: str, csv_dir: str, workbook: str) -> None:
    """The current structure's (FY2024+) analysts' tables (``current_analyst_tables``) as CSVs in their own
    folder and one workbook (doit task ``current_tables``); each row and sheet says which years are 合成データ.

    >>> build_current_tables(str(processed), "data/raw", str(tmp / "current"), str(tmp / "c.xlsx"))
    >>> sorted(p.stem for p in (tmp / "current").glob("*.csv"))
    ['市町村別合計得点', '市町村別目標別得点', '評価指標別該当率']
    """
    current = current_analyst_tables(processed, raw)
    years = sorted({int(y) for t in current.values() for y in t["年度"]})
    synthetic = sorted({int(y) for t in current.values() for y in t.loc[t[KIND_COLUMN] == SYNTHETIC, "年度"]})
    write_tables(current, csv_dir, workbook, notice=notice(synthetic, years),
                  title=f"kofukin 現行の評価構造（{'・'.join(f'{y}年度' for y in years)}）の表",
                  notes_by_sheet=current_notes(current, synthetic), legend=GRANT_LEGEND + SIZE_CLASS_LEGEND)
