"""Load and check config/kofukin.yaml (years, budgets, thresholds, rank bands)."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kofukin.model import paths
from kofukin.model.errors import KofukinDataError
from kofukin.model.formulas import EXPECTED, formula_like


@dataclass(frozen=True)
class ScoringRules:
    """Open scoring rules: penalty threshold and points, rank bands of derived items.

    >>> ScoringRules(penalty_threshold=0.25).penalty_points
    -10
    >>> ScoringRules(penalty_threshold=1.5)
    Traceback (most recent call last):
        ...
    ValueError: penalty_threshold must be between 0 and 1, got 1.5
    """

    penalty_threshold: float = 0.30
    penalty_points: int = -10
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
    missing = [k for k in ("report_year", "compare_year", "years", "scoring", "allocation", "synthetic") if k not in cfg]
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

    >>> scoring_rules(cfg).penalty_threshold, scoring_rules(cfg).rank_bands["III-①"]
    (0.3, [(24, 20)])
    """
    s = cfg["scoring"]
    bands = {item: [(int(r), int(p)) for r, p in b] for item, b in s.get("rank_bands", {}).items()}
    return ScoringRules(float(s["penalty_threshold"]), int(s["penalty_points"]), bands)
