"""The report set: its pages, where they are built and their style (light: `doit list` imports it)."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from kofukin.model import paths
from kofukin.model.config import municipal_comparison
from kofukin.model.paths import PREFECTURES, grant_suffix
from kofukin.model.schemas import DEFAULT_GRANT, GRANT_NAMES, GRANTS
from kofukin.report.units import fiscal_year_label

HTML_DIR = paths.REPORTS / "html"
PDF_DIR = paths.REPORTS / "pdf"
EXECUTED_DIR = paths.BUILD / "executed"
NOTEBOOKS = paths.ROOT / "notebooks"
TABLES_DIR = paths.REPORTS / "tables"
CSS = (Path(__file__).parent / "page.css").read_text(encoding="utf-8")      # every page's and the index's style


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
    grant: str | None = None              # the grant it shows, where its year scores two (the index groups by it)

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
    of = {y: [DEFAULT_GRANT] for y in (year, compare_year)} | ({split_year: list(GRANTS)} if split_year else {}) | (grants or {})
    one = (year,)
    municipal = Page("municipal", "municipal.py", f"市町村版：{year}年度 都道府県別市町村得点{_grants_label(of[year])}",
                     {"fiscal_year": year, "compare_year": compare_year},
                     ("municipal_scores", "prefecture_scores", "inputs/municipalities")
                     + (("municipal_allocation",) if len(of[year]) > 1 else ()), one, shows_names=True)   # penalty table; 市町村分 of both
    pages = []
    for grant in of[year] if prefectural else []:
        suffix, label = grant_suffix(grant, of[year]), _grant_label(grant, of[year])
        params = {"fiscal_year": year, "compare_year": compare_year} | ({"grant": grant} if label else {})
        shown = grant if label else None
        both = (compare_year, year) if grant in of.get(compare_year, []) else one      # what its notice covers
        pages += [
            Page(f"national{suffix}", "national.py", f"全国版：{year}年度 都道府県分の評価結果{label}", params,
                 ("prefecture_scores", "prefecture_item_scores", "prefecture_allocation", "source_consistency",
                  "inputs/municipalities"), both, ("inputs/municipalities",), grant=shown),   # the map: per first-insured person
            Page(f"items{suffix}", "items.py", f"評価指標：{year}年度 都道府県分の配点と全国平均{label}", params,
                 ("prefecture_item_scores",), one, grant=shown),
            *([Page(f"yoy{suffix}", "yoy.py", f"年度比較：{compare_year}年度→{year}年度{label}", params,
                    ("prefecture_scores", "prefecture_item_scores", "municipal_scores"), both, grant=shown)]
              if grant in of.get(compare_year, []) else []),
            Page(f"allocation{suffix}", "allocation.py", f"交付額：{year}年度 都道府県分と{fiscal_year_label(frame_year)}の配分枠{label}",
                 params, ("prefecture_allocation", "prefecture_scores", "budget_frame"), one, grant=shown),
        ]
    pages.insert(2 if pages else 0, municipal)              # after the first grant's national pages
    if split_year is None:
        return pages
    before, _ = municipal_comparison(year, compare_year, split_year)
    names = "・".join(GRANT_NAMES[g][0] for g in of[split_year])
    return pages + [
        Page("municipal_yoy", "municipal_years.py", f"市町村分の年度比較：{before}年度→{split_year}年度（{names}）",
             {"fiscal_year": split_year, "compare_year": before}, ("municipal_scores",), (before, split_year)),
        Page("municipal_frame", "municipal_frame.py",
             f"{fiscal_year_label(frame_year)} 市町村分の配分枠：{split_year}年度の得点による試算（{names}）", {},
             ("municipal_frame", "municipal_frame_pots", "inputs/municipalities", "budget_frame", "municipal_scores"),
             (split_year,))]          # every figure is of the split year's tables; an earlier year enters them only
                                      # where it is as real or as synthetic as the split year (comparable_years)


def _grants_label(grants: list[str]) -> str:
    """What the title of a page showing every grant of its year adds where there are two: 「（推進・支援）」.

    >>> _grants_label(["promotion", "support"]), _grants_label(["promotion"])
    ('（推進・支援）', '')
    """
    return f"（{'・'.join(GRANT_NAMES[g][0] for g in grants)}）" if len(grants) > 1 else ""


def _grant_label(grant: str, grants: list[str]) -> str:
    """What a page title of one grant adds where its year scores two: 「（支援）」.

    >>> _grant_label("support", ["promotion", "support"]), _grant_label("promotion", ["promotion"])
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


def profile_pages(year: int, raw: Path = paths.RAW, compare_year: int | None = None, grants: list[str] | None = None,
                  compare_grants: list[str] | None = None) -> list[Page]:
    """One profile page per prefecture (showing ``year`` and ``compare_year``, by default the year before, where that
    year scores the grant: ``compare_grants``) and grant of the year (``grants``; by default FY2019's one):
    ``profile_13``, ``profile_13_support``.

    >>> pages = profile_pages(2019)
    >>> len(pages), pages[12].title
    (47, '都道府県別プロファイル：東京都（2019年度）')
    >>> [(p.name, p.title, p.parameters.get("grant")) for p in profile_pages(2099, grants=["promotion", "support"])[12::47]]
    [('profile_13', '都道府県別プロファイル：東京都（2099年度・推進）', None), ('profile_13_support', '都道府県別プロファイル：東京都（2099年度・支援）', 'support')]
    """
    compare_year = year - 1 if compare_year is None else compare_year
    grants, compare_grants = grants or [DEFAULT_GRANT], compare_grants or [DEFAULT_GRANT]
    return [Page(profile_name(p["pref_code"], grant, grants), "profile.py",
                 f"都道府県別プロファイル：{p['pref_name']}（{year}年度{'・' + GRANT_NAMES[grant][0] if len(grants) > 1 else ''}）",
                 {"fiscal_year": year, "pref_code": p["pref_code"]} | ({"grant": grant} if grant_suffix(grant, grants) else {}),
                 years=(compare_year, year) if grant in compare_grants else (year,), grant=grant if len(grants) > 1 else None)
            for grant in grants for p in prefectures(raw)]


def profile_name(pref_code: str, grant: str, grants: list[str]) -> str:
    """A profile page's name: ``profile_13``, ``profile_13_support`` for a year's other grant.

    >>> profile_name("13", "support", ["promotion", "support"])
    'profile_13_support'
    """
    return f"profile_{pref_code}{grant_suffix(grant, grants)}"


def scenario_pages(year: int, grants: list[str] | None = None) -> list[Page]:
    """One comparison page per scenario file (scenarios/*.yaml), titled by its label (and its grant — the file's
    ``grant``, else the year's first — where the year scores two, ``grants``).

    >>> [(p.name, p.parameters["scenario"]) for p in scenario_pages(2019)]
    [('scenario_frame_2025', 'frame_2025'), ('scenario_weight_first_insured', 'weight_first_insured')]
    >>> scenario_pages(2099, ["promotion", "support"])[0].title
    'シナリオ：令和7年度の配分枠（基本75%・追加20%・成果指向型5%）（2099年度・推進の得点）'
    """
    import yaml

    grants = grants or [DEFAULT_GRANT]
    pages = []
    for path in sorted(paths.SCENARIOS.glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            label, grant = raw.get("label") or path.stem, raw.get("grant", grants[0])
        except (yaml.YAMLError, AttributeError):
            label, grant = path.stem, grants[0]        # the build reports what is wrong with the file
        of = f"・{GRANT_NAMES[grant][0]}" if len(grants) > 1 and grant in GRANT_NAMES else ""
        pages.append(Page(f"scenario_{path.stem}", "scenario.py", f"シナリオ：{label}（{year}年度{of}の得点）",
                          {"scenario": path.stem}, tuple(f"inputs/{n}" for n in paths.INPUT_TABLES), (year,)))
    return pages


def report_set(cfg: dict, raw: Path = paths.RAW) -> tuple[list[Page], list[Page], list[Page]]:
    """The national, profile and scenario pages the configuration asks for (what ``doit`` builds and the
    benchmark measures): per grant of the report year; none of the prefectural ones in a municipal-only year.

    >>> national, profiles, scenarios = report_set(cfg)
    >>> len(national), len(profiles), len(scenarios)
    (7, 47, 2)
    """
    from kofukin.model.config import has_prefectural_results, two_grant_year, year_grants

    year, compare = cfg["report_year"], cfg["compare_year"]
    grants = {y: year_grants(cfg, y) for y in cfg["years"]}
    prefectural = has_prefectural_results(cfg, year)
    national = national_pages(year, compare, int(cfg["allocation"]["frame"]["year"]), two_grant_year(cfg), grants, prefectural)
    if not prefectural:
        return national, [], []
    return national, profile_pages(year, raw, compare, grants[year], grants.get(compare)), scenario_pages(year, grants[year])


def municipal_pages(year: int, bundles: Path = paths.municipal_bundles(), prefectures: list[str] | None = None) -> list[Page]:
    """One page per municipality in the data build's municipal indexes (reports/html/municipal/<pref>/<code>.html),
    of every prefecture or of ``prefectures``; none before the first data build.

    >>> pages = municipal_pages(2019, processed / "municipal")
    >>> len(pages), pages[0].name, pages[0].title, pages[0].index_href
    (1741, 'municipal/01/S01001', '市町村別：合成市町村01-001（北海道・2019年度）', '../../index.html')
    >>> len(municipal_pages(2019, processed / "municipal", ["31"]))
    19
    """
    import json

    pages = []
    for f in sorted(bundles.glob("*/index.json")):
        if prefectures is not None and f.parent.name not in prefectures:
            continue
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
