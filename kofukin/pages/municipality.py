"""市町村別: one municipality's results — each grant's score, rank, categories, distribution, the penalty, stakes,
peers and the years before (notebooks/municipality.py)."""

import json
from pathlib import Path

from kofukin.model import paths
from kofukin.pages.page import Page

NOTEBOOK = "municipality.py"


def declare_municipalities(year: int, bundles: Path = paths.municipal_bundles(), prefectures: list[str] | None = None) -> list[Page]:
    """One page per municipality in the data build's municipal indexes (reports/html/municipal/<pref>/<code>.html),
    of every prefecture or of ``prefectures``; none before the first data build.

    >>> pages = declare_municipalities(2019, processed / "municipal")
    >>> len(pages), pages[0].name, pages[0].title, pages[0].index_href
    (1741, 'municipal/01/S01001', '市町村別：合成市町村01-001（北海道・2019年度）', '../../index.html')
    >>> len(declare_municipalities(2019, processed / "municipal", ["31"]))
    19
    """
    pages = []
    for f in sorted(Path(bundles).glob("*/index.json")):
        if prefectures is not None and f.parent.name not in prefectures:
            continue
        idx = json.loads(f.read_text(encoding="utf-8"))
        pages += [Page(f"municipal/{idx['pref_code']}/{m['muni_code']}", NOTEBOOK,
                       f"市町村別：{m['muni_name']}（{idx['pref_name']}・{year}年度）", {"fiscal_year": year, "muni_code": m["muni_code"]},
                       years=(idx["compare_year"], year), part="municipality") for m in idx["municipalities"]]
    return pages
