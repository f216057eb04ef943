"""Numeric figures derived from a Report for charts and tables (English columns, numbers, no display text)."""

import pandas as pd

from kofukin.model.catalogue import outcome_items, penalty_items
from kofukin.model.schemas import TOTAL
from kofukin.report.data import Report


def rank_changes(r: Report) -> pd.DataFrame:
    """Per prefecture: total, score rate and rank in both years (numeric, for charts and tables).

    >>> t = rank_changes(r)
    >>> list(t.columns)
    ['pref_name', 'score_before', 'rate_before', 'rank_before', 'score_after', 'rate_after', 'rank_after', 'rank_change', 'outcome_points']
    >>> t.loc["13", ["score_before", "rank_before", "score_after", "rank_after", "rank_change"]].tolist()
    [730, 1, 616, 14, -13]
    """
    t = r.scores[r.scores.category == TOTAL]
    before = t[t.fiscal_year == r.compare_year].set_index("pref_code")
    after = t[t.fiscal_year == r.year].set_index("pref_code")
    out = pd.DataFrame({"pref_name": after["pref_name"], "score_before": before["score"], "rate_before": before["score_rate"],
                        "rank_before": before["rank"], "score_after": after["score"], "rate_after": after["score_rate"],
                        "rank_after": after["rank"]})
    out["rank_change"] = out["rank_before"] - out["rank_after"]          # positive = moved up
    outcome = r.item_scores[r.item_scores.item.isin(outcome_items(r.items, r.scoring.outcome_category))]
    outcome = outcome.groupby("pref_code")["points"].sum()
    out["outcome_points"] = outcome.reindex(out.index).fillna(0).astype(int)
    return out


def published_rates(r: Report) -> pd.DataFrame:
    """Score rates (%) the seed publishes for both years: overall and raised-hurdle items, by level.

    >>> published_rates(r)["label"].tolist()[:2]
    ['都道府県分 全体', '市町村分 全体']
    """
    pub = r.figures.set_index(["fiscal_year", "level", "metric"])["value"]
    muni = r.municipal_categories.set_index(["fiscal_year", "category"])["score_rate_pct"]
    needed = [(y, lv, "raised_hurdle_score_rate_pct") for y in (r.compare_year, r.year) for lv in ("prefecture", "municipal")]
    if not all(k in pub.index for k in needed + [(r.compare_year, "prefecture", "score_rate_pct")]):
        return pd.DataFrame(columns=["label", "before", "after"])
    rows = [("都道府県分 全体", pub[(r.compare_year, "prefecture", "score_rate_pct")],
             r.categories.set_index("category").at[TOTAL, "score_rate_pct"]),
            ("市町村分 全体", muni[(r.compare_year, TOTAL)], muni[(r.year, TOTAL)])]
    for level, label in (("prefecture", "都道府県分"), ("municipal", "市町村分")):
        rows.append((f"{label} ハードルを上げた指標", pub[(r.compare_year, level, "raised_hurdle_score_rate_pct")],
                     pub[(r.year, level, "raised_hurdle_score_rate_pct")]))
    return pd.DataFrame(rows, columns=["label", "before", "after"])


def map_figures(r: Report) -> pd.DataFrame:
    """Per prefecture (indexed by pref_code), the figures the maps show: score rate (%), rank, grant per
    first-insured person (円), and the change of the score rate since the comparison year (points).

    >>> m = map_figures(r)
    >>> list(m.columns)
    ['pref_name', 'score_rate_pct', 'rank', 'yen_per_first_insured', 'rate_change_points']
    >>> m.loc["13"].to_dict()
    {'pref_name': '東京都', 'score_rate_pct': 83.1309, 'rank': 14, 'yen_per_first_insured': 5.603079640343568, 'rate_change_points': -16.869100000000003}
    """
    now = r.scores_of(r.year, TOTAL).set_index("pref_code")
    before = r.scores_of(r.compare_year, TOTAL).set_index("pref_code")
    first = r.municipalities_of(r.year).groupby("pref_code")["first_insured"].sum()
    amount = r.allocation.set_index("pref_code")["amount_thousand_yen"]
    return pd.DataFrame({
        "pref_name": now["pref_name"], "score_rate_pct": 100 * now["score_rate"], "rank": now["rank"],
        "yen_per_first_insured": 1000 * amount.reindex(now.index) / first.reindex(now.index),
        "rate_change_points": 100 * (now["score_rate"] - before["score_rate"].reindex(now.index)),
    })


def national_summary(r: Report) -> dict:
    """The report year's maximum, published national average and score rate, and the average of the data's totals.

    >>> s = national_summary(r)
    >>> s["max_points"], s["published_average"], round(s["computed_average"], 1)
    (741, 584.3, 582.2)
    """
    total = r.categories.set_index("category").loc[TOTAL]
    return {"max_points": int(total.max_points), "published_average": float(total.national_average),
            "published_rate_pct": float(total.score_rate_pct), "computed_average": float(r.scores_of(r.year, TOTAL)["score"].mean())}


def municipal_summary(r: Report, year: int) -> dict:
    """The municipalities of one year: how many, their maximum and average total, and how many scored at most
    the penalty rate (約3割) in how many prefectures.

    >>> s = municipal_summary(r, 2019)
    >>> s["municipalities"], s["max_points"], s["penalty_municipalities"], s["penalty_prefectures"]
    (1741, 692, 22, 4)
    """
    m = r.municipal[(r.municipal.fiscal_year == year) & (r.municipal.category == TOTAL)]
    return {"municipalities": len(m), "max_points": int(m["max_points"].iloc[0]), "average": float(m["score"].mean()),
            "penalty_municipalities": int(m["penalty_level"].sum()),
            "penalty_prefectures": int(m.loc[m.penalty_level, "pref_code"].nunique())}


NO_RULE = ""      # penalty_item where penalty_level is blank: the year has no penalty rule


def penalty_item(items: pd.DataFrame, levels: pd.Series) -> str | None:
    """The prefectural item that one grant's municipalities at or below the penalty threshold cost their prefecture
    (``items``: that grant's catalogue, rule ``penalty``; ``levels``: the municipalities' penalty_level): 'III-②';
    None where the grant's catalogue has no such item (its pages say nothing of a penalty); NO_RULE ("") where
    the levels are blank (the year has no penalty rule).

    >>> penalty_item(r.items, r.municipal["penalty_level"]), penalty_item(r.items[r.items.rule != "penalty"], r.municipal["penalty_level"])
    ('III-②', None)
    >>> penalty_item(r.items, pd.Series([pd.NA, pd.NA], dtype="boolean")) == NO_RULE
    True
    """
    found = penalty_items(items)
    if len(items) and not found:
        return None
    if len(levels) and levels.isna().all():
        return NO_RULE
    return found[0] if found else None


def penalty_of(r: Report) -> str | None:
    """The penalty item of the Report's grant in its report year (``penalty_item``): None for a grant without one.

    >>> penalty_of(r), [penalty_of(x) for x in rs2]
    ('III-②', ['III-②', None])
    """
    return penalty_item(r.items, r.municipal.loc[r.municipal.fiscal_year == r.year, "penalty_level"])


def municipal_grants(rs: list[Report], year: int) -> pd.DataFrame:
    """Per prefecture (indexed by pref_code) and grant of ``rs`` (a Report each): how many municipalities, their
    average total and score rate, their 市町村分 (千円); and of all grants the 市町村分 and its yen per first-insured
    person; the last row, ``TOTAL``, the nation's.

    >>> t = municipal_grants(rs2, 2099)
    >>> t.loc["31", ["municipalities", "amount_promotion", "amount_support", "amount"]].tolist()
    [19, 89256, 65174, 154430]
    >>> t.loc[TOTAL, ["amount_promotion", "amount_support"]].tolist()
    [20000000, 15000000]
    """
    def of(df: pd.DataFrame, column: str, how: str) -> pd.Series:       # each prefecture's, then the nation's
        return pd.concat([df.groupby("pref_code")[column].agg(how), pd.Series({TOTAL: df[column].agg(how)})])

    out = {}
    for r in rs:
        m = r.municipal[(r.municipal.fiscal_year == year) & (r.municipal.category == TOTAL)]
        a = r.municipal_allocation[r.municipal_allocation.fiscal_year == year]
        out |= {f"score_{r.grant}": of(m, "score", "mean"), f"rate_{r.grant}": of(m, "score_rate", "mean"),
                f"amount_{r.grant}": of(a, "amount_thousand_yen", "sum")}
    out = pd.DataFrame(out).assign(municipalities=of(a, "muni_code", "size"), first_insured=of(a, "first_insured", "sum"))
    out["amount"] = out[[f"amount_{r.grant}" for r in rs]].sum(axis=1)
    out["yen_per_first_insured"] = 1000 * out["amount"] / out["first_insured"]
    return out
