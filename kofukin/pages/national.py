"""全国版: a grant's prefectural results of the report year — key figures, ranking, categories, the map, the
allocation at a glance, the published figures reproduced (notebooks/national.py)."""

from kofukin.pages.page import Edition, Page

NOTEBOOK = "national.py"


def declare(e: Edition) -> list[Page]:
    """One page per grant of the report year with prefectural results.

    >>> [p.name for p in declare(Edition(2019, 2018, 2025))], declare(Edition(2019, 2018, 2025))[0].shows["inputs/municipalities"]
    (['national'], [2019])
    """
    pages = []
    for i, grant in enumerate(e.prefectural_grants):
        suffix, label, params = e.grant_parameters(grant)
        both = (e.compare_year, e.year) if grant in e.grants_of(e.compare_year) else (e.year,)   # what its notice covers
        pages.append(Page(f"national{suffix}", NOTEBOOK, f"全国版：{e.year}年度 都道府県分の評価結果{label}", params,
                          ("prefecture_scores", "prefecture_item_scores", "prefecture_allocation", "source_consistency",
                           "inputs/municipalities"), both, ("inputs/municipalities",),     # the map: per first-insured person
                          grant=grant if label else None, order=(i, 10)))
    return pages
