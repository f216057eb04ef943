"""A municipality's committee paper (策定委員会・運営協議会資料) of the current structure, as plain data.

``prepare`` reads the processed current_* tables once (scores and ranks as kofukin.model.current computed them);
``sections`` gives one municipality's sections 1–6 of issue 27 as JSON-ready dicts and ``prefecture_view`` a
prefecture's section 7. Everything here is computed from those tables; nothing is scored again.

Definitions (docs/assumptions.md A42–A45): 上位% = national rank ÷ municipalities × 100; quartiles and medians by
linear interpolation (pandas' default); 取りこぼし = 0 points on a branch that at least ``committee.missed_rate`` of
municipalities score; 強み = full marks on a branch that fewer than ``committee.strength_rate`` score; the
ministry's line = national mean − ``committee.line_sd`` × SD (population SD) of the total.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kofukin.model.current_catalogue import GROUP_LABELS, current_config, goal_label
from kofukin.model.schemas import GRANT_NAMES, read_table

TABLES = ["current_catalogue", "current_municipalities", "current_branch_scores", "current_scores",
          "current_branch_rates", "current_allocation"]
SHARED = "IV"
# The units of sections 1, 2 and 4: total and grants; seven goals (Ⅳ once, shared); the three groups of both grants.
TOP_UNITS = {"total": "合計", "promotion": "推進", "support": "支援"}
GOAL_UNITS = {f"{g}:{o}": goal_label(g, o) for g in GRANT_NAMES for o in ("I", "II", "III")} | {SHARED: "Ⅳ（推進・支援共通）"}
GROUP_UNITS = dict(GROUP_LABELS)
UNIT_LABELS = TOP_UNITS | GOAL_UNITS | GROUP_UNITS


def settings(cfg: dict) -> dict:
    """The ``committee`` section of the configuration (every key required: ``kofukin.model.config.REQUIRED``).

    >>> settings(cfg)["missed_rate"], settings(cfg)["name_neighbours"]
    (0.5, False)
    """
    return cfg["committee"]


def load_tables(processed: Path | str) -> dict[str, pd.DataFrame]:
    """The processed tables the committee paper reads, checked against their schemas."""
    return {name: read_table(name, Path(processed) / f"{name}.csv") for name in TABLES}


def unit_scores(scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Wide scores per (fiscal_year, muni_code): total, grants, seven goals and three groups; and their maxima."""
    key = ["fiscal_year", "muni_code"]
    top = scores[scores["level"].isin(["total", "grant"])]
    goals = scores[(scores["level"] == "goal") & ((scores["goal"] != SHARED) | (scores["grant"] == "promotion"))]
    goals = goals.assign(unit=np.where(goals["goal"] == SHARED, SHARED, goals["grant"] + ":" + goals["goal"]))
    groups = scores[scores["level"] == "group"].assign(unit=lambda d: d["group"])
    parts = [top.assign(unit=top["grant"]), goals, groups]
    long = pd.concat([p[key + ["unit", "score", "max_points"]] for p in parts])
    agg = long.groupby(key + ["unit"], sort=False).agg(score=("score", "sum"), max_points=("max_points", "sum"))
    wide = agg["score"].unstack("unit")[list(UNIT_LABELS)]
    first = agg.index.get_level_values("muni_code")[0]
    maxima = agg.xs(first, level="muni_code")["max_points"].groupby("unit").max()
    return wide, maxima.reindex(list(UNIT_LABELS))


@dataclass(frozen=True)
class Committee:
    """The processed tables arranged once for every municipality's paper (``prepare``)."""

    year: int                       # the latest current-structure year (the paper's year)
    years: list[int]                # every year the data has, oldest first
    wide: pd.DataFrame              # unit_scores' wide table + pref_code, size_class, kaso, muni_name, union_*, first_insured
    maxima: pd.Series
    ranks: pd.DataFrame             # (fiscal_year, muni_code, unit) → rank_national, rank_in_prefecture, rank_in_size_class
    branches: dict                  # year → (catalogue rows shown, municipality × branch points array, row index)
    allocation: pd.DataFrame
    synthetic: dict                 # year → bool
    cfg: dict
    means: dict                     # "national" | "prefecture" | "size_class" | "kaso" → unit means per year (and group)
    aligned: dict                   # earlier year → its column of each of the paper year's branches (−1: none)
    records: list                   # the paper year's branches as records, without the municipality's points


def prepare(tables: dict[str, pd.DataFrame], cfg: dict) -> Committee:
    """Arrange the processed tables for ``sections``: wide unit scores with each municipality's attributes, ranks,
    and per year a municipality × branch array of points (goal Ⅳ once).

    >>> c = prepare(load_tables(processed), cfg)
    >>> c.year, c.years, len(c.wide.loc[2026]), c.maxima[["total", "promotion", SHARED, "structure", "outcome"]].tolist()
    (2026, [2024, 2025, 2026], 1741, [800.0, 400.0, 100.0, 380.0, 200.0])
    >>> p = sections(c, "S13001")
    >>> p["year"], p["standing"]["rows"][0]["max_points"], len(p["goals_groups"]["goals"]), round(line(c), 1)
    (2026, 800.0, 7, 279.8)
    """
    scores, munis = tables["current_scores"], tables["current_municipalities"]
    wide, maxima = unit_scores(scores)
    attrs = munis.set_index(["fiscal_year", "muni_code"])[["pref_code", "muni_name", "union_no", "union_name", "kaso",
                                                            "first_insured"]]
    size = scores[scores["level"] == "total"].set_index(["fiscal_year", "muni_code"])["size_class"]
    wide = wide.join(attrs).join(size)
    top = scores[scores["level"].isin(["total", "grant"])]
    ranks = top.assign(unit=top["grant"]).set_index(["fiscal_year", "muni_code", "unit"])[
        ["rank_national", "rank_in_prefecture", "rank_in_size_class"]]
    years = sorted(int(y) for y in wide.index.get_level_values(0).unique())
    branches = {y: _branch_array(tables, y, wide.loc[y].index) for y in years}
    synthetic = {int(y): bool(f) for y, f in munis.groupby("fiscal_year")["synthetic"].first().items()}
    units = list(UNIT_LABELS)
    year = wide.index.get_level_values(0)
    kaso = wide["kaso"].astype("boolean")
    means = {"national": wide[units].groupby(year).mean(),
             "prefecture": wide[units].groupby([year, wide["pref_code"]]).mean(),
             "size_class": wide[units].groupby([year, wide["size_class"]]).mean(),
             "kaso": wide[units].groupby([year, kaso]).mean()}
    latest = _identity(branches[years[-1]][0])
    aligned = {y: _identity(branches[y][0]).get_indexer(latest) for y in years}
    records = [_branch_record(r) | {"i": i} for i, r in enumerate(branches[years[-1]][0].itertuples())]
    return Committee(years[-1], years, wide, maxima, ranks, branches, tables["current_allocation"], synthetic, cfg,
                     means, aligned, records)


def _identity(shown: pd.DataFrame) -> pd.MultiIndex:
    """A branch's identity across years: its grant, branch_id and indicator name (a renamed indicator is another)."""
    return pd.MultiIndex.from_frame(shown[["grant", "branch_id", "indicator_name"]])


def shown_branches(catalogue: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """A year's branches as the paper lists them: catalogue order, goal Ⅳ once (its 推進 rows), with 全国該当率."""
    cat = catalogue[(catalogue["goal"] != SHARED) | (catalogue["grant"] == "promotion")]
    cat = cat.merge(rates[["fiscal_year", "grant", "branch_id", "rate", "n_scoring"]], on=["fiscal_year", "grant", "branch_id"],
                    how="left")
    cat = cat.reset_index(drop=True)
    cat["goal_label"] = np.where(cat["goal"] == SHARED, GOAL_UNITS[SHARED],
                                 [goal_label(g, o) for g, o in zip(cat["grant"], cat["goal"])])
    cat["group_label"] = cat["group"].map(GROUP_LABELS)
    return cat


def _branch_array(tables: dict, year: int, codes: pd.Index) -> tuple[pd.DataFrame, np.ndarray]:
    cat = tables["current_catalogue"]
    rates = tables["current_branch_rates"]
    shown = shown_branches(cat[cat["fiscal_year"] == year], rates[rates["fiscal_year"] == year])
    bs = tables["current_branch_scores"]
    bs = bs[bs["fiscal_year"] == year]
    rows = codes.get_indexer(bs["muni_code"])
    cols = pd.MultiIndex.from_frame(shown[["grant", "branch_id"]]).get_indexer(
        pd.MultiIndex.from_frame(bs[["grant", "branch_id"]]))
    keep = cols >= 0
    out = np.full((len(codes), len(shown)), np.nan)
    out[rows[keep], cols[keep]] = pd.to_numeric(bs["points"]).to_numpy(dtype="float64")[keep]
    return shown, out


def _r(x, digits: int = 1):
    """A figure as the paper prints it (None for a missing one)."""
    return None if x is None or pd.isna(x) else round(float(x), digits)


def _means(c: Committee, year: int, muni: pd.Series, units: list[str]) -> dict[str, dict]:
    def of(kind, key):
        table = c.means[kind]
        return table.loc[key, units] if key in table.index else pd.Series(np.nan, index=units)
    found = {"national": of("national", year), "prefecture": of("prefecture", (year, muni["pref_code"])),
             "size_class": of("size_class", (year, muni["size_class"])), "kaso": of("kaso", (year, True)),
             "non_kaso": of("kaso", (year, False))}
    return {u: {k: _r(v[u], 2) for k, v in found.items()} for u in units}


def _rows(c: Committee, year: int, code: str, units: list[str]) -> list[dict]:
    muni = c.wide.loc[(year, code)]
    means = _means(c, year, muni, units)
    return [{"unit": u, "label": UNIT_LABELS[u], "score": _r(muni[u]), "max_points": _r(c.maxima[u]),
             "rate": _r(100 * muni[u] / c.maxima[u]), **{f"mean_{k}": v for k, v in means[u].items()}} for u in units]


def standing(c: Committee, code: str) -> dict:
    """Section 1: total, 推進 and 支援 with the three ranks, 上位%, and the national, prefecture, size-class,
    過疎 and 非過疎 means."""
    w = c.wide.loc[c.year]
    muni = w.loc[code]
    n_pref = int((w["pref_code"] == muni["pref_code"]).sum())
    n_size = int((w["size_class"] == muni["size_class"]).sum()) if pd.notna(muni["size_class"]) else None
    rows = _rows(c, c.year, code, list(TOP_UNITS))
    for row in rows:
        r = c.ranks.loc[(c.year, code, row["unit"])]
        row |= {"rank_national": int(r["rank_national"]), "n": len(w), "top_percent": _r(100 * r["rank_national"] / len(w)),
                "rank_in_prefecture": int(r["rank_in_prefecture"]), "n_prefecture": n_pref,
                "rank_in_size_class": None if pd.isna(r["rank_in_size_class"]) else int(r["rank_in_size_class"]),
                "n_size_class": n_size}
    return {"size_class": None if pd.isna(muni["size_class"]) else int(muni["size_class"]),
            "kaso": None if pd.isna(muni["kaso"]) else bool(muni["kaso"]), "rows": rows}


def goals_groups(c: Committee, code: str) -> dict:
    """Section 2: the seven goal units (Ⅳ once) and the three groups against the same means."""
    return {"goals": _rows(c, c.year, code, list(GOAL_UNITS)), "groups": _rows(c, c.year, code, list(GROUP_UNITS))}


def _branch_record(row) -> dict:
    return {"grant": row.grant, "goal": row.goal_label, "group": row.group_label, "indicator": row.indicator,
            "indicator_name": row.indicator_name, "branch": row.branch, "branch_id": row.branch_id,
            "max_points": _r(row.points), "rate": _r(100 * row.rate)}


def branch_view(c: Committee, code: str) -> dict:
    """Section 3: every branch (points, 配点, 全国該当率 %), 取りこぼし (action and 成果 apart, sorted by 配点 then
    rate, with the points at stake) and 強み."""
    s = settings(c.cfg)
    shown, points = c.branches[c.year]
    own = points[c.wide.loc[c.year].index.get_loc(code)]
    records = [{**r, "points": _r(p)} for r, p in zip(c.records, own)]
    zero = (own == 0) & (shown["rate"].to_numpy() >= s["missed_rate"])
    outcome = (shown["group"] == "outcome").to_numpy()
    order = shown.assign(_zero=zero).sort_values(["points", "rate"], ascending=False, kind="stable").index
    missed = [records[i] for i in order if zero[i] and not outcome[i]]
    missed_outcome = [records[i] for i in order if zero[i] and outcome[i]]
    full = (own == shown["points"].to_numpy()) & (shown["rate"].to_numpy() < s["strength_rate"])
    strengths = [records[i] for i in shown.assign(_f=full).sort_values(["rate", "points"], ascending=[True, False],
                                                                       kind="stable").index if full[i]]
    return {"missed_rate": float(s["missed_rate"]), "strength_rate": float(s["strength_rate"]), "branches": records,
            "missed": missed, "missed_outcome": missed_outcome, "stake": _r(sum(r["max_points"] for r in missed)),
            "strengths": strengths}


def trend(c: Committee, code: str) -> dict:
    """Section 4: per year the total, goals and groups with the national mean; and over the three years, branches
    matched by identity (grant, branch_id, indicator name: ``aligned``): gained (0 in the first of the three years
    the branch has, > 0 in the paper year), lost (> 0 then, 0 now) and zero in every year (it must have all
    three); each with its points per earlier year. The paper year's branches not present in every year are named
    apart (A46)."""
    years = [y for y in c.years[-3:] if (y, code) in c.wide.index]
    per_year = [{"year": y, "synthetic": c.synthetic[y],
                 "units": {u: {"score": _r(c.wide.loc[(y, code), u]), "mean_national": _r(c.means["national"].loc[y, u], 2)}
                           for u in UNIT_LABELS}} for y in years]
    own = {}
    for y in years:
        shown, points = c.branches[y]
        row = points[c.wide.loc[y].index.get_loc(code)]
        at = c.aligned[y]
        own[y] = np.where(at >= 0, row[np.maximum(at, 0)], np.nan)
    now, earlier = own[years[-1]], [own[y] for y in years[:-1]]
    common = np.logical_and.reduce([c.aligned[y] >= 0 for y in years])
    first = np.full(len(now), np.nan)                  # each branch's points in the first earlier year it has
    for points in reversed(earlier):
        first = np.where(np.isnan(points), first, points)
    out = {"years": per_year, "since": years[0] if len(years) > 1 else None,
           "gained": _named(c, np.flatnonzero((now > 0) & (first == 0)), now, earlier),
           "lost": _named(c, np.flatnonzero((now == 0) & (first > 0)), now, earlier)}
    zero = common & np.logical_and.reduce([own[y] == 0 for y in years])
    out["zero_all"] = _named(c, np.flatnonzero(zero), now)
    out["unmatched"] = [f"{GRANT_NAMES[c.records[i]['grant']][0]} {c.records[i]['branch_id']}" for i in np.flatnonzero(~common)]
    return out


def _named(c: Committee, at: np.ndarray, now: np.ndarray, earlier: list[np.ndarray] | None = None) -> list[dict]:
    return [{**c.records[i], "points": _r(now[i]), "before": None if earlier is None else [_r(e[i]) for e in earlier]}
            for i in at]


def worth(c: Committee, code: str) -> dict:
    """Section 5: the rank N more points would bring; the points to the national mean, the prefecture's top
    quartile (75th percentile) and the size class's median; and each grant's 千円 for one point more under the
    configured allocation rule (score × 第1号被保険者数, or the score), the others fixed."""
    s = settings(c.cfg)
    w = c.wide.loc[c.year]
    own = float(w.loc[code, "total"])
    others = w["total"].drop(code).to_numpy(dtype="float64")
    ranks = [{"more": n, "rank": 1 + int((others > own + n).sum())} for n in s["more_points"]]
    pref = w[w["pref_code"] == w.loc[code, "pref_code"]]["total"]
    size = w[w["size_class"] == w.loc[code, "size_class"]]["total"] if pd.notna(w.loc[code, "size_class"]) else pd.Series(dtype=float)
    targets = [("national_mean", "全国平均", w["total"].mean()), ("prefecture_q3", "都道府県内の上位4分の1（第3四分位）", pref.quantile(0.75)),
               ("size_median", "同じ区分の中央値", size.median() if len(size) else np.nan)]
    return {"total": _r(own), "ranks": ranks,
            "targets": [{"key": k, "label": label, "value": _r(v, 2), "needed": _r(max(0.0, v - own), 2)}
                        for k, label, v in targets if pd.notna(v)],
            "yen": yen_per_point(c, code)}


def yen_per_point(c: Committee, code: str) -> dict:
    """Each grant's 市町村分 and the 千円 one more point of that grant would bring (rounded once, to integer 千円),
    recomputed under the configured rule with the others fixed; a goal Ⅳ point counts in both grants."""
    cur = current_config(c.cfg)
    rule = cur["allocation_rule"]
    a = c.allocation[c.allocation["fiscal_year"] == c.year]
    out = {"rule": rule, "grants": []}
    for grant, g in a.groupby("grant", sort=False):
        budget = float(g["amount_thousand_yen"].sum())
        weights = pd.to_numeric(g["first_insured"]).to_numpy(dtype="float64") if rule == "score_x_first_insured" else np.ones(len(g))
        s = g["score"].to_numpy(dtype="float64")
        i = int(np.flatnonzero(g["muni_code"].to_numpy() == code)[0])
        total = float((s * weights).sum())
        value = budget * ((s[i] + 1) * weights[i] / (total + weights[i]) - s[i] * weights[i] / total)
        out["grants"].append({"grant": grant, "label": GRANT_NAMES[grant][0], "budget": int(budget),
                              "amount": int(g["amount_thousand_yen"].iloc[i]), "per_point": int(round(value))})
    if out["grants"]:
        out["shared_per_point"] = sum(g["per_point"] for g in out["grants"])
    return out


def _distribution(values: pd.Series) -> dict:
    return {"n": int(len(values)), "mean": _r(values.mean(), 2), "median": _r(values.median(), 2),
            "q1": _r(values.quantile(0.25), 2), "q3": _r(values.quantile(0.75), 2), "max": _r(values.max()),
            "min": _r(values.min())}


def prefecture_place(c: Committee, code: str) -> dict:
    """Section 6: the prefecture's distribution of totals and this municipality's place, without names unless
    ``committee.name_neighbours``; a union member's union side by side with its mean."""
    w = c.wide.loc[c.year]
    muni = w.loc[code]
    pref = w[w["pref_code"] == muni["pref_code"]]
    out = {"distribution": _distribution(pref["total"]), "total": _r(muni["total"]),
           "rank": int(c.ranks.loc[(c.year, code, "total"), "rank_in_prefecture"]),
           "above": int((pref["total"] < muni["total"]).sum()), "named": None, "union": None}
    if settings(c.cfg)["name_neighbours"]:
        out["named"] = [{"muni_name": r.muni_name, "total": _r(r.total), "self": i == code}
                        for i, r in pref.sort_values("total", ascending=False, kind="stable").iterrows()]
    if pd.notna(muni["union_no"]):
        members = w[w["union_no"] == muni["union_no"]]
        units = list(TOP_UNITS) + list(GOAL_UNITS)
        out["union"] = {"union_name": muni["union_name"], "union_no": muni["union_no"],
                        "members": [{"muni_name": r["muni_name"], "self": i == code, **{u: _r(r[u]) for u in units}}
                                    for i, r in members.iterrows()],
                        "mean": {u: _r(members[u].mean(), 2) for u in units}}
    return out


def sections(c: Committee, code: str) -> dict:
    """One municipality's committee paper, sections 1–6, as plain data (example: ``prepare``)."""
    if (c.year, code) not in c.wide.index:
        raise ValueError(f"no municipality {code} in the {c.year} results (data/processed/current_municipalities.csv)")
    muni = c.wide.loc[(c.year, code)]
    return {"year": c.year, "muni_code": code, "muni_name": muni["muni_name"], "pref_code": muni["pref_code"],
            "synthetic": c.synthetic[c.year], "synthetic_years": [y for y in c.years[-3:] if c.synthetic[y]],
            "standing": standing(c, code), "goals_groups": goals_groups(c, code), "branches": branch_view(c, code),
            "trend": trend(c, code), "worth": worth(c, code), "prefecture": prefecture_place(c, code)}


def line(c: Committee, year: int | None = None) -> float:
    """The ministry's line: national mean − ``line_sd`` × SD of the municipal totals (FY2026: published 279.7 points)."""
    totals = c.wide.loc[year or c.year, "total"]
    return float(totals.mean() - settings(c.cfg)["line_sd"] * totals.std(ddof=0))


def prefecture_view(c: Committee, pref_code: str) -> dict:
    """Section 7: a prefecture's municipalities by goal (named: the prefecture's own view), the number below the
    ministry's line, and whether the prefecture's own 800-point results are in (not in the default build); its
    ``synthetic_years`` (the paper year's, if synthetic) give the page its 合成データ notice."""
    w = c.wide.loc[c.year]
    pref = w[w["pref_code"] == pref_code].sort_values("total", ascending=False, kind="stable")
    cut = line(c)
    units = list(TOP_UNITS) + list(GOAL_UNITS)
    return {"year": c.year, "pref_code": pref_code, "synthetic": c.synthetic[c.year],
            "synthetic_years": [c.year] if c.synthetic[c.year] else [], "line": _r(cut),
            "below_line": int((pref["total"] < cut).sum()), "n": len(pref),
            "distribution": _distribution(pref["total"]),
            "means": {u: _r(pref[u].mean(), 2) for u in units}, "national_means": {u: _r(w[u].mean(), 2) for u in units},
            "municipalities": [{"muni_code": i, "muni_name": r["muni_name"], "below_line": bool(r["total"] < cut),
                                **{u: _r(r[u]) for u in units}} for i, r in pref.iterrows()],
            "prefecture_results": None}
