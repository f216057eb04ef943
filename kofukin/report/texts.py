"""Sentences on the prefectural penalty that several pages share (全国版, 市町村版, the municipality pages), written
from the configuration; a page's own sentences are in its module (``kofukin.pages.<page>``)."""

from kofukin.report.data import Report
from kofukin.report.units import rate_label


def penalty_level(r: Report) -> str:
    """The municipalities that trigger the prefectural penalty (``scoring.penalty_threshold``).

    >>> penalty_level(r)
    '得点率3割以下'
    """
    return f"得点率{rate_label(r.scoring.penalty_threshold)}以下"


NO_RULE_NOTE = "この年度には、市町村の得点による都道府県分の減点の規定がありません。"
