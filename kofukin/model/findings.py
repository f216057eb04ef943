"""Seed 000's two FY2018 → FY2019 findings recomputed from results (docs/assumptions.md A18, A19): how
many of the best prefectures in the outcome indicators rose in total rank, and whether the spread of
the prefectures' score rates widened."""

import pandas as pd

from kofukin.model.schemas import TOTAL
from kofukin.model.scoring import rank_desc

KEYS = ("outcome_top", "rank_comparison", "spread")     # the configuration's findings: section, every key required
RANK_COMPARISONS = ("years", "weights")
SPREADS = {"std": "標準偏差", "iqr": "四分位範囲", "cv": "変動係数"}


def findings_rules(cfg: dict) -> dict:
    """The configuration's ``findings`` section, checked (its keys are required: ``kofukin.model.config.REQUIRED``).

    >>> findings_rules({"findings": {"outcome_top": 10, "rank_comparison": "years", "spread": "iqr"}})
    {'outcome_top': 10, 'rank_comparison': 'years', 'spread': 'iqr'}
    """
    rules = dict(cfg["findings"])
    unknown = set(rules) - set(KEYS)
    if unknown:
        raise ValueError(f"configuration findings: unknown key(s) {sorted(unknown)}; known: {sorted(KEYS)}")
    if rules["rank_comparison"] not in RANK_COMPARISONS:
        raise ValueError(f"configuration findings.rank_comparison: {rules['rank_comparison']!r}, expected one of {RANK_COMPARISONS}")
    if rules["spread"] not in SPREADS:
        raise ValueError(f"configuration findings.spread: {rules['spread']!r}, expected one of {sorted(SPREADS)}")
    if not (isinstance(rules["outcome_top"], int) and 0 < rules["outcome_top"] <= 47):
        raise ValueError(f"configuration findings.outcome_top: {rules['outcome_top']!r}, expected a whole number 1–47")
    return rules


def outcome_leaders(scores: pd.DataFrame, item_scores: pd.DataFrame, outcome: list[str], year: int, compare_year: int,
                    *, top: int = 10, comparison: str = "years", outcome_share: float | None = None) -> pd.DataFrame:
    """The ``top`` prefectures by outcome points in ``year`` (ties: the higher total score, then the
    code) with their total rank before and after, and whether it rose (a smaller rank number).

    ``comparison="years"``: the rank of ``compare_year`` against the rank of ``year``;
    ``"weights"``: the rank of ``year`` with the outcome points scaled by ``outcome_share`` (20/60)
    against the rank as scored.

    >>> lead = outcome_leaders(r.scores, r.item_scores, ["III-③", "III-④", "III-⑤", "III-⑥"], 2019, 2018)
    >>> len(lead), int(lead["rose"].sum()), int(lead["outcome_points"].iloc[0])
    (10, 9, 60)
    """
    total = scores[scores.category == TOTAL]
    after = total[total.fiscal_year == year].set_index("pref_code")
    points = item_scores[(item_scores.fiscal_year == year) & item_scores["item"].isin(outcome)]
    points = points.groupby("pref_code")["points"].sum().reindex(after.index, fill_value=0)
    if comparison == "years":
        before = total[total.fiscal_year == compare_year].set_index("pref_code")["rank"].reindex(after.index)
    elif comparison == "weights":
        if outcome_share is None:
            raise ValueError("outcome_leaders: comparison 'weights' needs outcome_share (points before / after)")
        before = rank_desc(after["score"] - points * (1 - outcome_share))
    else:
        raise ValueError(f"outcome_leaders: comparison {comparison!r}, expected one of {RANK_COMPARISONS}")
    out = pd.DataFrame({"pref_name": after["pref_name"], "outcome_points": points, "score": after["score"],
                        "rank_before": before, "rank_after": after["rank"]}).rename_axis("pref_code").reset_index()
    out = out.sort_values(["outcome_points", "score", "pref_code"], ascending=[False, False, True]).head(top)
    out["rose"] = out["rank_after"] < out["rank_before"]
    return out.set_index("pref_code")


def score_rate_spread(scores: pd.DataFrame, year: int, measure: str = "std") -> float:
    """The spread of the prefectures' total score rates in ``year``, in percentage points: the standard
    deviation (``std``, n − 1), the interquartile range (``iqr``), or the coefficient of variation
    (``cv``, in % of the mean).

    >>> s = pd.DataFrame({"fiscal_year": 2019, "category": "TOTAL", "score_rate": [0.7, 0.8, 0.9]})
    >>> round(score_rate_spread(s, 2019), 6), round(score_rate_spread(s, 2019, "cv"), 4)
    (10.0, 12.5)
    """
    rates = 100 * scores[(scores.fiscal_year == year) & (scores.category == TOTAL)]["score_rate"]
    if measure == "std":
        return float(rates.std())
    if measure == "iqr":
        return float(rates.quantile(0.75) - rates.quantile(0.25))
    if measure == "cv":
        return float(100 * rates.std() / rates.mean())
    raise ValueError(f"score_rate_spread: measure {measure!r}, expected one of {sorted(SPREADS)}")
