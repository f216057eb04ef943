"""市町村版: the municipalities' results of the report year by prefecture — distribution, the penalty, the 市町村分 of
each grant (notebooks/municipal.py)."""

from kofukin.pages.page import Edition, Page, grants_label

NOTEBOOK = "municipal.py"


def declare(e: Edition) -> list[Page]:
    """One page, after the first grant's 全国版 and 評価指標 (or first, in a municipal-only year).

    >>> [(p.name, p.title) for p in declare(Edition(2019, 2018, 2025))]
    [('municipal', '市町村版：2019年度 都道府県別市町村得点')]
    """
    grants = e.grants_of(e.year)
    return [Page("municipal", NOTEBOOK, f"市町村版：{e.year}年度 都道府県別市町村得点{grants_label(grants)}",
                 {"fiscal_year": e.year, "compare_year": e.compare_year},
                 ("municipal_scores", "prefecture_scores", "inputs/municipalities")
                 + (("municipal_allocation",) if len(grants) > 1 else ()),       # penalty table; 市町村分 of both
                 (e.year,), shows_names=True, order=(0, 25))]
