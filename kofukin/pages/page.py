"""What every page module declares its pages with: ``Page`` (notebook, parameters, title, the tables and years it
shows, where it stands in the report) and ``Edition`` (the years and grants the report set is built for).

A page module of ``kofukin.pages`` with a ``declare(edition)`` function joins the report set by itself
(``kofukin.make.pages``): a new page kind is one module here and one notebook in notebooks/.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from kofukin.model import paths
from kofukin.model.paths import PREFECTURES
from kofukin.model.schemas import DEFAULT_GRANT, GRANT_NAMES, GRANTS

HTML_DIR = paths.REPORTS / "html"
PDF_DIR = paths.REPORTS / "pdf"
EXECUTED_DIR = paths.BUILD / "executed"
NOTEBOOKS = paths.ROOT / "notebooks"
TABLES_DIR = paths.REPORTS / "tables"
# the report set's parts: the three of ``kofukin.make.pages.report_set`` and the municipal edition's two
PARTS = ("national", "profile", "scenario", "municipality", "municipal_index")


@dataclass(frozen=True)
class Page:
    """One report page: its notebook, parameters and title.

    >>> page = Page("items", "items.py", "評価指標", tables=("prefecture_item_scores",), years=(2019,))
    >>> page.tables[0], [p.name for p in (page.source, page.executed, page.html, page.pdf)]
    ('prefecture_item_scores', ['items.py', 'items.ipynb', 'items.html', 'items.pdf'])
    """

    name: str
    notebook: str
    title: str
    parameters: dict = field(default_factory=dict)
    tables: tuple[str, ...] = ()          # processed tables the page shows (its data dependencies)
    years: tuple[int, ...] = ()           # fiscal years whose figures it shows (what its 合成データ notice covers)
    current: tuple[str, ...] = ()         # tables of which it shows only the report year (the last of ``years``)
    shows_names: bool = False             # whether it shows municipalities' names (a rename then rebuilds it)
    grant: str | None = None              # the grant it shows, where its year scores two (the index groups by it)
    part: str = "national"                # the part of the report set it belongs to (``PARTS``)
    order: tuple[int, int] = (0, 0)       # its place among the national pages: (the grant's, the page kind's)

    @property
    def shows(self) -> dict[str, list[int]]:
        """Each table the page shows → the fiscal years of it shown (its dependencies and its notice).

        >>> Page("p", "p.py", "t", tables=("a", "b"), years=(2018, 2019), current=("b",)).shows
        {'a': [2018, 2019], 'b': [2019]}
        """
        return {t: [self.years[-1]] if t in self.current else list(self.years) for t in self.tables}

    @property
    def html(self) -> Path:
        """The page's HTML file under reports/html/."""
        return HTML_DIR / f"{self.name}.html"

    @property
    def pdf(self) -> Path:
        """The page's PDF under reports/pdf/."""
        return PDF_DIR / f"{self.name}.pdf"

    @property
    def executed(self) -> Path:
        """The executed notebook under build/executed/."""
        return EXECUTED_DIR / f"{self.name}.ipynb"

    @property
    def index_href(self) -> str:
        """The report index, relative to the page (pages under municipal/13/ are two folders down)."""
        return "../" * self.name.count("/") + "index.html"

    @property
    def source(self) -> Path:
        """The notebook the page is built from."""
        return NOTEBOOKS / self.notebook


@dataclass(frozen=True)
class Edition:
    """What the report set is built for: the report and comparison years, the budget frame's year
    (``allocation.frame.year``), the latest two-grant year (``split_year``, ``two_grant_year``; None without one), the
    grants each year scores (``year_grants``) and whether the report year has prefectural results.

    >>> e = Edition(2019, 2018, 2025, 2023)
    >>> e.grants_of(2019), e.grants_of(2023), e.prefectural_grants
    (['promotion'], ['promotion', 'support'], ['promotion'])
    """

    year: int
    compare_year: int
    frame_year: int
    split_year: int | None = None
    grants: dict[int, list[str]] = field(default_factory=dict)
    prefectural: bool = True
    raw: Path = paths.RAW

    def grants_of(self, year: int) -> list[str]:
        """The grants ``year`` scores: as configured, else both in the two-grant year and one before it."""
        default = list(GRANTS) if year == self.split_year else [DEFAULT_GRANT]
        return self.grants.get(year, default)

    @property
    def prefectural_grants(self) -> list[str]:
        """The grants of the report year with prefectural pages (none in a municipal-only year)."""
        return self.grants_of(self.year) if self.prefectural else []

    def grant_parameters(self, grant: str) -> tuple[str, str, dict]:
        """A prefectural page's name suffix, title suffix and parameters for ``grant`` of the report year.

        >>> Edition(2099, 2019, 2027, 2099, {2099: ["promotion", "support"]}).grant_parameters("support")
        ('_support', '（支援）', {'fiscal_year': 2099, 'compare_year': 2019, 'grant': 'support'})
        """
        grants = self.grants_of(self.year)
        label = grant_label(grant, grants)
        return (paths.grant_suffix(grant, grants), label,
                {"fiscal_year": self.year, "compare_year": self.compare_year} | ({"grant": grant} if label else {}))


    def grant_pages(self, notebook: str, title: str, tables: tuple[str, ...], order: int, *, both: bool = False,
                    compared_only: bool = False, current: tuple[str, ...] = ()) -> list[Page]:
        """A prefectural page kind's pages: one per grant of the report year with prefectural results (with
        ``compared_only``, of those the comparison year scores too), named by the notebook (``allocation_support``),
        titled ``title`` and the grant where the year scores two; showing the report year, with ``both`` also the
        comparison year where that scores the grant; ``order``: the kind's place among a grant's pages.

        >>> e = Edition(2099, 2019, 2027, 2099, {2099: ["promotion", "support"]})
        >>> [(p.name, p.title, p.years, p.order) for p in e.grant_pages("items.py", "評価指標", (), 20, both=True)]
        [('items', '評価指標（推進）', (2019, 2099), (0, 20)), ('items_support', '評価指標（支援）', (2099,), (1, 20))]
        """
        pages = []
        for i, grant in enumerate(self.prefectural_grants):
            compared = grant in self.grants_of(self.compare_year)
            if compared_only and not compared:
                continue
            suffix, label, params = self.grant_parameters(grant)
            years = (self.compare_year, self.year) if both and compared else (self.year,)
            pages.append(Page(f"{Path(notebook).stem}{suffix}", notebook, f"{title}{label}", params, tables, years, current,
                              grant=grant if label else None, order=(i, order)))
        return pages


def grants_label(grants: list[str]) -> str:
    """What the title of a page showing every grant of its year adds where there are two: 「（推進・支援）」.

    >>> grants_label(["promotion", "support"]), grants_label(["promotion"])
    ('（推進・支援）', '')
    """
    return f"（{'・'.join(GRANT_NAMES[g][0] for g in grants)}）" if len(grants) > 1 else ""


def grant_label(grant: str, grants: list[str]) -> str:
    """What a page title of one grant adds where its year scores two: 「（支援）」.

    >>> grant_label("support", ["promotion", "support"]), grant_label("promotion", ["promotion"])
    ('（支援）', '')
    """
    return f"（{GRANT_NAMES[grant][0]}）" if len(grants) > 1 else ""


def prefectures(raw: Path = paths.RAW) -> list[dict]:
    """The prefectures (code, name, region) for naming pages; the data build checks the file's schema.

    >>> prefectures()[12]["pref_name"]
    '東京都'
    """
    with open(raw / PREFECTURES, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
