"""The FY2025 市町村分 pots of both grants (seed 001) split among municipalities by the latest two-grant
year's scores (illustrative, docs/assumptions.md A32): base pot by score × 第1号被保険者数 to all, the
additional and outcome-oriented pots the same way among the eligible; what no one is eligible for stays
unallocated, never silently dropped."""

import pandas as pd

from kofukin.model.allocation import allocate, top_share
from kofukin.model.config import two_grant_year, year_grants
from kofukin.model.schemas import TOTAL

POT_COLUMNS = ["fiscal_year", "grant", "pot", "amount_thousand_yen", "eligible", "allocated_thousand_yen",
               "unallocated_thousand_yen", "synthetic"]
AMOUNT_COLUMNS = ["fiscal_year", "grant", "muni_code", "pref_code", "pot", "amount_thousand_yen", "synthetic"]


def split_year(cfg: dict, municipal: pd.DataFrame) -> int | None:
    """The latest configured two-grant year (``two_grant_year``) if its municipal scores of both grants
    are there; None otherwise.

    >>> split_year(cfg, r.municipal), split_year(cfg, r.municipal[r.municipal.grant == "promotion"])
    (2023, None)
    """
    year = two_grant_year(cfg)
    if year is None or not set(year_grants(cfg, year)) <= set(municipal.loc[municipal.fiscal_year == year, "grant"]):
        return None
    return year


def eligibility(municipal: pd.DataFrame, year: int, grant: str, rules: dict) -> dict[str, pd.Series]:
    """Who may share the additional and outcome-oriented pots of ``grant`` (``rules``: allocation.municipal_frame_2025
    with the scoring's outcome_category; A32): additional — the top
    ``additional_top_share`` by the outcome category's score in ``year``, or by total score rate in every
    one of ``additional_years`` that has results of the grant (upper ranks over several years);
    outcome-oriented — the insurers listed in ``outcome_oriented_municipalities`` (no data shows who runs
    an outcome-oriented programme of its own).

    >>> e = eligibility(r.municipal, 2023, "support", {"outcome_category": "III", "additional_top_share": 0.3, "additional_years": [2019, 2023], "outcome_oriented_municipalities": []})
    >>> int(e["additional"].sum()) > 0.3 * 1741, int(e["outcome_oriented"].sum())
    (True, 0)
    """
    rows = municipal[(municipal.fiscal_year == year) & (municipal.grant == grant)]
    outcome = rows[rows.category == rules["outcome_category"]].set_index("muni_code")["score"]
    share = float(rules["additional_top_share"])
    several = pd.Series(True, index=outcome.index)
    for y in rules["additional_years"]:
        rate = municipal[(municipal.fiscal_year == y) & (municipal.grant == grant) & (municipal.category == TOTAL)]
        if len(rate):
            several &= top_share(rate.set_index("muni_code")["score_rate"], share).reindex(outcome.index, fill_value=False)
    listed = {str(code) for code in rules["outcome_oriented_municipalities"]}
    return {"additional": top_share(outcome, share) | several,
            "outcome_oriented": pd.Series(outcome.index.isin(listed), index=outcome.index)}


def municipal_frame(cfg: dict, frame: pd.DataFrame, municipal: pd.DataFrame,
                    municipalities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(amounts per municipality and pot, one row per grant and pot) of the frame's 市町村分; both empty
    when no year scores two grants. Each pot's allocated and unallocated amounts sum to its 千円 exactly.

    >>> amounts, pots = municipal_frame(cfg, src["frame"], r.municipal, r.municipalities)
    >>> pots.set_index(["grant", "pot"])["unallocated_thousand_yen"].to_dict()
    {('promotion', 'base'): 0, ('promotion', 'additional'): 0, ('promotion', 'outcome_oriented'): 524149, ('support', 'base'): 0, ('support', 'additional'): 0}
    >>> amounts.groupby(["grant", "pot"])["amount_thousand_yen"].sum().to_dict()
    {('promotion', 'additional'): 1805000, ('promotion', 'base'): 7220000, ('support', 'additional'): 950000, ('support', 'base'): 18050000}
    """
    year = split_year(cfg, municipal)
    if year is None:
        return pd.DataFrame(columns=AMOUNT_COLUMNS), pd.DataFrame(columns=POT_COLUMNS)
    rules = {**cfg["allocation"]["municipal_frame_2025"], "outcome_category": cfg["scoring"]["outcome_category"]}
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
