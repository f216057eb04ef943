"""A scenario's amounts and its comparison with the baseline: each prefecture's grant under both rules."""

import copy

import pandas as pd

from kofukin.model.allocation import allocate, frame_eligibility
from kofukin.model.compute import outcome_scores, score_all
from kofukin.model.schemas import TOTAL
from kofukin.scenarios.rules import Scenario, baseline_of


def amounts(s: Scenario, cfg: dict, src: dict, inputs: dict) -> pd.Series:
    """Each prefecture's grant (千円) under scenario ``s``, scores recomputed with its penalty threshold.

    >>> inputs = {n: pd.read_csv(processed / "inputs" / f"{n}.csv", dtype={"pref_code": str, "muni_code": str}) for n in ["municipalities", "municipal_category_results", "prefecture_item_results", "prefecture_total_results", "prefecture_requests"]}
    >>> from kofukin.scenarios.rules import baseline
    >>> int(amounts(baseline(cfg), cfg, src, inputs).sum())
    984709
    """
    scfg = copy.deepcopy(cfg)
    scfg["scoring"]["penalty_threshold"] = s.penalty_threshold
    scores = score_all(scfg, src, inputs)[2]
    scores = scores[(scores.fiscal_year == cfg["report_year"]) & (scores.grant == s.grant)]
    scores = scores.pivot(index="pref_code", columns="category", values="score")
    total = scores[TOTAL].clip(lower=0)
    munis = inputs["municipalities"]
    weights = {"none": None,     # the report year's municipalities only
               "first_insured": munis[munis.fiscal_year == cfg["report_year"]].groupby("pref_code")["first_insured"].sum(),
               "population": src["prefectures"].set_index("pref_code")["population_2020_census"]}[s.weight]
    req = inputs["prefecture_requests"]
    req = req[(req.fiscal_year == cfg["report_year"]) & (req.grant == s.grant)]
    caps = req.set_index("pref_code")["request_thousand_yen"] if s.caps else None
    if s.pots is None:
        return allocate(total, s.budget, weights=weights, caps=caps, redistribute=s.redistribute)
    eligible = frame_eligibility(outcome_scores(scores, str(cfg["scoring"]["outcome_category"])), total, s.eligibility)
    paid = sum(allocate(total.where(eligible[pot], 0) if pot != "base" else total, int(amount), weights=weights)
               for pot, amount in s.pots.items())
    return paid.clip(upper=caps.reindex(paid.index)) if caps is not None else paid


def comparison(s: Scenario, cfg: dict, src: dict, inputs: dict) -> pd.DataFrame:
    """Per prefecture: grant under the baseline and under ``s``, the difference in 千円 and %.

    >>> inputs = {n: pd.read_csv(processed / "inputs" / f"{n}.csv", dtype={"pref_code": str, "muni_code": str}) for n in ["municipalities", "municipal_category_results", "prefecture_item_results", "prefecture_total_results", "prefecture_requests"]}
    >>> from kofukin.scenarios.rules import baseline
    >>> c = comparison(baseline(cfg), cfg, src, inputs)
    >>> int(c.difference_thousand_yen.abs().sum()), list(c.columns[:4])
    (0, ['fiscal_year', 'grant', 'pref_code', 'pref_name'])
    """
    base = amounts(baseline_of(cfg, s.grant), cfg, src, inputs)
    new = amounts(s, cfg, src, inputs).reindex(base.index)
    names = src["prefectures"].set_index("pref_code")["pref_name"]
    out = pd.DataFrame({"fiscal_year": cfg["report_year"], "grant": s.grant, "pref_code": base.index, "pref_name": names.reindex(base.index).to_numpy(),
                        "baseline_thousand_yen": base.to_numpy(), "scenario_thousand_yen": new.to_numpy()})
    out["difference_thousand_yen"] = out["scenario_thousand_yen"] - out["baseline_thousand_yen"]
    out["difference_pct"] = (100 * out["difference_thousand_yen"] / out["baseline_thousand_yen"].where(out["baseline_thousand_yen"] > 0)).round(4)
    out["synthetic"] = bool(any(df.loc[df.fiscal_year == cfg["report_year"], "synthetic"].any() for df in inputs.values()))
    return out
