"""Load and check config/kofukin.yaml (years, budgets, thresholds, rank bands)."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kofukin.model import paths
from kofukin.model.errors import KofukinDataError
from kofukin.model.formulas import EXPECTED, formula_like


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
            "synthetic.totals_spread", "synthetic.totals_noise")


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
    return cfg


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
