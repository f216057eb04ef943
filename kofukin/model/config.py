"""Load and check config/kofukin.yaml (years, budgets, thresholds, rank bands)."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kofukin.model import paths
from kofukin.model.errors import KofukinDataError
from kofukin.model.formulas import EXPECTED, formula_like
from kofukin.model.schemas import GRANTS, PREFECTURAL_GRANT


@dataclass(frozen=True)
class ScoringRules:
    """Open scoring rules: penalty threshold and points, the outcome category, rank bands of derived items.

    >>> ScoringRules(0.25, -5, "III").penalty_points
    -5
    >>> ScoringRules(1.5, -10, "III")
    Traceback (most recent call last):
        ...
    ValueError: penalty_threshold must be between 0 and 1, got 1.5
    """

    penalty_threshold: float
    penalty_points: int
    outcome_category: str               # the category of the outcome indicators (アウトカム指標)
    rank_bands: dict = field(default_factory=dict)

    def __post_init__(self):
        if not 0 < self.penalty_threshold < 1:
            raise ValueError(f"penalty_threshold must be between 0 and 1, got {self.penalty_threshold}")
        if self.penalty_points > 0:
            raise ValueError(f"penalty_points must be zero or negative, got {self.penalty_points}")
        for item, bands in self.rank_bands.items():
            ranks = [int(r) for r, _ in bands]
            if ranks != sorted(ranks) or len(set(ranks)) != len(ranks) or ranks[0] < 1:
                raise ValueError(f"rank_bands[{item}]: ranks must rise from 1 up, got {ranks}")


# Every key the build reads without a default (docs/assumptions.md names the value each one holds).
REQUIRED = ("report_year", "compare_year", "years", "scoring.penalty_threshold", "scoring.penalty_points",
            "scoring.outcome_category", "allocation.redistribute", "allocation.frame_2025.file",
            "allocation.frame_2025.year", "allocation.frame_2025.additional_top_share",
            "allocation.frame_2025.outcome_oriented_top_share", "synthetic.seed", "synthetic.years",
            "synthetic.first_insured_ratio", "synthetic.request_factor", "synthetic.item_noise",
            "synthetic.totals_spread", "synthetic.totals_noise", "allocation.municipal_frame_2025.ranking_category",
            "allocation.municipal_frame_2025.additional_top_share", "allocation.municipal_frame_2025.years_top_share",
            "allocation.municipal_frame_2025.additional_years", "allocation.municipal_frame_2025.outcome_oriented_municipalities")


def _has(cfg, key: str) -> bool:
    """Whether a dotted ``key`` is present in a loaded YAML document.

    >>> _has({"a": {"b": 0}}, "a.b"), _has({"a": {"b": 0}}, "a.c"), _has({"a": 1}, "a.b")
    (True, False, False)
    """
    for part in key.split("."):
        if not isinstance(cfg, dict) or part not in cfg:
            return False
        cfg = cfg[part]
    return True


def load_config(path: Path | str = paths.CONFIG) -> dict:
    """Read the YAML configuration; year keys become integers.

    >>> cfg = load_config()
    >>> cfg["report_year"], sorted(cfg["years"])[:2]
    (2019, [2018, 2019])
    """
    path = Path(path)
    try:
        cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KofukinDataError(path, [str(exc)]) from exc
    missing = [k for k in REQUIRED if not _has(cfg, k)]
    if missing:
        raise KofukinDataError(path, [f"missing key {k!r}" for k in missing])
    formulas = [f"key {k!r}: {v!r} — expected {EXPECTED}" for k, v in _texts(cfg) if formula_like(v)]
    if formulas:
        raise KofukinDataError(path, formulas)
    cfg["years"] = {int(y): v for y, v in cfg["years"].items()}
    problems = [p for year in cfg["years"] for p in _grant_problems(cfg, year)]
    if problems:
        raise KofukinDataError(path, problems)
    return cfg


def year_grants(cfg: dict, year: int) -> list[str]:
    """The grants a configured year scores (``years.<y>.grants``; promotion alone where not given, the
    programme of FY2018/FY2019).

    >>> year_grants(cfg, 2019), year_grants(cfg, 2023)
    (['promotion'], ['promotion', 'support'])
    """
    return list(cfg["years"].get(year, {}).get("grants", [PREFECTURAL_GRANT]))


def two_grant_year(cfg: dict) -> int | None:
    """The latest configured year that scores both grants (the FY2025 市町村分 pots are split by its
    scores), or None.

    >>> two_grant_year(cfg)
    2023
    """
    years = [y for y in sorted(cfg["years"]) if len(year_grants(cfg, y)) > 1]
    return years[-1] if years else None


def municipal_budget(cfg: dict, year: int, grant: str) -> int | None:
    """A year's 市町村分 budget of one grant in 千円 (``years.<y>.municipal_budget_thousand_yen``: one amount
    for a one-grant year, else one per grant); None where the year has none.

    >>> municipal_budget(cfg, 2019, "promotion"), municipal_budget(cfg, 2023, "support")
    (19000000, 19000000)
    """
    budget = cfg["years"].get(year, {}).get("municipal_budget_thousand_yen")
    if isinstance(budget, dict):
        return int(budget[grant]) if grant in budget else None
    return None if budget is None else int(budget)


def _grant_problems(cfg: dict, year: int) -> list[str]:
    """What is wrong with a year's grants and their municipal budgets, each naming its key.

    >>> _grant_problems({"years": {2030: {"grants": ["promotion", "bonus"], "municipal_budget_thousand_yen": 5}}}, 2030)
    ["key 'years.2030.grants': unknown grant 'bonus' (known: promotion, support)", "key 'years.2030.municipal_budget_thousand_yen': one amount per grant (promotion, bonus), as a mapping"]
    """
    entry, key = cfg["years"][year], f"years.{year}"
    grants = entry.get("grants", [PREFECTURAL_GRANT])
    if not isinstance(grants, list) or not grants or len(set(grants)) != len(grants):
        return [f"key '{key}.grants': a list of distinct grants ({', '.join(GRANTS)}), got {grants!r}"]
    problems = [f"key '{key}.grants': unknown grant {g!r} (known: {', '.join(GRANTS)})" for g in grants if g not in GRANTS]
    budget = entry.get("municipal_budget_thousand_yen")
    if isinstance(budget, dict):
        problems += [f"key '{key}.municipal_budget_thousand_yen.{g}': missing (a budget for each grant the year scores)"
                     for g in grants if g not in budget]
        problems += [f"key '{key}.municipal_budget_thousand_yen.{g}': not a grant the year scores ({', '.join(grants)})"
                     for g in budget if g not in grants]
    elif budget is not None and len(grants) > 1:
        problems.append(f"key '{key}.municipal_budget_thousand_yen': one amount per grant ({', '.join(grants)}), as a mapping")
    return problems


def _texts(value, key: str = ""):
    """Every key and text value of a loaded YAML document, with its dotted key.

    >>> list(_texts({"a": {"b": "x", "c": [1, "＝y"]}}))
    [('a', 'a'), ('a.b', 'b'), ('a.b', 'x'), ('a.c', 'c'), ('a.c[1]', '＝y')]
    """
    if isinstance(value, dict):
        for k, v in value.items():
            where = f"{key}.{k}" if key else str(k)
            yield where, k
            yield from _texts(v, where)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, f"{key}[{i}]")
    elif isinstance(value, str):
        yield key, value


def scoring_rules(cfg: dict) -> ScoringRules:
    """The ScoringRules named in a loaded configuration.

    >>> rules = scoring_rules(cfg)
    >>> rules.penalty_threshold, rules.outcome_category, rules.rank_bands["III-①"]
    (0.3, 'III', [(24, 20)])
    """
    s = cfg["scoring"]
    bands = {item: [(int(r), int(p)) for r, p in b] for item, b in s.get("rank_bands", {}).items()}
    return ScoringRules(float(s["penalty_threshold"]), int(s["penalty_points"]), str(s["outcome_category"]), bands)
