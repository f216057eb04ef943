"""Budget scenarios: a small YAML file changes what a policy maker would change; kofukin compares
each prefecture's grant under it with the baseline (the configuration's rules).

Keys (all optional but ``label``)::

    label: 第1号被保険者数で重み付け          # title of the comparison page
    description: …                          # one paragraph shown under it
    budget_thousand_yen: 1000000            # the prefectural budget (千円)
    pots: {base: 0.75, additional: 0.20, outcome_oriented: 0.05}   # split the budget into the FY2025 pots
    pot_budgets_thousand_yen: {base: 750000, additional: 200000}    # or give each pot's budget (千円)
    eligibility: {additional_top_share: 0.3, outcome_oriented_top_share: 0.2}
    weight: none | first_insured | population
    caps: true                              # pay at most the request (所要見込額)
    redistribute: false                     # give money freed by caps to the others
    penalty_threshold: 0.30                 # municipal score rate at or below which the −10 applies
    grant: support                          # the grant whose 都道府県分 it splits (default: the report year's first)
"""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from kofukin.model.allocation import allocate
from kofukin.model.config import prefecture_budget, year_grants
from kofukin.model.schemas import DEFAULT_GRANT
from kofukin.model.errors import KofukinDataError
from kofukin.model.formulas import EXPECTED, formula_like

KEYS = {"label", "description", "budget_thousand_yen", "pots", "pot_budgets_thousand_yen", "eligibility", "weight", "caps", "redistribute",
        "penalty_threshold", "grant"}
POTS = ("base", "additional", "outcome_oriented")
WEIGHTS = ("none", "first_insured", "population")
ELIGIBILITY = ("additional_top_share", "outcome_oriented_top_share")


@dataclass(frozen=True)
class Scenario:
    """One scenario's rules, checked; defaults are the configuration's.

    >>> s = baseline(cfg)
    >>> s.budget, s.weight, s.caps
    (1000000, 'none', True)
    """

    name: str
    label: str
    description: str
    budget: int
    pots: dict | None                    # 千円 per pot, summing to ``budget``; None: one pot
    eligibility: dict
    weight: str
    caps: bool
    redistribute: bool
    penalty_threshold: float
    grant: str = DEFAULT_GRANT             # the grant whose 都道府県分 it splits (the report year's first by default)


def load_scenario(path: Path | str, cfg: dict) -> Scenario:
    """Read and check a scenario file; every problem names the file and the key.

    >>> s = load_scenario(Path("scenarios/frame.yaml"), cfg)
    >>> s.pots
    {'base': 750000, 'additional': 200000, 'outcome_oriented': 50000}
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KofukinDataError(path, [f"cannot read as YAML: {exc}"]) from None
    if not isinstance(raw, dict):
        raise KofukinDataError(path, ["a mapping of keys to values"])
    grants = year_grants(cfg, cfg["report_year"])
    grant = raw.get("grant", grants[0])
    problems = [f"key {k!r}: unknown (known keys: {', '.join(sorted(KEYS))})" for k in raw if k not in KEYS]
    if grant not in grants:
        problems.append(f"key 'grant': {grant!r} is not a grant fiscal year {cfg['report_year']} scores ({', '.join(grants)})")
        grant = grants[0]
    if not raw.get("label"):
        problems.append("key 'label': required (the title of the comparison page)")
    problems += [f"key {k!r}: {raw[k]!r} — expected {EXPECTED}" for k in ("label", "description") if formula_like(raw.get(k))]
    budget = raw.get("budget_thousand_yen", prefecture_budget(cfg, cfg["report_year"], grant))
    if not isinstance(budget, int) or isinstance(budget, bool) or budget < 0:
        problems.append(f"key 'budget_thousand_yen': {budget!r} is not a whole number of 千円, zero or more")
    pots = raw.get("pots")
    if pots is not None:
        if not isinstance(pots, dict) or set(pots) - set(POTS) or not pots:
            problems.append(f"key 'pots': {pots!r} must map some of {', '.join(POTS)} to shares")
        elif any(not isinstance(v, (int, float)) or v < 0 for v in pots.values()) or abs(sum(pots.values()) - 1) > 1e-9:
            problems.append(f"key 'pots': shares {pots!r} must be zero or more and sum to 1")
    amounts_given = raw.get("pot_budgets_thousand_yen")
    if amounts_given is not None:
        if pots is not None or "budget_thousand_yen" in raw:
            problems.append("key 'pot_budgets_thousand_yen': give it alone, without 'pots' or 'budget_thousand_yen'")
        elif (not isinstance(amounts_given, dict) or not amounts_given or set(amounts_given) - set(POTS)
              or any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in amounts_given.values())):
            problems.append(f"key 'pot_budgets_thousand_yen': {amounts_given!r} must map some of {', '.join(POTS)} "
                            "to whole numbers of 千円, zero or more")
        else:
            budget = sum(amounts_given.values())
    eligibility = {**configured_eligibility(cfg), **(raw.get("eligibility") or {})}
    for k, v in eligibility.items():
        if k not in ELIGIBILITY:
            problems.append(f"key 'eligibility.{k}': unknown (known: {', '.join(ELIGIBILITY)})")
        elif not isinstance(v, (int, float)) or not 0 < v <= 1:
            problems.append(f"key 'eligibility.{k}': {v!r} must be a share above 0 and at most 1")
    weight = raw.get("weight", "none")
    if weight not in WEIGHTS:
        problems.append(f"key 'weight': {weight!r} is not one of {', '.join(WEIGHTS)}")
    flags = {k: raw.get(k, default) for k, default in (("caps", True), ("redistribute", bool(cfg["allocation"]["redistribute"])))}
    problems += [f"key {k!r}: {v!r} is not true or false" for k, v in flags.items() if not isinstance(v, bool)]
    if (pots is not None or amounts_given is not None) and flags["redistribute"] is True:
        problems.append("key 'redistribute': not supported together with 'pots' (caps apply to the sum of the pots)")
    threshold = raw.get("penalty_threshold", cfg["scoring"]["penalty_threshold"])
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 < threshold < 1:
        problems.append(f"key 'penalty_threshold': {threshold!r} must be a score rate between 0 and 1")
    if problems:
        raise KofukinDataError(path, problems)
    if pots is not None:
        amounts_given = allocate(pd.Series(pots, dtype="float64"), int(budget)).to_dict()
    return Scenario(path.stem, str(raw["label"]), str(raw.get("description", "")), int(budget), amounts_given,
                    eligibility, weight, flags["caps"], flags["redistribute"], float(threshold), grant)


def configured_eligibility(cfg: dict) -> dict:
    """The configuration's eligibility shares for the frame's pots (``allocation.frame``).

    >>> configured_eligibility(cfg)
    {'additional_top_share': 0.3, 'outcome_oriented_top_share': 0.2}
    """
    return {k: cfg["allocation"]["frame"][k] for k in ELIGIBILITY}


def baseline(cfg: dict) -> Scenario:
    """The configuration's own rules, as a scenario.

    >>> baseline(cfg).label
    '基準（設定ファイルの規則）'
    """
    return baseline_of(cfg, year_grants(cfg, cfg["report_year"])[0])


def baseline_of(cfg: dict, grant: str) -> Scenario:
    """The configuration's own rules for one grant of the report year, as a scenario.

    >>> baseline_of(cfg, "promotion").budget
    1000000
    """
    return Scenario("baseline", "基準（設定ファイルの規則）", "", prefecture_budget(cfg, cfg["report_year"], grant), None,
                    configured_eligibility(cfg), "none", True, bool(cfg["allocation"]["redistribute"]),
                    float(cfg["scoring"]["penalty_threshold"]), grant)
