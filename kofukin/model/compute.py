"""All processed tables from the raw tables and the inputs: scores of every year, allocations, stakes,
the FY2025 frame split and the cross-checks. Pure: reads the raw tables, writes nothing."""

from pathlib import Path

import pandas as pd

from kofukin.model import paths
from kofukin.model.allocation import allocate_frame, frame_eligibility, municipal_grant, prefecture_grant
from kofukin.model.catalogue import catalogue_years, items_of, municipal_maxima, penalty_items, year_catalogue
from kofukin.model.config import (grant_entry, has_prefectural_results, municipal_budget, prefecture_budget, scoring_rules,
                                  year_grants)
from kofukin.model.consistency import Checks, result_checks, seed_checks
from kofukin.model.findings import findings_rules
from kofukin.model.errors import KofukinConfigError, KofukinDataError, KofukinInputError
from kofukin.model.municipal_frame import municipal_frame
from kofukin.model.marginal import category_stakes, item_stakes, municipal_category_stakes
from kofukin.model.ranks import municipal_ranks, size_classes
from kofukin.model.schemas import TOTAL, empty, read_table
from kofukin.model.scoring import score_municipalities, score_prefecture_items, summarise, summarise_totals
from kofukin.model.paths import MUNICIPAL_CATEGORIES, PREFECTURES, PUBLISHED_FIGURES


def load_raw(cfg: dict, raw: Path = paths.RAW) -> dict:
    """Every raw table the build reads, each checked against its schema; ``catalogues`` maps each
    configured year with an item catalogue to its (items, categories).

    >>> sorted(load_raw(cfg))
    ['catalogues', 'categories', 'figures', 'frame', 'items', 'municipal_categories', 'prefectures']
    """
    catalogues = {y: year_catalogue(cfg, y, raw) for y in catalogue_years(cfg)}
    year = cfg["report_year"]
    if year not in catalogues and has_prefectural_results(cfg, year):
        raise KofukinDataError(paths.CONFIG, [f"years.{year}: the report year needs prefecture_catalogue "
                                              "and prefecture_categories (or no prefectural results at all: a municipal-only year)"])
    items, categories = catalogues.get(year, (empty("prefecture_items"), empty("prefecture_categories")))
    return {
        "prefectures": read_table("prefectures", raw / PREFECTURES),
        "items": items, "categories": categories, "catalogues": catalogues,
        "municipal_categories": read_table("municipal_categories", raw / MUNICIPAL_CATEGORIES),
        "figures": read_table("published_figures", raw / PUBLISHED_FIGURES),
        "frame": read_table("budget_frame", raw / cfg["allocation"]["frame"]["file"]),
    }


def raw_read(cfg: dict, raw: Path = paths.RAW) -> list[Path]:
    """The raw files ``load_raw`` reads (the catalogues of the configured years, the reference tables, the frame):
    what the report's pages cite (their sidecars, ``kofukin.model.sources.citations_of``).

    >>> [p.name for p in raw_read(cfg)]
    ['prefecture_2019_items.csv', 'prefecture_2019_categories.csv', 'prefectures.csv', 'municipal_categories.csv', 'published_figures.csv', 'budget_frame_2025.csv']
    """
    catalogues = [raw / cfg["years"][y][k] for y in catalogue_years(cfg) for k in ("prefecture_catalogue", "prefecture_categories")]
    return catalogues + [raw / PREFECTURES, raw / MUNICIPAL_CATEGORIES, raw / PUBLISHED_FIGURES,
                         raw / cfg["allocation"]["frame"]["file"]]


def frame_split(scores: pd.DataFrame, frame: pd.DataFrame, rules: dict, outcome_category: str, grants: list[str]) -> pd.DataFrame:
    """The prefectural pots of every grant of the frame (``allocation.frame``) split by one year's
    prefectural scores (illustrative): each grant's pots by that grant's scores where the year scores it,
    else by the scores of the year's first grant (``grants``, ``years.<y>.grants``; a one-grant year: FY2019's 推進
    scores split both grants' pots).

    >>> scores = r.scores[r.scores.fiscal_year == 2019].assign(synthetic=True)
    >>> f = frame_split(scores, src["frame"], cfg["allocation"]["frame"], "III", ["promotion"])
    >>> f.groupby("grant")["amount_thousand_yen"].sum().to_dict()
    {'promotion': 502586, 'support': 1000000}
    """
    parts = []
    for grant in frame["grant"].unique():
        own = scores[scores.grant == (grant if grant in grants else grants[0])]
        by_cat = own.pivot(index="pref_code", columns="category", values="score")
        total = by_cat["TOTAL"].clip(lower=0)
        eligible = frame_eligibility(outcome_scores(by_cat, outcome_category), total, rules)
        amounts = allocate_frame(frame, grant, "prefecture", total, eligible=eligible).drop(columns="total")
        long = amounts.rename_axis("pref_code").reset_index().melt(id_vars="pref_code", var_name="pot",
                                                                   value_name="amount_thousand_yen")
        parts.append(long.assign(grant=grant, synthetic=bool(own["synthetic"].any())))
    out = pd.concat(parts, ignore_index=True)
    out.insert(0, "fiscal_year", int(scores["fiscal_year"].iloc[0]))
    return out[["fiscal_year", "pref_code", "grant", "pot", "amount_thousand_yen", "synthetic"]]


def outcome_scores(by_category: pd.DataFrame, code: str) -> pd.Series:
    """Scores of the outcome category ``code`` (``scoring.outcome_category``) that decide eligibility for
    the outcome-oriented pot; the total where a catalogue has no such category.

    >>> by_cat = pd.DataFrame({"III": [30, -5], "TOTAL": [500, 400]})
    >>> outcome_scores(by_cat, "III").tolist(), outcome_scores(by_cat, "IV").tolist()
    ([30, 0], [500, 400])
    """
    return (by_category[code] if code in by_category else by_category["TOTAL"]).clip(lower=0)


def _municipal_tables(cfg: dict, municipal: pd.DataFrame, municipalities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """市町村分 of each grant of the report year (score × 第1号被保険者数) and what each category below the
    national average is worth."""
    year = cfg["report_year"]
    own = municipalities[municipalities.fiscal_year == year]
    first = own.set_index("muni_code")["first_insured"]
    allocations, stakes = [], []
    for grant, rows in municipal.groupby("grant", sort=True):
        budget = municipal_budget(cfg, year, grant)
        if budget is None:
            raise KofukinConfigError(f"years.{year}.municipal_budget_thousand_yen: no 市町村分 budget for {grant}")
        total = rows[rows.category == "TOTAL"].set_index("muni_code")
        flag = bool(rows.synthetic.any() or own.synthetic.any())
        amount = municipal_grant(total["score"].clip(lower=0), first.reindex(total.index), budget)
        allocations.append(pd.DataFrame({
            "fiscal_year": year, "grant": grant, "muni_code": total.index, "pref_code": total["pref_code"].to_numpy(),
            "score": total["score"].to_numpy(), "first_insured": first.reindex(total.index).to_numpy(),
            "amount_thousand_yen": amount.to_numpy(), "synthetic": flag}))
        stakes.append(municipal_category_stakes(rows, first, budget).assign(synthetic=flag))
    return pd.concat(allocations, ignore_index=True), pd.concat(stakes, ignore_index=True)


def _municipal_ranks(cfg: dict, municipal: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    """Every year's and grant's municipal TOTAL scores with their three ranks, size class and 市町村分 grant
    (NaN for a year without a configured municipal budget), each year by its own municipalities."""
    classes = size_classes(cfg)
    out = []
    for (year, grant), rows in municipal[municipal.category == "TOTAL"].groupby(["fiscal_year", "grant"], sort=True):
        own = municipalities[municipalities.fiscal_year == year]          # that year's municipalities only
        first = own.set_index("muni_code")["first_insured"]
        budget = municipal_budget(cfg, int(year), grant)
        totals = rows.set_index("muni_code")["score"]
        amounts = (municipal_grant(totals.clip(lower=0), first.reindex(totals.index), budget) if budget is not None
                   else pd.Series(float("nan"), index=totals.index))
        ranks = municipal_ranks(rows, first, amounts, classes)
        out.append(ranks.assign(synthetic=bool(rows.synthetic.any() or own.synthetic.any())))
    return pd.concat(out, ignore_index=True)


def _prefecture_max(cfg: dict, src: dict, year: int, grant: str) -> int:
    """The prefectural maximum of a year's grant: configured (years known by totals only), else its catalogue's."""
    configured = grant_entry(cfg, year, "prefecture_max_points", grant)
    if configured is not None:
        return int(configured)
    if year in src["catalogues"]:
        return int(items_of(src["catalogues"][year][0], grant)["max_points"].sum())
    raise KofukinConfigError(f"years.{year}: give prefecture_max_points (of {grant}) or a catalogue in the configuration")


def _score_items(cfg: dict, rules, results: pd.DataFrame, catalogue: pd.DataFrame, municipal: pd.DataFrame) -> pd.DataFrame:
    """One year's prefectural item points of every grant it scores: an item counts its points for each of its
    grants; an item derived from municipal results takes those of the grant it is counted for (A33)."""
    year = int(results.fiscal_year.iloc[0])
    parts = []
    for grant in year_grants(cfg, year):
        items = items_of(catalogue, grant)
        rows = results[results["item"].isin(items["item"]) | ~results["item"].isin(catalogue["item"])]
        muni = municipal[(municipal.fiscal_year == year) & (municipal.grant == grant)]
        scored = score_prefecture_items(rows, items, rules, muni if len(muni) else None)
        scored.insert(1, "grant", grant)
        parts.append(scored.assign(synthetic=bool(rows.synthetic.any() or muni.synthetic.any())))
    return pd.concat(parts, ignore_index=True)


def _has_penalty(src: dict, year: int, grant: str) -> bool:
    """Whether a grant's prefectural catalogue of the year has the penalty item (a year known by totals only: as
    configured, the penalty rule applies)."""
    return year not in src["catalogues"] or bool(penalty_items(items_of(src["catalogues"][year][0], grant)))


def score_all(cfg: dict, src: dict, inputs: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Municipal scores, prefectural item points and prefectural category/total scores of every year
    the inputs hold, each year by its own catalogue and each grant by its own items.

    >>> inputs = {n: pd.read_csv(processed / "inputs" / f"{n}.csv", dtype={"pref_code": str, "muni_code": str}) for n in ["municipalities", "municipal_category_results", "prefecture_item_results", "prefecture_total_results", "prefecture_requests"]}
    >>> municipal, items, scores = score_all(cfg, src, inputs)
    >>> sorted(scores.fiscal_year.unique().tolist()), len(items), items.grant.unique().tolist()
    ([2018, 2019], 3431, ['promotion'])
    """
    rules = scoring_rules(cfg)
    year = cfg["report_year"]
    names = src["prefectures"].set_index("pref_code")["pref_name"]
    muni_in = inputs["municipal_category_results"]
    municipal = []
    for (y, grant), rows in muni_in.groupby(["fiscal_year", "grant"], sort=True):
        if grant not in year_grants(cfg, int(y)):
            raise KofukinConfigError(f"municipal results of {grant} for {y}, but years.{y}.grants names {year_grants(cfg, int(y))}")
        maxima = municipal_maxima(cfg, src["municipal_categories"], int(y), grant)
        scored = score_municipalities(rows.drop(columns="grant"), maxima, rules.penalty_threshold)
        scored["penalty_level"] = scored["penalty_level"].astype("boolean")
        if not has_prefectural_results(cfg, int(y)) or not _has_penalty(src, int(y), grant):
            scored["penalty_level"] = pd.NA        # the penalty is a prefectural item: no rule where the grant has none
        scored.insert(1, "grant", grant)
        municipal.append(scored.assign(synthetic=bool(rows.synthetic.any())))
    municipal = pd.concat(municipal, ignore_index=True)

    results = inputs["prefecture_item_results"]
    totals = inputs["prefecture_total_results"]
    item_years = sorted(int(y) for y in results.fiscal_year.unique())
    needs = ((year, "prefecture_items"), (cfg["compare_year"], "prefecture_items or prefecture_totals"))
    for needed, what in needs if has_prefectural_results(cfg, year) else ():      # a municipal-only report year needs none
        if needed not in item_years and needed not in set(totals.fiscal_year):
            raise KofukinInputError(f"no prefectural results for {needed}: add data/raw/results/{what.split(' ')[0]}_{needed}.csv")
    items = []
    for y in item_years:
        if y not in src["catalogues"]:
            raise KofukinConfigError(f"prefecture item results for {y}, but the configuration names no catalogue for {y}")
        items.append(_score_items(cfg, rules, results[results.fiscal_year == y], src["catalogues"][y][0], municipal))
    all_items = _concat(items, "prefecture_item_scores")

    scores = [summarise(rows, names).assign(synthetic=bool(rows.synthetic.any()))
              for _, rows in all_items.groupby(["fiscal_year", "grant"], sort=True)]
    for (y, grant), rows in totals[~totals.fiscal_year.isin(item_years)].groupby(["fiscal_year", "grant"], sort=True):
        if grant not in year_grants(cfg, int(y)):
            raise KofukinConfigError(f"prefectural totals of {grant} for {y}, but years.{y}.grants names {year_grants(cfg, int(y))}")
        scores.append(summarise_totals(rows, _prefecture_max(cfg, src, int(y), grant), names).assign(synthetic=bool(rows.synthetic.any())))
    return municipal, all_items, _concat(scores, "prefecture_scores")


def _prefecture_tables(cfg: dict, items: pd.DataFrame, scores: pd.DataFrame, requests: pd.DataFrame):
    """都道府県分 of each grant of the report year (score share of the grant's budget, capped at the grant's
    request), and what each item not achieved and each category below the national average is worth."""
    year = cfg["report_year"]
    redistribute = bool(cfg["allocation"]["redistribute"])
    allocations, item_parts, category_parts = [], [], []
    for grant in year_grants(cfg, year) if has_prefectural_results(cfg, year) else ():
        budget = prefecture_budget(cfg, year, grant)
        if budget is None:
            raise KofukinConfigError(f"years.{year}.prefecture_budget_thousand_yen: no 都道府県分 budget for {grant}")
        own_items, own_scores = items[items.grant == grant], scores[scores.grant == grant]
        req = requests[(requests.fiscal_year == year) & (requests.grant == grant)]
        if req.empty:
            raise KofukinInputError(f"no requests (所要見込額) of {grant} for {year}: add data/raw/results/requests_{year}.csv")
        caps = req.set_index("pref_code")["request_thousand_yen"]
        total = own_scores[own_scores.category == TOTAL].set_index("pref_code")["score"]
        allocation = prefecture_grant(total.clip(lower=0), budget, caps, redistribute=redistribute)
        allocation = allocation.reset_index().rename(columns={"index": "pref_code"})
        allocation.insert(0, "fiscal_year", year)
        allocation.insert(1, "grant", grant)
        flag = bool(own_items.synthetic.any() or req.synthetic.any())
        allocations.append(allocation.assign(synthetic=flag))
        for parts, stakes in ((item_parts, item_stakes(own_items, budget, caps, redistribute)),
                              (category_parts, category_stakes(own_scores, budget, caps, redistribute))):
            stakes.insert(1, "grant", grant)
            parts.append(stakes.assign(synthetic=flag))
    return tuple(_concat(parts, name) for parts, name in ((allocations, "prefecture_allocation"),
                                                         (item_parts, "prefecture_item_stakes"),
                                                         (category_parts, "prefecture_category_stakes")))


def _concat(parts: list[pd.DataFrame], name: str) -> pd.DataFrame:
    """The parts as one table, or table ``name`` without rows where there are none (a municipal-only year)."""
    return pd.concat(parts, ignore_index=True) if parts else empty(name)


def compute(cfg: dict, src: dict, inputs: dict) -> dict[str, pd.DataFrame]:
    """All processed tables from loaded raw tables and inputs.

    >>> inputs = {n: pd.read_csv(processed / "inputs" / f"{n}.csv", dtype={"pref_code": str, "muni_code": str}) for n in ["municipalities", "municipal_category_results", "prefecture_item_results", "prefecture_total_results", "prefecture_requests"]}
    >>> tables = compute(cfg, src, inputs)
    >>> int(tables["prefecture_allocation"]["share_thousand_yen"].sum())
    1000000
    """
    year = cfg["report_year"]
    municipal, all_items, scores = score_all(cfg, src, inputs)
    this_muni = municipal[municipal.fiscal_year == year]
    allocation, stakes, cat_stakes = _prefecture_tables(cfg, all_items[all_items.fiscal_year == year],
                                                        scores[scores.fiscal_year == year], inputs["prefecture_requests"])
    muni_alloc, muni_stakes = _municipal_tables(cfg, this_muni, inputs["municipalities"])
    muni_ranks = _municipal_ranks(cfg, municipal, inputs["municipalities"])
    outcome = str(cfg["scoring"]["outcome_category"])
    frame = (frame_split(scores[scores.fiscal_year == year], src["frame"], cfg["allocation"]["frame"], outcome,
                        year_grants(cfg, year))
             if has_prefectural_results(cfg, year) else empty("prefecture_frame"))     # nothing to split it by
    muni_frame, muni_pots = municipal_frame(cfg, src["frame"], municipal, inputs["municipalities"])

    checks = Checks()
    seed_checks(checks, src["catalogues"], src["municipal_categories"], src["figures"], src["frame"],
                int(cfg["allocation"]["frame"]["year"]), len(src["prefectures"]))
    result_checks(checks, src["catalogues"], src["municipal_categories"], src["figures"], all_items, scores, municipal,
                  findings_rules(cfg), outcome)

    order = {"prefecture_item_scores": ["fiscal_year", "grant", "pref_code"],
             "prefecture_scores": ["fiscal_year", "grant", "category", "pref_code"],
             "municipal_scores": ["fiscal_year", "grant", "muni_code", "category"],
             "municipal_ranks": ["fiscal_year", "grant", "muni_code"], "prefecture_allocation": ["fiscal_year", "grant", "pref_code"],
             "prefecture_frame": ["grant", "pot", "pref_code"], "municipal_frame": ["grant", "pot", "muni_code"]}
    tables = {"prefecture_item_scores": all_items, "prefecture_scores": scores, "municipal_scores": municipal,
              "prefecture_allocation": allocation, "prefecture_item_stakes": stakes,
              "prefecture_category_stakes": cat_stakes, "municipal_allocation": muni_alloc, "municipal_category_stakes": muni_stakes,
              "municipal_ranks": muni_ranks,
              "prefecture_frame": frame, "municipal_frame": muni_frame, "municipal_frame_pots": muni_pots,
              "budget_frame": src["frame"], "source_consistency": checks.frame()}
    for name, keys in order.items():
        tables[name] = tables[name].sort_values(keys, kind="stable", ignore_index=True)
    return tables
