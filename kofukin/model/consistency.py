"""Cross-checks: the seeds against their own arithmetic, and built results against the seeds."""

import pandas as pd

from kofukin.model.catalogue import items_of, outcome_items, penalty_items
from kofukin.model.findings import outcome_leaders, score_rate_spread
from kofukin.model.published import published_values
from kofukin.model.schemas import MUNI_CATEGORIES, TOTAL, of_grant

ROUND_1 = 0.05 + 1e-9      # a figure printed to 0.1
ROUND_0 = 0.5 + 1e-9       # a figure printed as a whole number


class Checks:
    """Collects rows of the source_consistency table.

    >>> c = Checks()
    >>> c.add("sum", "example", published=10, computed=10.04, tolerance=0.05)
    >>> c.frame()[["check", "difference", "consistent"]].to_dict("records")
    [{'check': 'sum', 'difference': 0.04, 'consistent': True}]
    """

    def __init__(self):
        self.rows = []

    def add(self, check, scope, published, computed, tolerance, note="", at_most=False):
        """Record one check: consistent when ``computed`` is within ``tolerance`` of ``published`` (with
        ``at_most``: when it exceeds ``published`` by at most ``tolerance``).

        >>> c = Checks(); c.add("mean", "2019 prefecture I", 99.3, 99.26, 0.05); c.rows[0]["consistent"]
        True
        >>> c.add("change", "spread", 0, -1.5, 0, at_most=True); c.add("change", "spread", 0, 0.2, 0, at_most=True)
        >>> [row["consistent"] for row in c.rows]
        [True, True, False]
        """
        diff = None if published is None else round(float(computed) - float(published), 6)
        ok = diff is not None and (diff <= tolerance if at_most else abs(diff) <= tolerance)
        self.rows.append({"check": check, "scope": scope, "published": published, "computed": round(float(computed), 6),
                          "difference": diff, "consistent": ok, "note": note or None})

    def frame(self) -> pd.DataFrame:
        """The checks as the source_consistency table.

        >>> list(Checks().frame().columns)[:3]
        ['check', 'scope', 'published']
        """
        return pd.DataFrame(self.rows, columns=["check", "scope", "published", "computed", "difference", "consistent", "note"])


def seed_checks(checks: Checks, catalogues: dict, municipal_categories, figures, frame, frame_year: int,
                n_prefectures: int) -> None:
    """Every arithmetic identity the published figures allow, checked on them alone: each configured
    year's catalogue, the municipal category tables, the FY2018/FY2019 facts of seed 000 and the
    budget frame of ``frame_year`` (``allocation.frame``: seed 001's FY2025 frame).

    >>> c = Checks()
    >>> seed_checks(c, src["catalogues"], src["municipal_categories"], src["figures"], src["frame"], 2025, 47)
    >>> c.frame().query("not consistent")["scope"].tolist()
    ['2019 prefecture II-5']
    """
    for year, (items, categories) in sorted(catalogues.items()):
        for grant in categories["grant"].unique():
            _catalogue_checks(checks, _prefecture_scope(categories, year, grant), year, items_of(items, grant),
                              of_grant(categories, grant), figures, n_prefectures)
    for (year, grant), rows in municipal_categories.groupby(["fiscal_year", "grant"], sort=True):
        cat = rows.set_index("category")
        scope = _municipal_scope(municipal_categories, year, grant)
        parts = cat.drop(index=TOTAL, errors="ignore")
        if TOTAL not in cat.index:
            continue
        row = cat.loc[TOTAL]
        if len(parts):
            # FY2023's averages have two decimals: their sum is within 0.005 × parts of the total's
            tol = ROUND_1 if all(float(v * 10).is_integer() for v in cat["national_average"]) else 0.005 * (len(parts) + 1)
            checks.add("category_max_sum_vs_total", scope, row.max_points, parts["max_points"].sum(), 0)
            checks.add("category_average_sum_vs_total", scope, row.national_average, parts["national_average"].sum(), tol)
        if pd.notna(row.score_rate_pct):
            checks.add("average_over_max_vs_score_rate", f"{scope} TOTAL", row.score_rate_pct,
                       100 * row.national_average / row.max_points, ROUND_1)
    if _has(figures, 2018, "prefecture", "score_rate_pct"):
        checks.add("average_over_max_vs_score_rate", "2018 prefecture TOTAL",
                   _fig(figures, 2018, "prefecture", "score_rate_pct"),
                   100 * _fig(figures, 2018, "prefecture", "average_score") / _fig(figures, 2018, "prefecture", "max_points"),
                   ROUND_1)
    _budget_checks(checks, frame, figures, frame_year)


def _catalogue_checks(checks: Checks, scope: str, year: int, items, categories, figures, n_prefectures: int) -> None:
    """One grant's catalogue of ``year`` against its category table (``scope``: ``2019 prefecture``)."""
    cat = categories.set_index("category")
    for code, group in items.groupby("category", sort=False):
        checks.add("item_max_sum_vs_category_max", f"{scope} {code}", cat.at[code, "max_points"],
                   group["max_points"].sum(), 0)
        slack = 0.05 * len(group) + ROUND_1
        note = "" if abs(group["national_average"].sum() - cat.at[code, "national_average"]) <= slack else \
            "item averages cannot round to the category average"
        checks.add("item_average_sum_vs_category_average", f"{scope} {code}", cat.at[code, "national_average"],
                   group["national_average"].sum(), slack, note)
    for code, row in cat.iterrows():
        checks.add("average_over_max_vs_score_rate", f"{scope} {code}", row.score_rate_pct,
                   100 * row.national_average / row.max_points, ROUND_1)
    body = cat.drop(index=TOTAL)
    checks.add("category_max_sum_vs_total", scope, cat.at[TOTAL, "max_points"], body["max_points"].sum(), 0)
    checks.add("category_average_sum_vs_total", scope, cat.at[TOTAL, "national_average"],
               body["national_average"].sum(), ROUND_1)
    if year == 2019 and {"II-2A", "II-2B"} <= set(body.index):               # seed 000's own statements about FY2019
        checks.add("care_and_prevention_max", "2019 prefecture II-2A+II-2B", 125,
                   body.loc[["II-2A", "II-2B"], "max_points"].sum(), 0, "seed 000 p.3 lists (2)地域ケア・予防(125点)")
    penalty = items[items.rule == "penalty"]
    if len(penalty) == 1 and _has(figures, year, "prefecture", "penalty_prefectures"):
        n_pref = _fig(figures, year, "prefecture", "penalty_prefectures")
        checks.add("penalty_average_vs_count", f"{scope} {penalty.item.iloc[0]}", penalty.national_average.iloc[0],
                   penalty.levels.iloc[0][0] * n_pref / n_prefectures, 0.005)


def _budget_checks(checks: Checks, frame, figures, year: int) -> None:
    """The frame's pots against the published budgets of ``year``: per grant and level (千円), and per pot,
    per grant and in all (億円); a figure not published for ``year`` is not checked."""
    oku = 100_000  # 千円 per 億円
    for (grant, level), pots in frame.groupby(["grant", "level"], sort=False):
        if _has(figures, year, f"{grant}_{level}", "budget"):
            checks.add("pots_vs_budget", f"{year} {grant} {level}", _fig(figures, year, f"{grant}_{level}", "budget"),
                       pots["amount_thousand_yen"].sum(), 0)
    for column, level in [("pot", f"all_{p}") for p in frame["pot"].unique()] + [("grant", g) for g in frame["grant"].unique()]:
        rows = figures[(figures.fiscal_year == year) & (figures.level == level)]
        if len(rows):
            row, part = rows.iloc[0], level.removeprefix("all_")
            checks.add("pots_vs_published_total", f"{year} {part} (億円)", row.value,
                       frame.loc[frame[column] == part, "amount_thousand_yen"].sum() / oku, 0.5 if row.approximate else 0,
                       "約" if row.approximate else "")
    if _has(figures, year, "all", "budget_total"):
        checks.add("pots_vs_published_total", f"{year} all (億円)", _fig(figures, year, "all", "budget_total"),
                   frame["amount_thousand_yen"].sum() / oku, 0.5, "約")


def result_checks(checks: Checks, catalogues: dict, municipal_categories, figures,
                  item_scores, pref_scores, muni_scores, findings: dict, outcome_category: str) -> None:
    """The built results against every published aggregate (the back test); ``findings`` defines
    how seed 000's findings are recomputed (``findings_rules``), ``outcome_category`` which category holds
    the outcome indicators (``scoring.outcome_category``).

    >>> from kofukin.model.findings import findings_rules
    >>> c = Checks()
    >>> items = pd.concat([r.item_scores])
    >>> result_checks(c, src["catalogues"], src["municipal_categories"], src["figures"], items, r.scores, r.municipal, findings_rules(cfg), "III")
    >>> int(c.frame()["consistent"].sum()) > 90, c.frame().query("check == 'outcome_top_rank_up'")["computed"].tolist()
    (True, [9.0])
    """
    for (year, grant), scored in item_scores.groupby(["fiscal_year", "grant"], sort=True):
        items, categories = catalogues[year]
        scope = _prefecture_scope(categories, year, grant)
        items, categories = items_of(items, grant), of_grant(categories, grant)
        means = scored.groupby("item")["points"].mean()
        for item in items.itertuples(index=False):
            tol = 0.005 if item.rule == "penalty" else ROUND_1
            checks.add("mean_vs_published_average", f"{scope} item {item.item}", item.national_average,
                       means[item.item], tol)
        cat_means = pref_scores[(pref_scores.fiscal_year == year) & (pref_scores.grant == grant)].groupby("category")["score"].mean()
        for row in categories.itertuples(index=False):
            checks.add("mean_vs_published_average", f"{scope} {row.category}", row.national_average,
                       cat_means[row.category], ROUND_1)
        penalty = penalty_items(items)
        if len(penalty) and _has(figures, year, "prefecture", "penalty_prefectures"):
            penalised = scored[scored.item.isin(penalty) & (scored.points < 0)]
            checks.add("penalty_item_count", f"{scope} {'/'.join(penalty)}",
                       _fig(figures, year, "prefecture", "penalty_prefectures"), len(penalised), 0)
    muni = municipal_categories.set_index(["fiscal_year", "grant", "category"])
    for (year, grant), scored in muni_scores.groupby(["fiscal_year", "grant"], sort=True):
        got = scored.groupby("category")["score"].mean()
        scope = _municipal_scope(municipal_categories, year, grant)
        for cat in [c for c in MUNI_CATEGORIES + [TOTAL] if (year, grant, c) in muni.index]:
            published = float(muni.at[(year, grant, cat), "national_average"])
            checks.add("mean_vs_published_average", f"{scope} {cat}", published, got[cat], _rounding(published))
        totals = scored[scored.category == TOTAL]
        if totals.penalty_level.isna().all():
            continue                  # no penalty rule for this grant (its catalogue has no penalty item) or year
        flagged = totals[totals.penalty_level.fillna(False).astype(bool)]
        if _has(figures, year, "municipal", "penalty_municipalities"):
            checks.add("penalty_level_count", f"{year} municipal",
                       _fig(figures, year, "municipal", "penalty_municipalities"), len(flagged), 0)
        if _has(figures, year, "prefecture", "penalty_prefectures"):
            checks.add("penalty_level_count", f"{year} prefecture", _fig(figures, year, "prefecture", "penalty_prefectures"),
                       flagged.pref_code.nunique(), 0)
    # seed 000's FY2018 facts and findings are of its one grant
    item_scores, pref_scores = of_grant(item_scores), of_grant(pref_scores)
    tot18 = pref_scores[(pref_scores.fiscal_year == 2018) & (pref_scores.category == TOTAL)].set_index("pref_code")
    if len(tot18):
        checks.add("mean_vs_published_average", "2018 prefecture TOTAL", _fig(figures, 2018, "prefecture", "average_score"),
                   tot18["score"].mean(), ROUND_0)
        for code, value in published_values(figures, 2018, "prefecture", "score").items():
            checks.add("score_vs_published", f"2018 prefecture {code}", value, tot18.at[code, "score"], 0)
        for code, value in published_values(figures, 2018, "prefecture", "lowest_score").items():
            checks.add("score_vs_published", f"2018 prefecture {code} (lowest)", value, tot18["score"].min(), 0,
                       "lowest is this prefecture" if tot18["score"].idxmin() == code else "another prefecture is lowest")
    tot = muni_scores[(muni_scores.fiscal_year == 2018) & (muni_scores.category == TOTAL)]
    if len(tot):
        by_pref = tot.groupby("pref_code")["score"].mean()
        for metric, pick in (("highest_prefecture_average", by_pref.idxmax()), ("lowest_prefecture_average", by_pref.idxmin())):
            for code, value in published_values(figures, 2018, "municipal", metric).items():
                checks.add("prefecture_average_vs_published", f"2018 municipal {code}", value, by_pref[code], ROUND_1,
                           f"{metric}: {'yes' if pick == code else 'no, ' + pick}")
    _finding_checks(checks, catalogues, figures, item_scores, pref_scores, findings, outcome_category)


def _finding_checks(checks: Checks, catalogues: dict, figures, item_scores, pref_scores, rules: dict,
                    outcome_category: str) -> None:
    """Seed 000's findings on the outcome leaders' ranks and on the spread of score rates (A18, A19)."""
    years = set(pref_scores[pref_scores.category == TOTAL].fiscal_year)
    for year in sorted(y for y in years if y - 1 in years):
        before = year - 1
        if _has(figures, year, "prefecture", "outcome_top10_rank_up") and year in catalogues:
            share = (_fig(figures, before, "prefecture", "outcome_points") / _fig(figures, year, "prefecture", "outcome_points")
                     if _has(figures, before, "prefecture", "outcome_points") and _has(figures, year, "prefecture", "outcome_points")
                     else None)
            lead = outcome_leaders(pref_scores, item_scores, outcome_items(catalogues[year][0], outcome_category), year, before,
                                   top=rules["outcome_top"], comparison=rules["rank_comparison"], outcome_share=share)
            checks.add("outcome_top_rank_up", f"{before}→{year} prefecture top {rules['outcome_top']} by outcome points",
                       _fig(figures, year, "prefecture", "outcome_top10_rank_up"), lead["rose"].sum(), 0,
                       f"total rank rose ({rules['rank_comparison']}); ties in outcome points by total score (A18)")
        if _has(figures, year, "prefecture", "score_spread_change_at_most"):
            change = score_rate_spread(pref_scores, year, rules["spread"]) - score_rate_spread(pref_scores, before, rules["spread"])
            checks.add("score_spread_change", f"{before}→{year} prefecture TOTAL score rate ({rules['spread']})",
                       _fig(figures, year, "prefecture", "score_spread_change_at_most"), change, 1e-9,
                       f"得点のばらつきは拡大しなかった: the {rules['spread']} of the score rates changed by at most 0 (A19)",
                       at_most=True)


def _prefecture_scope(categories, year: int, grant: str) -> str:
    """``2019 prefecture``; ``2099 prefecture support`` where the year's categories are of two grants.

    >>> _prefecture_scope(pd.DataFrame({"grant": ["promotion", "support"]}), 2099, "support")
    '2099 prefecture support'
    """
    return f"{year} prefecture {grant}" if categories["grant"].nunique() > 1 else f"{year} prefecture"


def _municipal_scope(municipal_categories, year: int, grant: str) -> str:
    """``2019 municipal``; ``2023 municipal support`` where the year has two grants."""
    two = municipal_categories.loc[municipal_categories.fiscal_year == year, "grant"].nunique() > 1
    return f"{year} municipal {grant}" if two else f"{year} municipal"


def _rounding(published: float) -> float:
    """Half a unit of the published figure's last decimal (411 → 0.5, 428.6 → 0.05, 742.94 → 0.005), plus float slack.

    >>> [round(_rounding(v), 9) for v in (411.0, 428.6, 742.94)]
    [0.500000001, 0.050000001, 0.005000001]
    """
    decimals = next(d for d in range(6) if abs(round(published, d) - published) < 1e-9)
    return 0.5 * 10 ** -decimals + 1e-9


def _has(figures, year, level, metric) -> bool:
    return len(published_values(figures, year, level, metric)) == 1


def _fig(figures, year, level, metric) -> float:
    values = published_values(figures, year, level, metric)
    if len(values) != 1:
        raise ValueError(f"published figures: expected one value of {year} {level} {metric}, found {len(values)}")
    return float(values.iloc[0])
