"""The prefectural penalty of a grant, as the pages and bundles find it — its item, or none, or no rule in the year —
and how the pages state it (全国版, 市町村版, the municipality pages), from the configuration."""

import pandas as pd

from kofukin.model.catalogue import penalty_items
from kofukin.report.data import Report
from kofukin.report.units import rate_label


NO_RULE = ""      # penalty_item where penalty_level is blank: the year has no penalty rule
NO_RULE_NOTE = "この年度には、市町村の得点による都道府県分の減点の規定がありません。"


def penalty_item(items: pd.DataFrame, levels: pd.Series) -> str | None:
    """The prefectural item that one grant's municipalities at or below the penalty threshold cost their prefecture
    (``items``: that grant's catalogue, rule ``penalty``; ``levels``: the municipalities' penalty_level): 'III-②';
    None where the grant's catalogue has no such item (its pages say nothing of a penalty); NO_RULE ("") where
    the levels are blank (the year has no penalty rule).

    >>> penalty_item(r.items, r.municipal["penalty_level"]), penalty_item(r.items[r.items.rule != "penalty"], r.municipal["penalty_level"])
    ('III-②', None)
    >>> penalty_item(r.items, pd.Series([pd.NA, pd.NA], dtype="boolean")) == NO_RULE
    True
    """
    found = penalty_items(items)
    if len(items) and not found:
        return None
    if len(levels) and levels.isna().all():
        return NO_RULE
    return found[0] if found else None


def penalty_of(r: Report) -> str | None:
    """The penalty item of the Report's grant in its report year (``penalty_item``): None for a grant without one.

    >>> penalty_of(r), [penalty_of(x) for x in rs2]
    ('III-②', ['III-②', None])
    """
    return penalty_item(r.items, r.municipal.loc[r.municipal.fiscal_year == r.year, "penalty_level"])


def penalty_level(r: Report) -> str:
    """The municipalities that trigger the prefectural penalty (``scoring.penalty_threshold``).

    >>> penalty_level(r)
    '得点率3割以下'
    """
    return f"得点率{rate_label(r.scoring.penalty_threshold)}以下"
