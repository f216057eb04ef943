"""What a score is worth: points at stake and the grant change in 千円, all else fixed.

Every figure recomputes the whole allocation with one entity's score raised: the budget is fixed,
everyone else's share falls a little, and caps (所要見込額) bind — so a raise is worth zero to a
prefecture already paid its request.
"""

import numpy as np
import pandas as pd

from kofukin.model.allocation import allocate, pay


def _gain_values(totals: pd.Series, gains: pd.DataFrame, budget: int, requests: pd.Series | None,
                redistribute: bool = False) -> list[int]:
    """Change of the paid amount (千円) of ``gains.pref_code`` if it alone scored ``gains.gain`` more."""
    base = allocate(totals.clip(lower=0), budget, caps=requests, redistribute=redistribute)   # checks every input once
    codes = list(totals.index)
    basis = [max(int(v), 0) for v in totals]
    cap = None if requests is None else [int(v) for v in requests.reindex(totals.index)]
    out = []
    for code, gain in zip(gains["pref_code"], gains["gain"]):
        i = codes.index(code)
        scores = basis.copy()
        scores[i] = max(int(totals.iloc[i]) + int(gain), 0)
        out.append(int(pay(scores, budget, cap, redistribute)[i] - base.iloc[i]))
    return out


def item_stakes(item_scores: pd.DataFrame, budget: int, requests: pd.Series | None,
                redistribute: bool = False) -> pd.DataFrame:
    """For every prefecture and item below its maximum: points at stake and the change of the paid
    amount (千円) if the prefecture alone achieved the item fully.

    >>> items = pd.DataFrame({"fiscal_year": 2019, "pref_code": ["01", "01", "02"], "category": "I", "item": ["A", "B", "A"], "points": [0, 5, 10], "max_points": [10, 5, 10]})
    >>> item_stakes(items, 1000, None)[["pref_code", "item", "points_at_stake", "amount_change_thousand_yen"]].to_dict("records")
    [{'pref_code': '01', 'item': 'A', 'points_at_stake': 10, 'amount_change_thousand_yen': 267}]
    """
    totals = item_scores.groupby("pref_code")["points"].sum()
    short = item_scores[item_scores["points"] < item_scores["max_points"]].copy()
    short["points_at_stake"] = short["max_points"] - short["points"]
    return _priced(short, "points_at_stake", "item", totals, budget, requests, redistribute,
                   ["fiscal_year", "pref_code", "category", "item", "points", "max_points"])


def _priced(rows, gain, key, totals, budget, requests, redistribute, cols) -> pd.DataFrame:
    """``rows`` with the 千円 their ``gain`` column is worth, most valuable first within each prefecture."""
    rows = rows.assign(amount_change_thousand_yen=_gain_values(totals, rows.assign(gain=rows[gain]), budget, requests,
                                                              redistribute))
    return rows[cols + [gain, "amount_change_thousand_yen"]].sort_values(
        ["pref_code", "amount_change_thousand_yen", key], ascending=[True, False, True], ignore_index=True)


def points_to_average(score: pd.Series, average: pd.Series) -> np.ndarray:
    """Whole points needed to reach the national average (0 where already at or above it).

    >>> points_to_average(pd.Series([10, 30]), pd.Series([12.5, 20.0])).tolist()
    [3, 0]
    """
    return np.maximum(np.ceil(average.to_numpy(float) - score.to_numpy(float) - 1e-9), 0).astype("int64")


def category_stakes(scores: pd.DataFrame, budget: int, requests: pd.Series | None,
                    redistribute: bool = False) -> pd.DataFrame:
    """For every prefecture and category below the national average: the points that would raise its
    score rate to the average, and what they would change in 千円 (the prefecture alone).

    >>> category_stakes(r.scores[r.scores.fiscal_year == 2019], 1_000_000, None).iloc[0][["pref_code", "category", "points_to_average"]].to_dict()
    {'pref_code': '01', 'category': 'III', 'points_to_average': 25}
    """
    cats = scores[scores["category"] != "TOTAL"]
    totals = scores[scores["category"] == "TOTAL"].set_index("pref_code")["score"]
    below = cats[cats["score"] < cats["national_average"]].copy()
    below["points_to_average"] = points_to_average(below["score"], below["national_average"])
    return _priced(below[below["points_to_average"] > 0], "points_to_average", "category", totals, budget, requests,
                   redistribute, ["fiscal_year", "pref_code", "category", "score", "max_points", "national_average"])


def municipal_category_stakes(scores: pd.DataFrame, first_insured: pd.Series, budget: int) -> pd.DataFrame:
    """For every municipality and category below the national average (``scores``: one year's and one grant's
    municipal_scores): points to reach it and the change of its 市町村分 grant (score × 第1号被保険者数 share of ``budget``), the others fixed.

    The change is the difference of exact shares rounded once (within 1 千円 of recomputing the whole
    largest-remainder split, which for 1,741 municipalities × 3 categories would take minutes).

    >>> m = r.municipal[r.municipal.fiscal_year == 2019]
    >>> first = r.municipalities_of(2019).set_index("muni_code")["first_insured"]
    >>> stakes = municipal_category_stakes(m, first, 19_000_000)
    >>> bool((stakes.amount_change_thousand_yen >= 0).all()), sorted(set(stakes.category))
    (True, ['I', 'II', 'III'])
    """
    totals = scores[scores["category"] == "TOTAL"].set_index("muni_code")["score"]
    weight = first_insured.reindex(totals.index)
    if weight.isna().any():
        raise ValueError(f"no 第1号被保険者数 for municipalities {list(weight.index[weight.isna()][:5])}")
    cats = scores[scores["category"] != "TOTAL"]
    average = cats.groupby("category")["score"].transform("mean")
    below = cats[cats["score"] < average].assign(national_average=average)
    below["points_to_average"] = points_to_average(below["score"], below["national_average"])
    below = below[below["points_to_average"] > 0].copy()
    w = weight.reindex(below["muni_code"]).to_numpy(dtype=object)
    s = totals.reindex(below["muni_code"]).to_numpy(dtype=object)
    g = below["points_to_average"].to_numpy(dtype=object)
    total = int((totals.clip(lower=0) * weight).sum())
    before = [_round(budget * si * wi, total) for si, wi in zip(s, w)]
    after = [_round(budget * (si + gi) * wi, total + gi * wi) for si, gi, wi in zip(s, g, w)]
    below["amount_change_thousand_yen"] = [a - b for a, b in zip(after, before)]
    cols = ["fiscal_year", "grant", "muni_code", "pref_code", "category", "score", "max_points", "national_average",
            "points_to_average", "amount_change_thousand_yen"]
    return below[cols].sort_values(["muni_code", "category"], ignore_index=True)


def _round(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, in exact integers."""
    return (2 * int(numerator) + int(denominator)) // (2 * int(denominator))
