"""交付額: a grant's 都道府県分 of the report year — share by score, the requests' cap, the amounts — and the budget
frame of ``allocation.frame.year`` split among the prefectures (notebooks/allocation.py)."""

from kofukin.pages.page import Edition, Page
from kofukin.report.units import fiscal_year_label

NOTEBOOK = "allocation.py"


def declare(e: Edition) -> list[Page]:
    """One page per grant of the report year with prefectural results; the title states the frame's year.

    >>> [(p.name, p.title) for p in declare(Edition(2019, 2018, 2025))]
    [('allocation', '交付額：2019年度 都道府県分と令和7年度の配分枠')]
    """
    pages = []
    for i, grant in enumerate(e.prefectural_grants):
        suffix, label, params = e.grant_parameters(grant)
        pages.append(Page(f"allocation{suffix}", NOTEBOOK,
                          f"交付額：{e.year}年度 都道府県分と{fiscal_year_label(e.frame_year)}の配分枠{label}", params,
                          ("prefecture_allocation", "prefecture_scores", "budget_frame"), (e.year,),
                          grant=grant if label else None, order=(i, 40)))
    return pages
