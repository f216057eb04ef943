"""市町村別の結果: one prefecture's municipalities in a sortable table, each linking to its page
(notebooks/municipal_index.py)."""

from pathlib import Path

from kofukin.model import paths
from kofukin.pages.page import Page, prefectures

NOTEBOOK = "municipal_index.py"


def declare_indexes(year: int, raw: Path = paths.RAW) -> list[Page]:
    """One municipal index per prefecture (reports/html/municipal/<pref>/index.html).

    >>> pages = declare_indexes(2019)
    >>> len(pages), pages[12].name, pages[12].title
    (47, 'municipal/13/index', '市町村別の結果：東京都（2019年度）')
    """
    return [Page(f"municipal/{p['pref_code']}/index", NOTEBOOK, f"市町村別の結果：{p['pref_name']}（{year}年度）",
                 {"fiscal_year": year, "pref_code": p["pref_code"]}, years=(year,), part="municipal_index")
            for p in prefectures(raw)]
