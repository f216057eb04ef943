"""The FY2025 市町村分 pots of both grants (seed 001) split among municipalities by the latest two-grant
year's scores (illustrative, docs/assumptions.md A32): base pot by score × 第1号被保険者数 to all, the
additional and outcome-oriented pots the same way among the eligible; what no one is eligible for stays
unallocated, never silently dropped."""

import pandas as pd

from kofukin.model.allocation import allocate, top_share
from kofukin.model.config import two_grant_year, year_grants
from kofukin.model.errors import KofukinConfigError
from kofukin.model.schemas import TOTAL

POT_COLUMNS = ["fiscal_year", "grant", "pot", "amount_thousand_yen", "eligible", "allocated_thousand_yen",
               "unallocated_thousand_yen", "synthetic"]
AMOUNT_COLUMNS = ["fiscal_year", "grant", "muni_code", "pref_code", "pot", "amount_thousand_yen", "synthetic"]


def split_year(cfg: dict, municipal: pd.DataFrame) -> int | None:
    """The latest configured two-grant year (``two_grant_year``), whose scores split the pots; None without
    one. Its municipal scores of every grant must be there (real results, or synthetic ones from published
    category averages): an error names the key otherwise.

    >>> split_year(cfg, ms)
    2023
    >>> split_year(cfg, ms[ms.grant == "promotion"])
    Traceback (most recent call last):
        ...
    kofukin.model.errors.KofukinConfigError: years.2023.grants: a two-grant year needs municipal results of support (data/raw/results/municipal_categories_2023.csv, or its published category averages in catalogue/municipal_categories.csv)
    """
    year = two_grant_year(cfg)
    if year is None:
        return None
    missing = [g for g in year_grants(cfg, year) if g not in set(municipal.loc[municipal.fiscal_year == year, "grant"])]
    if missing:
        raise KofukinConfigError(f"years.{year}.grants: a two-grant year needs municipal results of {', '.join(missing)} "
                         f"(data/raw/results/municipal_categories_{year}.csv, or its published category averages in "
                         "catalogue/municipal_categories.csv)")
    return year


def comparable_years(municipal: pd.DataFrame, year: int, grant: str, years: list[int]) -> list[int]:
    """Those of ``years`` with results of ``grant`` for exactly the municipalities of ``year``, and as real or
    as synthetic as it (a synthetic municipality is never the same body as a real one, even under the same
    code: A20).

    >>> comparable_years(ms, 2023, "promotion", [2019, 2023]), comparable_years(ms, 2023, "support", [2019, 2023])
    ([2019, 2023], [2023])
    """
    totals = municipal[(municipal.grant == grant) & (municipal.category == TOTAL)]

    def units(y):
        rows = totals[totals.fiscal_year == y]
        return set(rows["muni_code"]), bool(rows["synthetic"].any())
    return [y for y in years if units(y) == units(year)]


def eligibility(municipal: pd.DataFrame, year: int, grant: str, rules: dict) -> dict[str, pd.Series]:
    """Who may share the additional and outcome-oriented pots of ``grant`` (``rules``:
    allocation.municipal_frame; A32): additional — the top ``additional_top_share`` by the score of
    ``ranking_category`` in ``year`` (no municipal category holds the outcome indicators alone), or the top
    ``years_top_share`` by total score rate in each of ``additional_years`` — at least two of them comparable
    (``comparable_years``): upper ranks over several years (ties share the best rank, so a tie at the cut-off
    is in); outcome-oriented — the insurers listed in
    ``outcome_oriented_municipalities`` (no data shows who runs an outcome-oriented programme of its own).

    >>> rules = {"ranking_category": "TOTAL", "additional_top_share": 0.3, "additional_years": [2019, 2023], "years_top_share": 0.5, "outcome_oriented_municipalities": []}
    >>> e = eligibility(ms, 2023, "support", rules)
    >>> int(e["additional"].sum()) == int(top_share(ms.query("fiscal_year == 2023 and grant == 'support' and category == 'TOTAL'")["score"], 0.3).sum()), int(e["outcome_oriented"].sum())
    (True, 0)
    """
    rows = municipal[(municipal.fiscal_year == year) & (municipal.grant == grant)]
    ranked = rows[rows.category == rules["ranking_category"]].set_index("muni_code")["score"]
    share = float(rules["additional_top_share"])
    several = pd.Series(False, index=ranked.index)
    years = comparable_years(municipal, year, grant, [int(y) for y in rules["additional_years"]])
    if len(years) >= 2:
        several[:] = True
        for y in years:
            rate = municipal[(municipal.fiscal_year == y) & (municipal.grant == grant) & (municipal.category == TOTAL)]
            several &= top_share(rate.set_index("muni_code")["score_rate"], float(rules["years_top_share"])).reindex(
                ranked.index, fill_value=False)
    listed = {str(code) for code in rules["outcome_oriented_municipalities"]}
    unknown = sorted(listed - set(ranked.index))
    if unknown:
        raise KofukinConfigError(f"allocation.municipal_frame.outcome_oriented_municipalities: {unknown} are not "
                         f"municipalities of {year}")
    return {"additional": top_share(ranked, share) | several,
            "outcome_oriented": pd.Series(ranked.index.isin(listed), index=ranked.index)}


def municipal_frame(cfg: dict, frame: pd.DataFrame, municipal: pd.DataFrame,
                    municipalities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(amounts per municipality and pot, one row per grant and pot) of the frame's 市町村分; both empty
    when no year scores two grants; ``fiscal_year`` in both is the year of the scores. Each pot's allocated and unallocated amounts sum to its 千円 exactly.

    >>> amounts, pots = municipal_frame(cfg, src["frame"], ms, r.municipalities)
    >>> pots.set_index(["grant", "pot"])["unallocated_thousand_yen"].to_dict()
    {('promotion', 'base'): 0, ('promotion', 'additional'): 0, ('promotion', 'outcome_oriented'): 524149, ('support', 'base'): 0, ('support', 'additional'): 0}
    >>> amounts.groupby(["grant", "pot"])["amount_thousand_yen"].sum().to_dict()
    {('promotion', 'additional'): 1805000, ('promotion', 'base'): 7220000, ('support', 'additional'): 950000, ('support', 'base'): 18050000}
    """
    year = split_year(cfg, municipal)
    if year is None:
        return pd.DataFrame(columns=AMOUNT_COLUMNS), pd.DataFrame(columns=POT_COLUMNS)
    rules = cfg["allocation"]["municipal_frame"]
    own = municipalities[municipalities.fiscal_year == year]
    first = own.set_index("muni_code")["first_insured"]
    amounts, pots = [], []
    for grant, grant_pots in frame[frame.level == "municipal"].groupby("grant", sort=False):
        rows = municipal[(municipal.fiscal_year == year) & (municipal.grant == grant)]
        total = rows[rows.category == TOTAL].set_index("muni_code")
        flag = bool(rows.synthetic.any() or own.synthetic.any())
        eligible = eligibility(municipal, year, grant, rules)
        for pot in grant_pots.itertuples(index=False):
            mask = pd.Series(True, index=total.index) if pot.pot == "base" else eligible[pot.pot].reindex(total.index, fill_value=False)
            basis = total["score"].clip(lower=0).where(mask, 0)
            weight = first.reindex(total.index)
            shared = bool((basis * weight).sum() > 0)
            paid = allocate(basis, int(pot.amount_thousand_yen), weights=weight) if shared else basis * 0
            paid = paid[mask]
            amounts.append(pd.DataFrame({"fiscal_year": year, "grant": grant, "muni_code": paid.index,
                                         "pref_code": total.loc[paid.index, "pref_code"].to_numpy(), "pot": pot.pot,
                                         "amount_thousand_yen": paid.to_numpy(dtype="int64"), "synthetic": flag}))
            allocated = int(paid.sum())
            pots.append({"fiscal_year": year, "grant": grant, "pot": pot.pot, "amount_thousand_yen": int(pot.amount_thousand_yen),
                         "eligible": int(mask.sum()), "allocated_thousand_yen": allocated,
                         "unallocated_thousand_yen": int(pot.amount_thousand_yen) - allocated, "synthetic": flag})
    return pd.concat(amounts, ignore_index=True)[AMOUNT_COLUMNS], pd.DataFrame(pots, columns=POT_COLUMNS)
