"""The indicator catalogue: items, their categories, points and scoring rules."""

from pathlib import Path

import pandas as pd

from . import paths
from .errors import KofukinDataError
from .schemas import MUNI_CATEGORIES, TOTAL, read_table


def parse_levels(text: str) -> tuple[int, ...]:
    """Points of each level, lowest first: ``"0|12|24"`` → ``(0, 12, 24)``."""
    return tuple(sorted(int(p) for p in text.split("|")))


def load_items(path: Path | str) -> pd.DataFrame:
    """Catalogue items with ``levels`` parsed; checks that levels end at the item's points."""
    items = read_table("prefecture_items", path)
    items["levels"] = items["levels"].map(parse_levels)
    problems = []
    for i, row in items.iterrows():
        top = row.levels[-1]
        if top != row.max_points:
            problems.append(f"row {i + 2}, field 'levels': highest level {top} differs from max_points {row.max_points}")
        if row.rule == "penalty" and (len(row.levels) != 2 or row.levels[0] >= 0):
            problems.append(f"row {i + 2}, field 'levels': a penalty item needs levels '<negative>|0'")
    if problems:
        raise KofukinDataError(path, problems)
    return items


def load_categories(path: Path | str) -> pd.DataFrame:
    """Published category table (max points, national average, score rate) including TOTAL."""
    return read_table("prefecture_categories", path)


def category_max(items: pd.DataFrame) -> pd.Series:
    """Max points per category implied by the items, plus TOTAL."""
    per = items.groupby("category", sort=False)["max_points"].sum()
    return pd.concat([per, pd.Series({TOTAL: per.sum()})])


def year_catalogue(cfg: dict, year: int, raw: Path = paths.RAW) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Items and published categories of ``year`` as named in the configuration."""
    entry = cfg["years"][year]
    return load_items(raw / entry["prefecture_catalogue"]), load_categories(raw / entry["prefecture_categories"])


def municipal_maxima(cfg: dict, municipal_categories: pd.DataFrame, year: int) -> dict[str, int]:
    """Category maxima of the municipal indicators: published, else the configured assumption."""
    pub = municipal_categories[(municipal_categories.fiscal_year == year)].set_index("category")["max_points"]
    if all(c in pub.index for c in MUNI_CATEGORIES):
        return {c: int(pub[c]) for c in MUNI_CATEGORIES}
    return {c: int(v) for c, v in cfg["years"][year]["municipal_category_max"].items()}
