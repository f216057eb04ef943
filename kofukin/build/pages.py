"""The report set: its pages, where they are built and their style (light: `doit list` imports it)."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from kofukin.model import paths
from kofukin.report.units import fiscal_year_label

HTML_DIR = paths.REPORTS / "html"
PDF_DIR = paths.REPORTS / "pdf"
EXECUTED_DIR = paths.BUILD / "executed"
NOTEBOOKS = paths.ROOT / "notebooks"
TABLES_DIR = paths.REPORTS / "tables"
CSS = (Path(__file__).parent / "page.css").read_text(encoding="utf-8")      # every page's and the index's style
# Sheets of the report workbook, each also a CSV in TABLES_DIR (kofukin.report.exports.report_tables).
TABLE_SHEETS = ["都道府県別得点", "区分別得点率", "区分別全国平均", "評価指標", "年度比較", "交付額", "令和7年度配分枠",
                "指標の価値", "区分の価値", "市町村分交付額", "地図の値", "得点率3割以下の市町村", "全国の推移", "資料の年度比較",
                "令和7年度配分枠（全国）"]


@dataclass(frozen=True)
class Page:
    """One report page: its notebook, parameters and title.

    >>> page = national_pages(2019, 2018, 2025)[1]
    >>> page.name, page.tables[0], [p.name for p in (page.source, page.executed, page.html, page.pdf)]
    ('items', 'prefecture_item_scores', ['items.py', 'items.ipynb', 'items.html', 'items.pdf'])
    """

    name: str
    notebook: str
    title: str
    parameters: dict = field(default_factory=dict)
    tables: tuple[str, ...] = ()          # processed tables the page shows (its data dependencies)
    years: tuple[int, ...] = ()           # fiscal years whose figures it shows (what its 合成データ notice covers)
    current: tuple[str, ...] = ()         # tables of which it shows only the report year (the last of ``years``)
    shows_names: bool = False             # whether it shows municipalities' names (a rename then rebuilds it)

    @property
    def shows(self) -> dict[str, list[int]]:
        """Each table the page shows → the fiscal years of it shown (its dependencies and its notice).

        >>> national_pages(2019, 2018, 2025)[0].shows["inputs/municipalities"], national_pages(2019, 2018, 2025)[0].shows["prefecture_scores"]
        ([2019], [2018, 2019])
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


def national_pages(year: int, compare_year: int, frame_year: int, split_year: int | None = None) -> list[Page]:
    """The national pages, in reading order; ``frame_year``: the budget frame's (``allocation.frame_2025.year``);
    with ``split_year`` (the latest two-grant year, ``two_grant_year``) also the municipal 年度比較 ``year`` →
    ``split_year`` and the frame's 市町村分 pots split by that year's scores.

    >>> [p.name for p in national_pages(2019, 2018, 2025)], national_pages(2019, 2018, 2025, 2023)[-1].title
    (['national', 'items', 'municipal', 'yoy', 'allocation'], '令和7年度 市町村分の配分枠：2023年度の得点による試算（推進・支援）')
    """
    years = {"fiscal_year": year, "compare_year": compare_year}
    both, one = (compare_year, year), (year,)
    return [
        Page("national", "national.py", f"全国版：{year}年度 都道府県分の評価結果", years,
             ("prefecture_scores", "prefecture_item_scores", "prefecture_allocation", "source_consistency",
              "inputs/municipalities"), both, ("inputs/municipalities",)),          # the map: per first-insured person
        Page("items", "items.py", f"評価指標：{year}年度 都道府県分の配点と全国平均", years, ("prefecture_item_scores",), one),
        Page("municipal", "municipal.py", f"市町村版：{year}年度 都道府県別市町村得点", years,
             ("municipal_scores", "prefecture_scores", "inputs/municipalities"), one, shows_names=True),   # penalty table
        Page("yoy", "yoy.py", f"年度比較：{compare_year}年度→{year}年度", years,
             ("prefecture_scores", "prefecture_item_scores", "municipal_scores"), both),
        Page("allocation", "allocation.py", f"交付額：{year}年度 都道府県分と{fiscal_year_label(frame_year)}の配分枠", years,
             ("prefecture_allocation", "prefecture_scores", "budget_frame_2025"), one),
    ] + ([Page("municipal_yoy", "municipal_years.py", f"市町村分の年度比較：{year}年度→{split_year}年度（推進・支援）",
               {"fiscal_year": split_year, "compare_year": year}, ("municipal_scores",), (year, split_year)),
          Page("municipal_frame", "municipal_frame.py",
               f"{fiscal_year_label(frame_year)} 市町村分の配分枠：{split_year}年度の得点による試算（推進・支援）", {},
               ("municipal_frame_2025", "municipal_frame_2025_pots", "inputs/municipalities", "budget_frame_2025", "municipal_scores"),
               (year, split_year), ("municipal_frame_2025", "municipal_frame_2025_pots", "inputs/municipalities"))]
         if split_year is not None else [])


def prefectures(raw: Path = paths.RAW) -> list[dict]:
    """The prefectures (code, name, region) for naming pages; the data build checks the file's schema.

    >>> prefectures()[12]["pref_name"]
    '東京都'
    """
    with open(raw / "reference" / "prefectures.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def profile_pages(year: int, raw: Path = paths.RAW, compare_year: int | None = None) -> list[Page]:
    """One profile page per prefecture (showing ``year`` and ``compare_year``, by default the year before).

    >>> pages = profile_pages(2019)
    >>> len(pages), pages[12].title
    (47, '都道府県別プロファイル：東京都（2019年度）')
    """
    compare_year = year - 1 if compare_year is None else compare_year
    return [Page(f"profile_{p['pref_code']}", "profile.py", f"都道府県別プロファイル：{p['pref_name']}（{year}年度）",
                 {"fiscal_year": year, "pref_code": p["pref_code"]}, years=(compare_year, year)) for p in prefectures(raw)]


def scenario_pages(year: int) -> list[Page]:
    """One comparison page per scenario file (scenarios/*.yaml), titled by its label.

    >>> [(p.name, p.parameters["scenario"]) for p in scenario_pages(2019)]
    [('scenario_frame_2025', 'frame_2025'), ('scenario_weight_first_insured', 'weight_first_insured')]
    """
    import yaml

    pages = []
    for path in sorted(paths.SCENARIOS.glob("*.yaml")):
        try:
            label = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("label") or path.stem
        except (yaml.YAMLError, AttributeError):
            label = path.stem                    # the build reports what is wrong with the file
        pages.append(Page(f"scenario_{path.stem}", "scenario.py", f"シナリオ：{label}（{year}年度の得点）",
                          {"fiscal_year": year, "scenario": path.stem}, tuple(f"inputs/{n}" for n in paths.INPUT_TABLES), (year,)))
    return pages


def municipal_pages(year: int, bundles: Path = paths.municipal_bundles()) -> list[Page]:
    """One page per municipality in the data build's municipal indexes (reports/html/municipal/<pref>/<code>.html);
    none before the first data build.

    >>> pages = municipal_pages(2019, processed / "municipal")
    >>> len(pages), pages[0].name, pages[0].title, pages[0].index_href
    (1741, 'municipal/01/S01001', '市町村別：合成市町村01-001（北海道・2019年度）', '../../index.html')
    """
    import json

    pages = []
    for f in sorted(bundles.glob("*/index.json")):
        idx = json.loads(f.read_text(encoding="utf-8"))
        pages += [Page(f"municipal/{idx['pref_code']}/{m['muni_code']}", "municipality.py",
                       f"市町村別：{m['muni_name']}（{idx['pref_name']}・{year}年度）", {"fiscal_year": year, "muni_code": m["muni_code"]},
                       years=(idx["compare_year"], year)) for m in idx["municipalities"]]
    return pages


def municipal_index_pages(year: int, raw: Path = paths.RAW) -> list[Page]:
    """One municipal index per prefecture (reports/html/municipal/<pref>/index.html).

    >>> pages = municipal_index_pages(2019)
    >>> len(pages), pages[12].name, pages[12].title
    (47, 'municipal/13/index', '市町村別の結果：東京都（2019年度）')
    """
    return [Page(f"municipal/{p['pref_code']}/index", "municipal_index.py", f"市町村別の結果：{p['pref_name']}（{year}年度）",
                 {"fiscal_year": year, "pref_code": p["pref_code"]}, years=(year,)) for p in prefectures(raw)]
