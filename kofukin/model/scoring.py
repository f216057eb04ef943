"""Scoring engine: item points, category and total scores, score rates, ranks, the penalty."""

import math

import numpy as np
import pandas as pd

from kofukin.model.config import ScoringRules
from kofukin.model.schemas import MUNI_CATEGORIES, TOTAL


def rank_desc(values: pd.Series) -> pd.Series:
    """Rank, 1 = best (highest); ties share the best rank.

    >>> rank_desc(pd.Series([10, 30, 30, 5])).tolist()
    [3, 1, 1, 4]
    """
    return values.rank(method="min", ascending=False).astype(int)


def band_points(ranks: pd.Series, bands: list[tuple[int, int]]) -> pd.Series:
    """Points by rank: the first band ``(up_to_rank, points)`` a rank falls in; 0 below the last.

    >>> band_points(pd.Series([1, 24, 25, 47]), [(24, 12)]).tolist()
    [12, 12, 0, 0]
    """
    points = pd.Series(0, index=ranks.index, dtype="int64")
    for up_to, pts in reversed(bands):
        points[ranks <= up_to] = pts
    return points


def at_penalty_level(score_rate: pd.Series, threshold: float) -> pd.Series:
    """True where a municipality's total score rate is at or below the penalty threshold (約3割).

    >>> at_penalty_level(pd.Series([0.29, 0.30, 0.31]), 0.30).tolist()
    [True, True, False]
    """
    return score_rate <= threshold + 1e-12


def threshold_score(threshold: float, max_points: int) -> int:
    """The highest total score at the penalty level (score rate ≤ threshold) of a maximum.

    >>> threshold_score(0.30, 692), threshold_score(0.35, 700)
    (207, 245)
    """
    return math.floor(round(threshold * max_points, 9))        # 0.35 × 700 is 245, not 244.999…


def score_municipalities(results: pd.DataFrame, category_max: dict, threshold: float) -> pd.DataFrame:
    """Category and total scores of municipalities for one fiscal year.

    ``results`` has fiscal_year, muni_code, pref_code, category (I/II/III), score;
    ``category_max`` maps I/II/III to their maxima. A municipality whose total score rate is at or
    below ``threshold`` is flagged ``penalty_level``.

    >>> res = pd.DataFrame({"fiscal_year": 2019, "muni_code": "S01001", "pref_code": "01", "category": ["I", "II", "III"], "score": [10, 100, 20]})
    >>> out = score_municipalities(res, {"I": 80, "II": 529, "III": 83}, 0.30)
    >>> out.query("category == 'TOTAL'")[["score", "max_points", "penalty_level"]].to_dict("records")
    [{'score': 130, 'max_points': 692, 'penalty_level': True}]
    """
    _one_year(results, "municipal results")
    wide = results.pivot(index=["fiscal_year", "muni_code", "pref_code"], columns="category", values="score")
    wide = wide.reindex(columns=MUNI_CATEGORIES)
    absent = wide.isna().stack()
    if absent.any():
        raise ValueError(f"municipal results lack categories (muni, category): {[(k[1], k[3]) for k in absent[absent].index[:10]]}")
    for c in MUNI_CATEGORIES:
        over = wide.index[wide[c] > category_max[c]].get_level_values("muni_code")
        if len(over):
            raise ValueError(f"municipal score above the category {c} maximum {category_max[c]}: {list(over[:10])}")
    wide = wide[MUNI_CATEGORIES].astype("int64")
    wide[TOTAL] = wide.sum(axis=1)
    maxima = {**{c: int(category_max[c]) for c in MUNI_CATEGORIES}, TOTAL: int(sum(category_max[c] for c in MUNI_CATEGORIES))}
    penalty = at_penalty_level(wide[TOTAL] / maxima[TOTAL], threshold)
    long = wide.stack().rename("score").reset_index().rename(columns={"level_3": "category"})
    long["max_points"] = long["category"].map(maxima)
    long["score_rate"] = long["score"] / long["max_points"]
    long["penalty_level"] = penalty.reindex(pd.MultiIndex.from_frame(long[["fiscal_year", "muni_code", "pref_code"]])).to_numpy()
    return long


def score_prefecture_items(results: pd.DataFrame, items: pd.DataFrame, rules: ScoringRules,
                           municipal: pd.DataFrame | None = None) -> pd.DataFrame:
    """Points per prefecture and catalogue item for one fiscal year.

    ``results``: fiscal_year, pref_code, item, level (index into the item's levels, 0 = none) and
    value (the figure a rank-band item ranks on). ``municipal``: the same year's
    ``score_municipalities`` output, needed by items derived from municipal results.

    >>> items = pd.DataFrame({"category": "I", "item": ["A", "B"], "max_points": [10, 12], "input": "level", "levels": [(0, 10), (0, 6, 12)]})
    >>> res = pd.DataFrame({"fiscal_year": 2019, "pref_code": ["01", "01"], "item": ["A", "B"], "level": [1, 1], "value": None})
    >>> score_prefecture_items(res, items, ScoringRules(0.3, -10, "III"))["points"].tolist()
    [10, 6]
    """
    year = _one_year(results, "prefecture results")
    unknown = sorted(set(results["item"]) - set(items["item"]))
    if unknown:
        raise ValueError(f"prefecture results name items not in the catalogue: {unknown}")
    prefs = pd.Index(sorted(results["pref_code"].unique()), name="pref_code")
    by_item = results.set_index(["item", "pref_code"])
    level_items = items[items["input"] == "level"]
    grid = by_item["level"].unstack("item").reindex(index=prefs, columns=level_items["item"])
    for item in level_items["item"]:
        blank = list(grid.index[grid[item].isna()])
        if blank:
            raise ValueError(f"item {item}: level is blank for prefectures {blank} (blank is never zero)")
    levels = grid.to_numpy(dtype="int64")
    flat = level_points(level_items, np.repeat(level_items["item"].to_numpy()[None, :], len(prefs), 0).ravel(), levels.ravel())
    columns = dict(zip(level_items["item"], flat.reshape(levels.shape).T))
    for item in items[items["input"] != "level"].itertuples(index=False):
        columns[item.item] = _item_points(item, by_item, prefs, rules, municipal).to_numpy()
    points = pd.DataFrame({i: columns[i] for i in items["item"]}, index=prefs)
    long = points.stack().rename("points").reset_index().rename(columns={"level_1": "item"})
    meta = items.set_index("item")[["category", "max_points"]]
    long = long.join(meta, on="item")
    long.insert(0, "fiscal_year", year)
    return long[["fiscal_year", "pref_code", "category", "item", "points", "max_points"]]


def _item_points(item, by_item, prefs, rules, municipal) -> pd.Series:
    if item.input == "municipal_rates":
        totals = _municipal_totals(municipal, item.item)
        flagged = at_penalty_level(totals["score_rate"], rules.penalty_threshold).groupby(totals["pref_code"]).any()
        return flagged.reindex(prefs, fill_value=False).map({True: rules.penalty_points, False: 0}).astype("int64")
    if item.input == "municipal_average_rate":
        rate = _municipal_totals(municipal, item.item).groupby("pref_code")["score_rate"].mean()
        missing = prefs.difference(rate.index)
        if len(missing):
            raise ValueError(f"item {item.item}: no municipal results for prefectures {list(missing)}")
        return band_points(rank_desc(rate.reindex(prefs)), _bands(item, rules))
    try:
        got = by_item.loc[item.item, "value"].reindex(prefs)
    except KeyError:
        got = pd.Series(index=prefs, dtype="float64")
    blank = list(got.index[got.isna()])
    if blank:
        raise ValueError(f"item {item.item}: value is blank for prefectures {blank} (blank is never zero)")
    return band_points(rank_desc(got.astype("float64")), _bands(item, rules))


def level_points(items: pd.DataFrame, item: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Points of many (item, level index) results at once — a vectorized lookup in the catalogue's levels.

    An item not in ``items`` or a level outside the item's levels raises ValueError.

    >>> cat = pd.DataFrame({"item": ["A", "B"], "levels": [(0, 5), (0, 6, 12)]})
    >>> level_points(cat, np.array(["A", "B", "B"]), np.array([1, 2, 0])).tolist()
    [5, 12, 0]
    """
    codes = pd.Categorical(item, categories=items["item"]).codes
    if (codes < 0).any():
        raise ValueError(f"items not in the catalogue: {sorted(set(np.asarray(item)[codes < 0]))[:10]}")
    counts = np.array([len(lv) for lv in items["levels"]])
    table = np.zeros((len(items), counts.max()), dtype="int64")
    for row, lv in enumerate(items["levels"]):
        table[row, : len(lv)] = lv
    level = np.asarray(level, dtype="int64")
    bad = (level < 0) | (level >= counts[codes])
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        name = items["item"].iloc[codes[first]]
        raise ValueError(f"item {name}: level must be 0–{counts[codes[first]] - 1}; got {int(level[first])}")
    return table[codes, level]


def _bands(item, rules: ScoringRules) -> list[tuple[int, int]]:
    if item.item not in rules.rank_bands:
        raise ValueError(f"item {item.item}: rank_band rule but no rank_bands entry in the configuration")
    bands = rules.rank_bands[item.item]
    if max(p for _, p in bands) > item.max_points:
        raise ValueError(f"item {item.item}: rank_bands give more than max_points {item.max_points}")
    return bands


def _municipal_totals(municipal: pd.DataFrame | None, item: str) -> pd.DataFrame:
    if municipal is None:
        raise ValueError(f"item {item} is derived from municipal results, but none were given")
    return municipal[municipal["category"] == TOTAL]


def summarise(item_scores: pd.DataFrame, pref_names: pd.Series) -> pd.DataFrame:
    """Category and total scores of prefectures per grant: score, max, score rate, rank, national average, distance.

    >>> pts = pd.DataFrame({"fiscal_year": 2019, "grant": "promotion", "pref_code": ["01", "02"], "category": "I", "item": "A", "points": [10, 0], "max_points": 10})
    >>> summarise(pts, pd.Series({"01": "北海道", "02": "青森県"})).query("category == 'TOTAL'")[["pref_name", "score", "rank", "distance_to_average"]].to_dict("records")
    [{'pref_name': '北海道', 'score': 10, 'rank': 1, 'distance_to_average': 5.0}, {'pref_name': '青森県', 'score': 0, 'rank': 2, 'distance_to_average': -5.0}]
    """
    keys = ["fiscal_year", "grant", "pref_code"]
    cat = item_scores.groupby(keys + ["category"], sort=False)[["points", "max_points"]].sum().reset_index()
    tot = item_scores.groupby(keys, sort=False)[["points", "max_points"]].sum().reset_index()
    tot["category"] = TOTAL
    out = pd.concat([cat, tot], ignore_index=True).rename(columns={"points": "score"})
    return _add_ranks(out, pref_names)


def summarise_totals(totals: pd.DataFrame, max_points: int, pref_names: pd.Series) -> pd.DataFrame:
    """TOTAL rows for a year known only by total scores (e.g. FY2018), of one grant.

    >>> tot = pd.DataFrame({"fiscal_year": 2018, "grant": "promotion", "pref_code": ["01", "02"], "score": [700, 600]})
    >>> summarise_totals(tot, 730, pd.Series({"01": "北海道", "02": "青森県"}))[["score", "score_rate", "rank"]].round(3).to_dict("records")
    [{'score': 700, 'score_rate': 0.959, 'rank': 1}, {'score': 600, 'score_rate': 0.822, 'rank': 2}]
    """
    over = totals[totals["score"] > max_points]
    if len(over):
        raise ValueError(f"total score above the maximum {max_points}: {over.set_index('pref_code')['score'].to_dict()}")
    out = totals[["fiscal_year", "grant", "pref_code", "score"]].assign(category=TOTAL, max_points=int(max_points))
    return _add_ranks(out, pref_names)


def _add_ranks(df: pd.DataFrame, pref_names: pd.Series) -> pd.DataFrame:
    df = df.copy()
    df["pref_name"] = df["pref_code"].map(pref_names)
    df["score_rate"] = df["score"] / df["max_points"]
    grouped = df.groupby(["fiscal_year", "grant", "category"], sort=False)["score"]
    df["rank"] = grouped.rank(method="min", ascending=False).astype(int)
    df["national_average"] = grouped.transform("mean")
    df["distance_to_average"] = df["score"] - df["national_average"]
    cols = ["fiscal_year", "grant", "pref_code", "pref_name", "category", "score", "max_points", "score_rate",
            "rank", "national_average", "distance_to_average"]
    return df[cols]


def _one_year(df: pd.DataFrame, what: str) -> int:
    years = df["fiscal_year"].unique()
    if len(years) != 1:
        raise ValueError(f"{what}: expected one fiscal year, got {sorted(years)}")
    return int(years[0])
