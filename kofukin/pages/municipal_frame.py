"""市町村分の配分枠: the budget frame's 市町村分 split among the municipalities by the latest two-grant year's scores
(notebooks/municipal_frame.py)."""

from kofukin.model.schemas import GRANT_NAMES
from kofukin.pages.page import Edition, Page
from kofukin.report.units import fiscal_year_label

NOTEBOOK = "municipal_frame.py"


def declare(e: Edition) -> list[Page]:
    """One page where the configuration has a two-grant year (``split_year``), last of the national pages; the title
    states the frame's year.

    >>> [p.title for p in declare(Edition(2019, 2018, 2025, 2023))]
    ['令和7年度 市町村分の配分枠：2023年度の得点による試算（推進・支援）']
    """
    if e.split_year is None:
        return []
    names = "・".join(GRANT_NAMES[g][0] for g in e.grants_of(e.split_year))
    return [Page("municipal_frame", NOTEBOOK,
                 f"{fiscal_year_label(e.frame_year)} 市町村分の配分枠：{e.split_year}年度の得点による試算（{names}）", {},
                 ("municipal_frame", "municipal_frame_pots", "inputs/municipalities", "budget_frame", "municipal_scores"),
                 (e.split_year,), order=(99, 20))]   # every figure is of the split year's tables; an earlier year enters
                                                     # them only where it is as real or as synthetic as the split year
