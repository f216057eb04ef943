"""Report data: the processed tables, loaded and checked, with the raw catalogue beside them."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kofukin.model import paths
from kofukin.model.catalogue import items_of, load_crosswalk, year_catalogue
from kofukin.model.config import ScoringRules, load_config, page_years, prefecture_budget, scoring_rules, year_grants
from kofukin.model.findings import findings_rules
from kofukin.model.schemas import GRANT_NAMES, TOTAL, empty, of_grant, read_table
from kofukin.model.vintage import REAL_INPUTS, caption, real_inputs_shown, shown_synthetic
from kofukin.model.paths import MUNICIPAL_CATEGORIES, PUBLISHED_FIGURES


@dataclass
class Report:
    """Everything a report page shows, for one report year and its comparison year, and one grant of the
    report year (its prefectural tables, catalogue, budget and municipal rows are that grant's).

    >>> r.year, r.compare_year, len(r.items), r.category_label("II-5"), r.grant, r.grants
    (2019, 2018, 73, '在宅医療・介護連携', 'promotion', ['promotion'])
    """

    year: int
    compare_year: int
    grant: str                             # the grant shown (promotion 推進 / support 支援)
    grants: list[str]                      # every grant the report year scores (years.<year>.grants)
    scores: pd.DataFrame
    item_scores: pd.DataFrame
    municipal: pd.DataFrame
    municipal_allocation: pd.DataFrame     # the 市町村分 of each municipality (of the report year)
    allocation: pd.DataFrame
    stakes: pd.DataFrame
    frame: pd.DataFrame
    consistency: pd.DataFrame
    municipalities: pd.DataFrame
    items: pd.DataFrame
    categories: pd.DataFrame
    municipal_categories: pd.DataFrame
    figures: pd.DataFrame
    vintage: dict
    compare_item_scores: pd.DataFrame      # item points of the comparison year (empty if known by totals only)
    compare_items: pd.DataFrame | None     # the comparison year's catalogue, if it has one
    compare_categories: pd.DataFrame | None
    crosswalk: pd.DataFrame | None         # item continuity compare_year → year (years.<year>.crosswalk), if given
    scoring: ScoringRules                  # penalty threshold and points, outcome category (scoring.*)
    budget: int                            # the report year's 都道府県分 budget of the grant, 千円 (years.<year>.prefecture_budget_thousand_yen)
    redistribute: bool                     # money freed by requests goes to the others (allocation.redistribute)
    frame_year: int                        # the fiscal year of the budget frame (allocation.frame.year)
    findings: dict = field(default_factory=dict)   # how seed 000's findings are recomputed
    real_inputs_note: str = ""             # the report year's requests real beside synthetic amounts (vintage.real_inputs_note)

    @property
    def grant_label(self) -> str:
        """The grant's short name where the report year scores two (「推進」), else "" (pages then name none).

        >>> r.grant_label
        ''
        """
        return GRANT_NAMES[self.grant][0] if len(self.grants) > 1 else ""

    @property
    def synthetic(self) -> bool:
        """True when any table shown was built from synthetic inputs.

        >>> r.synthetic
        True
        """
        return any(self.vintage["synthetic"].values())

    def synthetic_years(self, tables: list[str] | tuple[str, ...], years: list[int] | tuple[int, ...] | None = None) -> list[int]:
        """The ``years`` (default: the report and comparison years) whose figures in ``tables`` are synthetic.

        >>> r.synthetic_years(["prefecture_scores"]), r.synthetic_years(["budget_frame"])
        ([2018, 2019], [])
        """
        return shown_synthetic(self.vintage["synthetic"], tables, years or (self.compare_year, self.year))

    def caption(self, tables: list[str] | tuple[str, ...], years: list[int] | tuple[int, ...] | None = None) -> str:
        """The note beside a chart or table of ``tables`` showing ``years``: "" when none of them is synthetic; one
        showing the report year's requests (``REAL_INPUTS``) says so where they are real and the amounts synthetic.

        >>> r.caption(["prefecture_allocation", "inputs/prefecture_requests"], [2019])
        '※ 合成データです（厚生労働省の評価結果ではありません）。'
        """
        years = years or (self.compare_year, self.year)
        text = caption(self.synthetic_years(tables, years), years)
        return text + self.real_inputs_note if text and self.year in years and set(tables) & set(REAL_INPUTS) else text

    def municipalities_of(self, year: int) -> pd.DataFrame:
        """The municipalities of one year (real or synthetic, never both): what that year's figures sum.

        >>> m = r.municipalities_of(2019)
        >>> len(m), int(m.groupby("pref_code")["first_insured"].sum()["13"])
        (1741, 4017612)
        """
        return self.municipalities[self.municipalities.fiscal_year == year]

    def scores_of(self, year: int, category: str | None = None) -> pd.DataFrame:
        """The prefectural scores of one year (of one category, when given).

        >>> int(r.scores_of(2019, "TOTAL").set_index("pref_code").at["13", "max_points"])
        741
        """
        s = self.scores[self.scores.fiscal_year == year]
        return s if category is None else s[s.category == category]

    def pref_name(self, code: str) -> str:
        """A prefecture's name.

        >>> r.pref_name("13")
        '東京都'
        """
        return self.scores.loc[self.scores.pref_code == code, "pref_name"].iloc[0]

    def category_codes(self) -> list[str]:
        """The report year's category codes, in catalogue order, without the total.

        >>> r.category_codes()[:3], len(r.category_codes())
        (['I', 'II-1', 'II-2A'], 12)
        """
        return [c for c in self.categories["category"] if c != TOTAL]

    def category_label(self, code: str) -> str:
        """A category's short label in the report year's catalogue.

        >>> r.category_label("III")
        '市町村の達成状況'
        """
        return self.categories.set_index("category").at[code, "short_label"]


def raw_files(cfg: dict, raw: Path = paths.RAW) -> list[Path]:
    """The raw files a page built on ``load`` reads: the catalogues of the report and compare years, a crosswalk,
    the municipal categories, the published figures, the prefectures it names (what its doit task depends on).

    >>> [p.relative_to(paths.RAW).as_posix() for p in raw_files(cfg)]
    ['catalogue/prefecture_2019_items.csv', 'catalogue/prefecture_2019_categories.csv', 'catalogue/municipal_categories.csv', 'published/published_figures.csv', 'reference/prefectures.csv']
    """
    year, compare_year = cfg["report_year"], cfg["compare_year"]
    catalogues = [raw / cfg["years"][y][k] for y in (year, compare_year)
                  for k in ("prefecture_catalogue", "prefecture_categories") if cfg["years"][y].get(k)]
    crosswalk = [raw / cfg["years"][year]["crosswalk"]] if cfg["years"][year].get("crosswalk") else []   # the report year's
    return catalogues + crosswalk + [raw / MUNICIPAL_CATEGORIES, raw / PUBLISHED_FIGURES, raw / paths.PREFECTURES]


def load(processed: Path | str | None = None, raw: Path | str | None = None, config: Path | str | None = None,
         year: int | None = None, compare_year: int | None = None, grant: str | None = None) -> Report:
    """Load the processed tables (schema-checked) and the raw catalogue of the report year, of one grant
    (``grant``; None: the report year's first).

    ``year`` and ``compare_year``, when given, must be the years the processed data were built for.

    >>> r = load(processed)
    >>> r.year, r.synthetic
    (2019, True)
    >>> load(processed, grant="support")
    Traceback (most recent call last):
        ...
    ValueError: fiscal year 2019 scores promotion, not support (years.2019.grants)
    """
    processed = Path(processed or paths.PROCESSED)
    raw = Path(raw or paths.RAW)
    cfg = load_config(config or paths.CONFIG)
    vintage = json.loads((processed / "vintage.json").read_text(encoding="utf-8"))
    built = (vintage["report_year"], vintage["compare_year"])
    if (year or built[0], compare_year or built[1]) != built:
        raise ValueError(f"{processed} holds {built[0]} compared with {built[1]}, not {year} with {compare_year}: "
                         "set report_year/compare_year in the configuration and run doit")
    year, compare_year = built
    grants = year_grants(cfg, year)
    grant = grant or grants[0]
    if grant not in grants:
        raise ValueError(f"fiscal year {year} scores {', '.join(grants)}, not {grant} (years.{year}.grants)")
    every_item, every_category = (year_catalogue(cfg, year, raw) if "prefecture_catalogue" in cfg["years"][year]
                                  else (empty("prefecture_items"), empty("prefecture_categories")))   # municipal-only
    items, categories = items_of(every_item, grant), of_grant(every_category, grant)
    compare_items = compare_categories = crosswalk = None
    if "prefecture_catalogue" in cfg["years"].get(compare_year, {}) and grant in year_grants(cfg, compare_year):
        every_before, categories_before = year_catalogue(cfg, compare_year, raw)
        compare_items, compare_categories = items_of(every_before, grant), of_grant(categories_before, grant)
        if cfg["years"][year].get("crosswalk") is not None:
            crosswalk = load_crosswalk(raw / cfg["years"][year]["crosswalk"], every_before, every_item)
            crosswalk = crosswalk[crosswalk.item_to.isin(items["item"])
                                  | (crosswalk.item_to.isna() & crosswalk.item_from.isin(compare_items["item"]))]
            crosswalk = crosswalk.reset_index(drop=True)
    item_scores = of_grant(read_table("prefecture_item_scores", processed / "prefecture_item_scores.csv"), grant)

    def table(name, file=None):
        df = read_table(name, processed / f"{file or name}.csv")
        return of_grant(df, grant) if "grant" in df and not name.startswith("budget_frame") else df

    return Report(
        year=year, compare_year=compare_year,
        scores=table("prefecture_scores"), item_scores=item_scores[item_scores.fiscal_year == year].reset_index(drop=True),
        municipal=table("municipal_scores"), municipal_allocation=table("municipal_allocation"), allocation=table("prefecture_allocation"),
        stakes=table("prefecture_item_stakes"), frame=table("budget_frame"),
        consistency=table("source_consistency"), municipalities=table("municipalities", "inputs/municipalities"),
        items=items, categories=categories,
        municipal_categories=of_grant(read_table("municipal_categories", raw / MUNICIPAL_CATEGORIES), grant),
        figures=read_table("published_figures", raw / PUBLISHED_FIGURES),
        vintage=vintage,
        compare_item_scores=item_scores[item_scores.fiscal_year == compare_year].reset_index(drop=True),
        compare_items=compare_items, compare_categories=compare_categories, crosswalk=crosswalk,
        scoring=scoring_rules(cfg), budget=prefecture_budget(cfg, year, grant), grant=grant, grants=grants,
        redistribute=bool(cfg["allocation"]["redistribute"]), frame_year=int(cfg["allocation"]["frame"]["year"]),
        findings=findings_rules(cfg),
        real_inputs_note=real_inputs_shown(processed, dict.fromkeys(REAL_INPUTS, [year]), vintage["synthetic"]),
    )



def load_grants(processed: Path | str | None = None, raw: Path | str | None = None, config: Path | str | None = None,
                year: int | None = None, compare_year: int | None = None) -> list[Report]:
    """One Report per grant of the report year, in the configuration's order (``load`` of each): what a page
    showing every grant side by side reads.

    >>> [x.grant for x in load_grants(processed)]
    ['promotion']
    """
    first = load(processed, raw, config, year, compare_year)
    return [first] + [load(processed, raw, config, year, compare_year, grant=g) for g in first.grants[1:]]


def page_report(fiscal_year: int | None = None, compare_year: int | None = None, grant: str | None = None,
                project_dir: Path | str | None = None) -> Report:
    """The Report a page's notebook shows: of its parameters' years, else the configuration's (``page_years``), of one
    grant (None: the report year's first), in the project folder ``project_dir`` (None: this one).

    >>> x = page_report(project_dir=processed.parents[1])
    >>> x.year, x.compare_year, x.grant
    (2019, 2018, 'promotion')
    """
    fiscal_year, compare_year = page_years(fiscal_year, compare_year, project_dir)
    return load(**paths.project(project_dir), year=fiscal_year, compare_year=compare_year, grant=grant)
