"""The report set: every page module of ``kofukin.pages`` with a ``declare(edition)`` joins it by itself (light
enough for ``doit list``, which imports it).
"""

import pkgutil
from functools import cache
from importlib import import_module
from pathlib import Path

from kofukin import pages as page_package
from kofukin.model import paths
from kofukin.pages.municipal_index import declare_indexes as municipal_index_pages
from kofukin.pages.municipality import declare_municipalities as municipal_pages
from kofukin.pages.page import HTML_DIR, PDF_DIR, TABLES_DIR, Edition, Page

__all__ = ["HTML_DIR", "PDF_DIR", "TABLES_DIR", "Page", "municipal_index_pages", "municipal_pages", "national_pages",
           "report_set"]


@cache
def declarations() -> tuple:
    """Every page module's ``declare``, in the order of the modules' names (the pages then sort by ``Page.order``).

    >>> [d.__module__.rsplit(".", 1)[1] for d in declarations()][:3]
    ['allocation', 'items', 'municipal']
    """
    modules = (import_module(f"{page_package.__name__}.{m.name}") for m in pkgutil.iter_modules(page_package.__path__))
    return tuple(m.declare for m in modules if hasattr(m, "declare"))


def pages_of(e: Edition, part: str) -> list[Page]:
    """The pages of one part of the report set (``kofukin.pages.page.PARTS``); the national ones in reading order —
    each grant's pages in turn, the municipal page after the first grant's 評価指標."""
    found = [p for declare in declarations() for p in declare(e) if p.part == part]
    names = [p.name for p in found]
    if twice := sorted({n for n in names if names.count(n) > 1}):
        raise ValueError(f"two page modules of kofukin/pages/ declare a page named {twice}: rename one")
    return sorted(found, key=lambda p: p.order) if part == "national" else found


def national_pages(year: int, compare_year: int, frame_year: int, split_year: int | None = None,
                   grants: dict[int, list[str]] | None = None, prefectural: bool = True) -> list[Page]:
    """The national pages, in reading order; ``frame_year``: the budget frame's (``allocation.frame.year``);
    with ``split_year`` (the latest two-grant year, ``two_grant_year``) also the municipal 年度比較 → ``split_year``
    and the frame's 市町村分 pots split by that year's scores. ``grants``: the grants of each year (``year_grants``;
    by default FY2018/FY2019's one and both in ``split_year``). A two-grant report year has the prefectural pages
    once per grant (``national``, ``national_support``, …: ``grant_suffix``), the 年度比較 for a grant the comparison
    year scores too; the municipal page shows both grants. A municipal-only report year (``prefectural`` False: FY2023)
    has the municipal pages alone.

    >>> [p.name for p in national_pages(2019, 2018, 2025)], national_pages(2019, 2018, 2025, 2023)[-1].title
    (['national', 'items', 'municipal', 'yoy', 'allocation'], '令和7年度 市町村分の配分枠：2023年度の得点による試算（推進・支援）')
    >>> [p.name for p in national_pages(2099, 2019, 2027, 2099, {2099: ["promotion", "support"]})]
    ['national', 'items', 'municipal', 'yoy', 'allocation', 'national_support', 'items_support', 'allocation_support', 'municipal_yoy', 'municipal_frame']
    >>> [p.name for p in national_pages(2023, 2019, 2025, 2023, {2023: ["promotion", "support"]}, prefectural=False)]
    ['municipal', 'municipal_yoy', 'municipal_frame']
    """
    return pages_of(Edition(year, compare_year, frame_year, split_year, grants or {}, prefectural), "national")


def edition(cfg: dict, raw: Path = paths.RAW) -> Edition:
    """The edition the configuration asks for."""
    from kofukin.model.config import has_prefectural_results, two_grant_year, year_grants

    year = cfg["report_year"]
    return Edition(year, cfg["compare_year"], int(cfg["allocation"]["frame"]["year"]), two_grant_year(cfg),
                   {y: year_grants(cfg, y) for y in cfg["years"]}, has_prefectural_results(cfg, year), raw)


def report_set(cfg: dict, raw: Path = paths.RAW) -> tuple[list[Page], list[Page], list[Page]]:
    """The national, profile and scenario pages the configuration asks for (what ``doit`` builds and the
    benchmark measures): per grant of the report year; none of the prefectural ones in a municipal-only year.

    >>> national, profiles, scenarios = report_set(cfg)
    >>> len(national), len(profiles), len(scenarios)
    (7, 47, 2)
    """
    e = edition(cfg, raw)
    return pages_of(e, "national"), pages_of(e, "profile"), pages_of(e, "scenario")
