"""評価指標: a grant's indicators of the report year — points and the national average per item (notebooks/items.py)."""

from kofukin.pages.page import Edition, Page

NOTEBOOK = "items.py"


def declare(e: Edition) -> list[Page]:
    """One page per grant of the report year with prefectural results.

    >>> [(p.name, p.tables) for p in declare(Edition(2019, 2018, 2025))]
    [('items', ('prefecture_item_scores',))]
    """
    pages = []
    for i, grant in enumerate(e.prefectural_grants):
        suffix, label, params = e.grant_parameters(grant)
        pages.append(Page(f"items{suffix}", NOTEBOOK, f"評価指標：{e.year}年度 都道府県分の配点と全国平均{label}", params,
                          ("prefecture_item_scores",), (e.year,), grant=grant if label else None, order=(i, 20)))
    return pages
