"""The current structure's item catalogue (FY2024+): branches of two grants × goals I–IV, read per year from the
shipped per-column statistics (data/raw/catalogue, source T1), with the configured caps and maxima.

Goal labels always carry the grant (推進Ⅰ, 支援Ⅰ): the numerals alone are ambiguous.
"""

from pathlib import Path

import pandas as pd

from kofukin.model import paths
from kofukin.model.errors import KofukinDataError
from kofukin.model.schemas import CURRENT_GOALS, GRANT_NAMES, read_table

ROMAN = {"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV"}
NUMERAL = {v: k for k, v in ROMAN.items()}
GROUPS = {"体制・取組": "structure", "活動": "activity", "成果": "outcome"}
GROUP_LABELS = {v: k for k, v in GROUPS.items()}
GROUP_TAGS = {"structure": "(i)", "activity": "(ii)", "outcome": ""}
GRANT_SHORT = {short: key for key, (short, _) in GRANT_NAMES.items()}
NO_BRANCH = "－"
CATALOGUE_COLUMNS = ["fiscal_year", "grant", "goal", "goal_name", "group", "indicator", "indicator_name", "branch",
                     "branch_id", "points", "indicator_cap", "may_be_blank", "column_letter"]


def goal_label(grant: str, goal: str) -> str:
    """A goal's label with its grant.

    >>> goal_label("support", "I"), goal_label("promotion", "IV")
    ('支援Ⅰ', '推進Ⅳ')
    """
    return GRANT_NAMES[grant][0] + NUMERAL[goal]


def indicator_key(goal: str, group: str, indicator: str) -> str:
    """The key of an indicator within a grant, as in ``current.indicator_caps``: goal, group tag, number.

    >>> indicator_key("I", "activity", "9"), indicator_key("IV", "outcome", "1")
    ('I(ii)9', 'IV1')
    """
    return f"{goal}{GROUP_TAGS[group]}{indicator}"


def current_config(cfg: dict) -> dict:
    """The ``current`` section of the configuration (the structure since FY2024)."""
    return cfg["current"]


def current_years(cfg: dict) -> list[int]:
    """The configured current-structure years.

    >>> current_years(cfg)
    [2024, 2025, 2026]
    """
    return sorted(int(y) for y in current_config(cfg)["years"])


def read_reference(cfg: dict, raw: Path = paths.RAW) -> pd.DataFrame:
    """The shipped per-column statistics of every year's municipal workbook (branches and subtotals)."""
    return read_table("current_reference", raw / current_config(cfg)["catalogue"])


def read_figures(cfg: dict, raw: Path = paths.RAW) -> pd.DataFrame:
    """The published national figures of the current structure."""
    return read_table("current_figures", raw / current_config(cfg)["figures"])


def catalogue(reference: pd.DataFrame, year: int, cfg: dict) -> pd.DataFrame:
    """One year's catalogue (CONTRACT_current.md): one row per detail column in workbook order; goal IV's
    branches under both grants with the same branch_id and points.

    >>> c = catalogue(read_reference(cfg), 2026, cfg)
    >>> len(c), c.branch_id.iloc[0], c.groupby("grant").points.sum().to_dict()
    (299, 'I(i)1ア', {'promotion': 460.0, 'support': 469.0})
    """
    rows = reference[(reference["fiscal_year"] == year) & (reference["row_kind"] == "branch")]
    if rows.empty:
        raise KofukinDataError(Path(current_config(cfg)["catalogue"]), [f"no branch rows for fiscal year {year}"])
    rows = rows.sort_values("column_number")
    out = pd.DataFrame({
        "fiscal_year": int(year),
        "grant": rows["grant"].map(GRANT_SHORT),
        "goal": rows["goal"].map(ROMAN),
        "goal_name": rows["goal_name"],
        "group": rows["group"].map(GROUPS),
        "indicator": rows["indicator_no"].astype(int).astype(str),
        "indicator_name": rows["indicator_name"],
        "branch": (rows["branch"].fillna("") + rows["sub_branch"].fillna("")).replace("", NO_BRANCH),
        "points": rows["points"].astype(float),
        "column_letter": rows["column_letter"],
    }).reset_index(drop=True)
    keys = [indicator_key(g, grp, i) for g, grp, i in zip(out["goal"], out["group"], out["indicator"])]
    out["branch_id"] = [k + ("" if b == NO_BRANCH else b) for k, b in zip(keys, out["branch"])]
    caps = current_config(cfg)["indicator_caps"]
    out["indicator_cap"] = [float(caps.get(g, {}).get(k)) if k in caps.get(g, {}) else float("nan")
                            for g, k in zip(out["grant"], keys)]
    out["may_be_blank"] = False
    return out[CATALOGUE_COLUMNS]


def indicators(catalogue: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: its branches' points, cap and maximum (the cap where given, else the sum).

    >>> i = indicators(catalogue(read_reference(cfg), 2026, cfg))
    >>> i.groupby("grant").max_points.sum().to_dict()
    {'promotion': 400.0, 'support': 400.0}
    """
    keys = ["fiscal_year", "grant", "goal", "group", "indicator"]
    out = catalogue.groupby(keys, sort=False).agg(indicator_name=("indicator_name", "first"),
                                                  branch_points=("points", "sum"), cap=("indicator_cap", "first"))
    out["max_points"] = out["cap"].where(out["cap"].notna(), out["branch_points"])
    return out.reset_index()


def check_structure(catalogue: pd.DataFrame, cfg: dict, where: Path | str) -> None:
    """The catalogue's maxima must be the configured ones: each goal ``goal_max_points``, goals I–III's groups
    ``group_max_points``, the shared goal's branches the same in both grants; a cap must be below its branches' sum.

    >>> check_structure(catalogue(read_reference(cfg), 2024, cfg), cfg, "x.csv")
    """
    cur = current_config(cfg)
    problems = []
    ind = indicators(catalogue)
    bad_cap = ind[ind["cap"].notna() & (ind["cap"] >= ind["branch_points"])]
    problems += [f"{r.fiscal_year} {goal_label(r.grant, r.goal)} indicator {r.indicator}: cap {r.cap:g} is not below "
                 f"its branches' sum {r.branch_points:g}" for r in bad_cap.itertuples()]
    for (year, grant, goal), sub in ind.groupby(["fiscal_year", "grant", "goal"], sort=False):
        total = sub["max_points"].sum()
        if total != cur["goal_max_points"]:
            problems.append(f"{year} {goal_label(grant, goal)}: maximum {float(total):g}, configured {cur['goal_max_points']}")
        expected = (cur["group_max_points"].get(grant) or {}).get(goal)
        if expected is not None:
            got = [float(sub.loc[sub["group"] == g, "max_points"].sum()) for g in ("structure", "activity")]
            if got != [float(x) for x in expected]:
                problems.append(f"{year} {goal_label(grant, goal)}: groups {[f'{g:g}' for g in got]}, configured {expected}")
    shared = catalogue[catalogue["goal"] == cur["shared_goal"]]
    sides = [shared[shared["grant"] == g][["branch_id", "points"]].reset_index(drop=True) for g in ("promotion", "support")]
    if not sides[0].equals(sides[1]):
        problems.append(f"goal {cur['shared_goal']}: branches or points differ between the grants")
    missing = sorted(set(CURRENT_GOALS) - set(catalogue["goal"]))
    problems += [f"goal {g} has no branches" for g in missing]
    if problems:
        raise KofukinDataError(where, problems)


def published_branches(reference: pd.DataFrame, year: int) -> pd.DataFrame:
    """The published statistics of each branch of a year (the calibration targets of the synthetic stand-ins):
    catalogue keys plus national_mean, sd, municipalities_scoring and rate.

    >>> p = published_branches(read_reference(cfg), 2026)
    >>> int(p.set_index(["grant", "branch_id"]).loc[("promotion", "I(i)1ア"), "municipalities_scoring"])
    1701
    """
    rows = reference[(reference["fiscal_year"] == year) & (reference["row_kind"] == "branch")].sort_values("column_number")
    cat = catalogue(reference, year, {"current": {"indicator_caps": {}}})
    stats = rows[["national_mean", "sd", "municipalities_scoring", "rate"]].reset_index(drop=True)
    return pd.concat([cat[["fiscal_year", "grant", "goal", "group", "indicator", "branch", "branch_id", "points"]], stats],
                     axis=1)


def published_subtotals(reference: pd.DataFrame, year: int) -> pd.DataFrame:
    """A year's published subtotal columns: grant (promotion, support, total), goal, group (NA above), points,
    national_mean, national_median, sd.

    >>> s = published_subtotals(read_reference(cfg), 2026)
    >>> s[s.grant == "total"][["points", "national_median"]].values.tolist()
    [[800.0, 469.0]]
    """
    rows = reference[(reference["fiscal_year"] == year) & (reference["row_kind"] == "subtotal")].copy()
    label = rows["subtotal_label"].fillna("")
    group = pd.Series(pd.NA, index=rows.index, dtype=object)
    group[label.str.contains("（ⅰ）")] = "structure"
    group[label.str.contains("（ⅱ）")] = "activity"
    return pd.DataFrame({
        "fiscal_year": int(year), "grant": rows["grant"].map({**GRANT_SHORT, "合計": "total"}),
        "goal": rows["goal"].map(ROMAN), "group": group, "points": rows["points"],
        "national_mean": rows["national_mean"], "national_median": rows["national_median"], "sd": rows["sd"],
    }).reset_index(drop=True)
