"""Deterministic synthetic results (合成データ) calibrated to the published aggregates.

Per-prefecture and per-municipality results of FY2018/FY2019 were never published. These stand-ins
reproduce every published national figure (see docs/assumptions.md A1) and are flagged
``synthetic`` in every table; municipalities get plainly synthetic codes (S + prefecture + serial)
and names (合成市町村).
"""

import math

import numpy as np
import pandas as pd

from kofukin.model.allocation import allocate
from kofukin.model.catalogue import municipal_maxima, outcome_items
from kofukin.model.config import prefecture_budget, scoring_rules, year_grants
from kofukin.model.published import required_values
from kofukin.model.schemas import MUNI_CATEGORIES, DEFAULT_GRANT, TOTAL
from kofukin.model.scoring import score_municipalities, score_prefecture_items, threshold_score



def stand_in_years(cfg: dict) -> tuple[int, int]:
    """The years the stand-ins reproduce (``synthetic.years``): the first known by totals, the second by items.

    >>> stand_in_years(cfg)
    (2018, 2019)
    """
    before, year = (int(y) for y in cfg["synthetic"]["years"])
    return before, year


def coverage(cfg: dict) -> dict[str, set[int]]:
    """What the stand-ins cover: the years of each input table.

    >>> coverage(cfg)["prefecture_total_results"], coverage(cfg)["municipalities"]
    ({2018}, {2018, 2019})
    """
    before, year = stand_in_years(cfg)
    return {"municipalities": {before, year}, "municipal_category_results": {before, year},
            "prefecture_item_results": {year}, "prefecture_total_results": {before}, "prefecture_requests": {year}}


def synthetic_coverage(cfg: dict, municipal_categories: pd.DataFrame) -> dict[str, set[int]]:
    """The years per input table the stand-ins cover with this configuration: ``coverage``, and the
    municipal tables of every year of ``category_years``.

    >>> synthetic_coverage(cfg, src["municipal_categories"])["municipalities"]
    {2018, 2019, 2023}
    """
    later = set(category_years(cfg, municipal_categories))
    return {name: years | later if name in ("municipalities", "municipal_category_results") else years
            for name, years in coverage(cfg).items()}


def _penalty_counts(municipalities: int, prefectures: int) -> list[int]:
    """Split the penalty-level municipalities over their prefectures, unevenly, at least one each."""
    weights = pd.Series(range(prefectures, 0, -1), dtype="int64")
    return list(allocate(weights, municipalities - prefectures) + 1)


def _item_target_sum(levels: tuple[int, ...], average: float, n: int) -> int:
    """The attainable sum of ``n`` entities' points whose mean is closest to the published ``average``."""
    step = math.gcd(*[b - a for a, b in zip(levels, levels[1:])])
    lo, hi = levels[0] * n, levels[-1] * n
    best = lo + round((average * n - lo) / step) * step
    best = min(max(best, lo), hi)
    if abs(best / n - average) > 0.05 + 1e-9:
        raise ValueError(f"no sum of {n} entities with levels {levels} has a mean that rounds to {average}")
    return best


def _spread_levels(keys: np.ndarray, units: int, top_level: int) -> np.ndarray:
    """Level indexes summing to ``units``, higher levels to higher ``keys``, as even as possible."""
    n = len(keys)
    if not 0 <= units <= n * top_level:
        raise ValueError(f"cannot spread {units} level units over {n} entities of at most {top_level}")
    base, rem = divmod(units, n)
    out = np.full(n, base, dtype="int64")
    out[np.argsort(-keys, kind="stable")[:rem]] += 1
    return out


def _shift_to_sum(values: np.ndarray, target: int, lo: np.ndarray, hi: np.ndarray,
                 movable: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Move integer ``values`` by ±1 steps among ``movable`` entries, within [lo, hi], until they sum to ``target``."""
    values = values.copy()
    while (delta := int(target - values.sum())) != 0:
        room = movable & ((values < hi) if delta > 0 else (values > lo))
        candidates = np.flatnonzero(room)
        if not len(candidates):
            raise ValueError(f"cannot reach sum {target}: no room left (at {values.sum()})")
        pick = rng.choice(candidates, size=min(abs(delta), len(candidates)), replace=False)
        values[pick] += 1 if delta > 0 else -1
    return values


def municipalities(prefectures: pd.DataFrame, cfg: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Synthetic municipalities: real per-prefecture counts and population totals, invented splits.

    >>> m = municipalities(src["prefectures"].head(2), cfg, np.random.default_rng(1))
    >>> len(m), m.muni_code.iloc[0], bool(m.synthetic.all())
    (219, 'S01001', True)
    """
    rows = []
    for pref in prefectures.itertuples(index=False):
        n = int(pref.municipalities_2019)
        weights = pd.Series(rng.lognormal(0, 1.3, n))
        floor = 300
        pop = allocate(weights, int(pref.population_2020_census) - floor * n) + floor
        ageing = pd.Series(np.exp(rng.normal(0, 0.15, n)))
        first = allocate(pd.Series(pop.to_numpy() * ageing.to_numpy()),
                         round(int(pref.population_2020_census) * cfg["synthetic"]["first_insured_ratio"]))
        for k in range(n):
            rows.append((f"S{pref.pref_code}{k + 1:03d}", f"合成市町村{pref.pref_code}-{k + 1:03d}", pref.pref_code,
                         int(pop.iloc[k]), int(first.iloc[k])))
    out = pd.DataFrame(rows, columns=["muni_code", "muni_name", "pref_code", "population", "first_insured"])
    out["synthetic"] = True
    return out


def _municipal_year(effect, maxima, mean_rate, penalty_munis, threshold, rng):
    """First draw of one year's municipal category scores (int array, columns I/II/III)."""
    n = len(effect)
    max_arr = np.array([maxima[c] for c in MUNI_CATEGORIES])
    rate = mean_rate[None, :] + effect[:, None] + rng.normal(0, 0.07, (n, 3))
    scores = np.clip(np.rint(np.clip(rate, 0.12, 1.0) * max_arr), 0, max_arr).astype("int64")
    cut = threshold_score(threshold, sum(maxima.values()))
    pen = np.zeros(n, bool)
    pen[penalty_munis] = True
    low = rng.uniform(0.15, threshold - 0.02, pen.sum())
    scores[pen] = np.floor(low[:, None] * max_arr).astype("int64")
    lifted = ~pen & (scores.sum(1) <= cut + 5)
    scores[lifted, 1] += cut + 6 - scores[lifted].sum(1)
    return scores, pen


def _shift_column(scores, rows, col, target, maxima, threshold, rng):
    """Shift column ``col`` of the ``rows`` (bool mask, all movable) so their total score is ``target``.

    Totals never drop to the penalty level and categories stay within their maxima.
    """
    cut = threshold_score(threshold, sum(maxima.values()))
    sub = scores[rows].copy()
    col_target = target - (sub.sum() - sub[:, col].sum())
    lo = np.minimum(np.maximum(cut + 1 - (sub.sum(1) - sub[:, col]), 0), sub[:, col])
    hi = np.full(len(sub), maxima[MUNI_CATEGORIES[col]])
    sub[:, col] = _shift_to_sum(sub[:, col], col_target, lo, hi, np.ones(len(sub), bool), rng)
    scores = scores.copy()
    scores[rows] = sub
    return scores


def _long(munis, scores, year, grant=DEFAULT_GRANT):
    frame = pd.DataFrame(scores, columns=MUNI_CATEGORIES)
    frame["muni_code"] = munis["muni_code"].to_numpy()
    frame["pref_code"] = munis["pref_code"].to_numpy()
    long = frame.melt(id_vars=["muni_code", "pref_code"], var_name="category", value_name="score")
    long.insert(0, "fiscal_year", year)
    long.insert(1, "grant", grant)
    long["synthetic"] = True
    return long.sort_values(["fiscal_year", "muni_code", "category"], ignore_index=True)


def category_years(cfg: dict, municipal_categories: pd.DataFrame) -> list[int]:
    """Configured years besides the stand-ins' (``stand_in_years``) known by their municipal category averages alone (FY2023):
    every grant the year scores has published I/II/III averages and maxima. Synthetic municipal results
    reproduce them (``municipal_by_category``).

    >>> category_years(cfg, src["municipal_categories"])
    [2023]
    """
    have = municipal_categories.groupby(["fiscal_year", "grant"])["category"].apply(set)
    return [y for y in sorted(cfg["years"]) if y not in stand_in_years(cfg) and
            all(set(MUNI_CATEGORIES) <= have.get((y, g), set()) for g in year_grants(cfg, y))]


def municipal_by_category(cfg: dict, year: int, rate_before: np.ndarray, municipal_categories: pd.DataFrame,
                          munis: pd.DataFrame) -> pd.DataFrame:
    """One year's synthetic municipal category scores of every grant it scores, each category's national
    mean equal to the published average to its last decimal (A30): a municipality's standing follows its
    FY2019 score rate (measured correlation of total rates 0.68 推進, 0.64 支援) and is shared by the year's
    grants (0.69), with noise per grant and category. Its own random stream: FY2018/FY2019 stay as they were.

    >>> rate19 = np.linspace(0.3, 0.9, 200)
    >>> m = municipal_by_category(cfg, 2023, rate19, src["municipal_categories"], pd.DataFrame({"muni_code": [f"S01{i:03d}" for i in range(200)], "pref_code": "01"}))
    >>> m.groupby(["grant", "category"])["score"].mean().round(2).tolist()
    [84.18, 557.58, 101.18, 19.93, 376.28, 16.71]
    """
    rng = np.random.default_rng([cfg["synthetic"]["seed"], year])
    n = len(munis)
    z = (rate_before - rate_before.mean()) / rate_before.std()
    common = 0.8 * z + 0.6 * rng.normal(0, 1, n)
    pub = municipal_categories[municipal_categories.fiscal_year == year].set_index(["grant", "category"])
    out = []
    for grant in year_grants(cfg, year):
        standing = 0.9 * common + 0.44 * rng.normal(0, 1, n)
        scores = np.zeros((n, len(MUNI_CATEGORIES)), dtype="int64")
        for col, c in enumerate(MUNI_CATEGORIES):
            top, average = int(pub.at[(grant, c), "max_points"]), float(pub.at[(grant, c), "national_average"])
            rate = average / top + 0.09 * (0.9 * standing + 0.44 * rng.normal(0, 1, n))
            first = np.rint(np.clip(rate, 0.05, 1.0) * top).astype("int64")
            scores[:, col] = _shift_to_sum(first, round(average * n), np.zeros(n, "int64"), np.full(n, top),
                                           np.ones(n, bool), rng)
        out.append(_long(munis, scores, year, grant))
    return pd.concat(out, ignore_index=True)


def _pick_penalty(munis, prefs_pool, counts, rng):
    prefs = list(rng.choice(prefs_pool, size=len(counts), replace=False))
    idx = []
    for pref, k in zip(prefs, counts):
        inside = np.flatnonzero(munis["pref_code"].eq(pref).to_numpy())
        idx += list(rng.choice(inside, size=k, replace=False))
    return sorted(prefs), np.array(sorted(idx))


def generate(cfg: dict, items: pd.DataFrame, prefectures: pd.DataFrame,
             municipal_categories: pd.DataFrame, figures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """All synthetic input tables, byte-identical for the same configuration and raw data.

    Calibration to seed 000's findings (docs/assumptions.md A18, A19, A28): each item of the second year ranks
    the prefectures by ability + noise (``synthetic.item_noise``), so that items are only loosely correlated
    and the score rates spread no wider than in the first year; the first year's score rates spread around
    their mean by ``synthetic.totals_spread`` of the standard score of the second year without its extra
    outcome points, plus noise (``synthetic.totals_noise``). With these, 9 of the 10 outcome leaders rise
    in rank and the spread does not widen.

    >>> out = generate(cfg, src["catalogues"][2019][0], src["prefectures"], src["municipal_categories"], src["figures"])
    >>> sorted(out), out["municipalities"].groupby("fiscal_year").size().to_dict()
    (['municipal_category_results', 'municipalities', 'prefecture_item_results', 'prefecture_requests', 'prefecture_total_results'], {2018: 1741, 2019: 1741, 2023: 1741})
    """
    rng = np.random.default_rng(cfg["synthetic"]["seed"])
    rules = scoring_rules(cfg)
    y18, y19 = stand_in_years(cfg)
    prefs = prefectures.sort_values("pref_code", ignore_index=True)
    codes = prefs["pref_code"].to_numpy()
    munis = municipalities(prefs, cfg, rng)
    n_muni = len(munis)
    pub = municipal_categories.set_index(["fiscal_year", "category"])

    # FY2019 municipal: category averages I/II/III of seed 000 p.17; 22 penalty-level in 4 prefectures.
    max19 = {c: int(pub.loc[(y19, c), "max_points"]) for c in MUNI_CATEGORIES}
    avg19 = {c: float(pub.loc[(y19, c), "national_average"]) for c in MUNI_CATEGORIES}
    pref_effect = pd.Series(np.clip(rng.normal(0, 0.05, len(codes)), -0.08, 0.08), index=codes)
    big = [c for c in codes if (munis["pref_code"] == c).sum() >= 30]
    counts = {y: _penalty_counts(int(required_values(figures, y, "municipal", "penalty_municipalities").iloc[0]),
                                int(required_values(figures, y, "prefecture", "penalty_prefectures").iloc[0]))
              for y in (y18, y19)}
    pen_prefs18, pen18 = _pick_penalty(munis, big, counts[y18], rng)
    _, pen19 = _pick_penalty(munis, pen_prefs18, counts[y19], rng)
    effect = pref_effect.reindex(munis["pref_code"]).to_numpy()
    s19, pen = _municipal_year(effect, max19, np.array([avg19[c] / max19[c] for c in MUNI_CATEGORIES]),
                               pen19, rules.penalty_threshold, rng)
    for col, c in enumerate(MUNI_CATEGORIES):
        target = int(np.floor(avg19[c] * n_muni + 0.5)) + s19.sum() - s19[:, col].sum()
        s19 = _shift_column(s19, ~pen, col, target - (s19[pen].sum()), max19, rules.penalty_threshold, rng)

    # FY2018 municipal: total 411/612; 大分県 highest prefecture average 509.8, 茨城県 lowest 314.5; 31 in 8.
    max18 = municipal_maxima(cfg, municipal_categories, y18)
    avg18 = float(pub.loc[(y18, TOTAL), "national_average"])
    rate19 = s19.sum(1) / sum(max19.values())
    high = required_values(figures, y18, "municipal", "highest_prefecture_average")
    low = required_values(figures, y18, "municipal", "lowest_prefecture_average")
    fixed = {high.index[0]: float(high.iloc[0]), low.index[0]: float(low.iloc[0])}
    effect18 = pref_effect.copy()
    effect18[high.index[0]], effect18[low.index[0]] = 0.12, -0.12
    drift = 0.8 * (effect18.reindex(munis["pref_code"]).to_numpy() - effect + rate19 - rate19.mean())
    s18, pen = _municipal_year(drift, max18, np.full(3, avg18 / sum(max18.values())), pen18,
                               rules.penalty_threshold, rng)
    pref_of = munis["pref_code"].to_numpy()
    for code in codes:
        inside = pref_of == code
        n_in = int(inside.sum())
        mean = s18[inside].sum() / n_in
        goal = fixed.get(code, min(max(mean, min(fixed.values()) + 12), max(fixed.values()) - 12))
        if code in fixed or goal != mean:
            s18 = _shift_column(s18, inside & ~pen, 1, round(goal * n_in) - s18[inside & pen].sum(), max18,
                                rules.penalty_threshold, rng)
    free = ~pen & ~np.isin(pref_of, list(fixed))
    s18 = _shift_column(s18, free, 1, round(avg18 * n_muni) - s18[~free].sum(), max18, rules.penalty_threshold, rng)

    municipal = pd.concat([_long(munis, s18, y18), _long(munis, s19, y19)], ignore_index=True)
    later = category_years(cfg, municipal_categories)
    later_municipal = [municipal_by_category(cfg, y, rate19, municipal_categories, munis) for y in later]

    # FY2019 prefecture items: every item's average as published (seed 000 pp.4–16).
    full18 = required_values(figures, y18, "prefecture", "score")          # S1: 東京都 and 大阪府 at 730
    ability = pd.Series(rng.normal(0, 1, len(codes)), index=codes)
    ability[full18.index] += 1.5
    ability[required_values(figures, y18, "prefecture", "lowest_score").index] -= 1.5
    ability = ability.to_numpy()
    rows = []
    for item in items.itertuples(index=False):
        if item.input in ("municipal_rates", "municipal_average_rate"):
            continue
        keys = ability + rng.normal(0, cfg["synthetic"]["item_noise"], len(codes))
        if item.input == "value":
            for code, v in zip(codes, np.round(keys, 6)):
                rows.append((y19, code, item.item, pd.NA, float(v)))
            continue
        step = item.levels[1] - item.levels[0]
        if any(b - a != step for a, b in zip(item.levels, item.levels[1:])):
            raise ValueError(f"item {item.item}: synthetic levels need equal steps, got {item.levels}")
        target = _item_target_sum(item.levels, item.national_average, len(codes))
        lv = _spread_levels(keys, (target - item.levels[0] * len(codes)) // step, len(item.levels) - 1)
        rows += [(y19, code, item.item, int(v), pd.NA) for code, v in zip(codes, lv)]
    results = pd.DataFrame(rows, columns=["fiscal_year", "pref_code", "item", "level", "value"])
    results["level"] = results["level"].astype("Int64")
    results["value"] = results["value"].astype("Float64").astype("float64")
    results["synthetic"] = True

    # FY2018 prefecture totals: 東京都・大阪府 730, 千葉県 lowest 425, average 638 of 730 (S1).
    scored19 = score_municipalities(municipal[municipal.fiscal_year == y19], max19, rules.penalty_threshold)
    pts = score_prefecture_items(results, items, rules, scored19)
    total19 = pts.groupby("pref_code")["points"].sum().reindex(codes)
    outcome = outcome_items(items, rules.outcome_category)
    totals18 = _prefecture_totals(total19, pts[pts["item"].isin(outcome)], figures, (y18, y19), cfg["synthetic"], rng)

    # FY2019 requests (所要見込額): score share × a factor, so that some caps bind.
    budget = prefecture_budget(cfg, y19, DEFAULT_GRANT)
    share = allocate(total19.clip(lower=0), budget)
    lo, hi = cfg["synthetic"]["request_factor"]
    requests = pd.DataFrame({"fiscal_year": y19, "grant": DEFAULT_GRANT, "pref_code": codes,
                             "request_thousand_yen": np.rint(share.to_numpy() * rng.uniform(lo, hi, len(codes))).astype("int64"),
                             "synthetic": True})
    by_year = pd.concat([munis.assign(fiscal_year=y) for y in (y18, y19, *later)], ignore_index=True)
    municipal = pd.concat([municipal, *later_municipal], ignore_index=True)
    return {"municipalities": by_year[["fiscal_year", *munis.columns]], "municipal_category_results": municipal, "prefecture_item_results": results,
            "prefecture_total_results": totals18, "prefecture_requests": requests}


def _prefecture_totals(total19: pd.Series, outcome_pts: pd.DataFrame, figures: pd.DataFrame, years: tuple[int, int],
                       tuning: dict, rng) -> pd.DataFrame:
    """The first year's totals: follow the second year's without its extra outcome points (FY2018 → FY2019:
    20 → 60), pinned to the published facts (S1)."""
    y18 = years[0]
    codes = total19.index
    max18 = int(required_values(figures, y18, "prefecture", "max_points").iloc[0])
    avg18 = float(required_values(figures, y18, "prefecture", "average_score").iloc[0])
    lowest = required_values(figures, y18, "prefecture", "lowest_score")
    fixed = {**required_values(figures, y18, "prefecture", "score").astype(int).to_dict(), lowest.index[0]: int(lowest.iloc[0])}
    outcome = outcome_pts.groupby("pref_code")["points"].sum().reindex(codes)
    before, after = (int(required_values(figures, y, "prefecture", "outcome_points").iloc[0]) for y in years)
    base = (total19 - outcome * (after - before) / after).to_numpy(float)
    rate = (avg18 / max18 + (base - base.mean()) / base.std() * tuning["totals_spread"]
            + rng.normal(0, tuning["totals_noise"], len(codes)))
    floor = int(lowest.iloc[0]) + 1
    t18 = np.clip(np.rint(rate * max18), floor + 40, max18 - 8).astype("int64")
    movable = ~codes.isin(list(fixed))
    t18[~movable] = [fixed[c] for c in codes[~movable]]
    t18 = _shift_to_sum(t18, round(avg18 * len(codes)), np.full(len(codes), floor),
                       np.full(len(codes), max18 - 1), movable, rng)
    return pd.DataFrame({"fiscal_year": y18, "grant": DEFAULT_GRANT, "pref_code": codes, "score": t18, "synthetic": True})
