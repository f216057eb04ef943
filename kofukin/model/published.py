"""The published figures (data/raw/published/published_figures.csv) looked up by year, level and metric."""

import pandas as pd


def published_values(figures: pd.DataFrame, year: int, level: str, metric: str) -> pd.Series:
    """Published values of one metric, indexed by pref_code ("" where no prefecture is named).

    >>> published_values(src["figures"], 2018, "prefecture", "score").to_dict()
    {'13': 730.0, '27': 730.0}
    """
    rows = figures[(figures.fiscal_year == year) & (figures.level == level) & (figures.metric == metric)]
    return rows.set_index(rows["pref_code"].fillna(""))["value"]


def required_values(figures: pd.DataFrame, year: int, level: str, metric: str) -> pd.Series:
    """Published values of one metric by pref_code; an error if there are none.

    >>> required_values(src["figures"], 2018, "prefecture", "lowest_score").to_dict()
    {'12': 425.0}
    """
    values = published_values(figures, year, level, metric)
    if values.empty:
        raise ValueError(f"published figures lack {year} {level} {metric}")
    return values
