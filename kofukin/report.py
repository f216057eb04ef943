"""Report data: the processed tables, loaded and checked, with the raw catalogue beside them."""

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths
from .catalogue import load_categories, load_items
from .config import load_config
from .schemas import read_table


@dataclass
class Report:
    """Everything a report page shows, for one report year and its comparison year."""

    year: int
    compare_year: int
    scores: pd.DataFrame
    item_scores: pd.DataFrame
    municipal: pd.DataFrame
    allocation: pd.DataFrame
    stakes: pd.DataFrame
    frame: pd.DataFrame
    consistency: pd.DataFrame
    municipalities: pd.DataFrame
    items: pd.DataFrame
    categories: pd.DataFrame
    municipal_categories: pd.DataFrame
    figures: pd.DataFrame
    vintage: dict

    @property
    def synthetic(self) -> bool:
        """True when any table shown was built from synthetic inputs."""
        return any(self.vintage["synthetic"].values())

    def pref_name(self, code: str) -> str:
        return self.scores.loc[self.scores.pref_code == code, "pref_name"].iloc[0]

    def category_label(self, code: str) -> str:
        return self.categories.set_index("category").at[code, "short_label"]


def load(processed: Path | str | None = None, raw: Path | str | None = None, config: Path | str | None = None,
         year: int | None = None, compare_year: int | None = None) -> Report:
    """Load the processed tables (schema-checked) and the raw catalogue of the report year.

    ``year`` and ``compare_year``, when given, must be the years the processed data were built for.
    """
    processed = Path(processed or paths.PROCESSED)
    raw = Path(raw or paths.RAW)
    cfg = load_config(config or paths.CONFIG)
    vintage = json.loads((processed / "vintage.json").read_text(encoding="utf-8"))
    built = (vintage["report_year"], vintage["compare_year"])
    if (year or built[0], compare_year or built[1]) != built:
        raise ValueError(f"{processed} holds {built[0]} compared with {built[1]}, not {year} with {compare_year}: "
                         "set report_year/compare_year in the configuration and run doit")
    year = built[0]
    entry = cfg["years"][year]

    def table(name, file=None):
        return read_table(name, processed / f"{file or name}.csv")

    return Report(
        year=year, compare_year=built[1],
        scores=table("prefecture_scores"), item_scores=table("prefecture_item_scores"),
        municipal=table("municipal_scores"), allocation=table("prefecture_allocation"),
        stakes=table("prefecture_item_stakes"), frame=table("budget_frame_2025"),
        consistency=table("source_consistency"), municipalities=table("municipalities", "inputs/municipalities"),
        items=load_items(raw / entry["prefecture_catalogue"]), categories=load_categories(raw / entry["prefecture_categories"]),
        municipal_categories=read_table("municipal_categories", raw / "catalogue" / "municipal_categories.csv"),
        figures=read_table("published_figures", raw / "published" / "published_figures.csv"),
        vintage=vintage,
    )
