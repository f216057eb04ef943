"""市町村分の年度比較: the municipalities' scores of two years — the report year and the latest two-grant year —
by category and prefecture (notebooks/municipal_years.py)."""

from kofukin.model.config import municipal_comparison
from kofukin.model.schemas import GRANT_NAMES
from kofukin.pages.page import Edition, Page

NOTEBOOK = "municipal_years.py"


def declare(e: Edition) -> list[Page]:
    """One page where the configuration has a two-grant year (``split_year``), after every grant's pages.

    >>> declare(Edition(2019, 2018, 2025)), [p.title for p in declare(Edition(2019, 2018, 2025, 2023))]
    ([], ['市町村分の年度比較：2019年度→2023年度（推進・支援）'])
    """
    if e.split_year is None:
        return []
    before, _ = municipal_comparison(e.year, e.compare_year, e.split_year)
    names = "・".join(GRANT_NAMES[g][0] for g in e.grants_of(e.split_year))
    return [Page("municipal_yoy", NOTEBOOK, f"市町村分の年度比較：{before}年度→{e.split_year}年度（{names}）",
                 {"fiscal_year": e.split_year, "compare_year": before}, ("municipal_scores",), (before, e.split_year),
                 order=(99, 10))]
