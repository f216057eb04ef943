"""年度比較: a grant's prefectural results of the comparison year beside the report year's — ranks, score rates,
outcome indicators, seed 000's findings recomputed (notebooks/yoy.py)."""

from kofukin.pages.page import Edition, Page

NOTEBOOK = "yoy.py"


def declare(e: Edition) -> list[Page]:
    """One page per grant of the report year that the comparison year scores too.

    >>> [p.name for p in declare(Edition(2099, 2019, 2027, 2099, {2099: ["promotion", "support"]}))]
    ['yoy']
    """
    pages = []
    for i, grant in enumerate(e.prefectural_grants):
        if grant not in e.grants_of(e.compare_year):
            continue
        suffix, label, params = e.grant_parameters(grant)
        pages.append(Page(f"yoy{suffix}", NOTEBOOK, f"年度比較：{e.compare_year}年度→{e.year}年度{label}", params,
                          ("prefecture_scores", "prefecture_item_scores", "municipal_scores"), (e.compare_year, e.year),
                          grant=grant if label else None, order=(i, 30)))
    return pages
