"""The report workbook's sheets (``kofukin.make.tables``), each also a CSV in reports/tables/: their one list,
names from the configuration, what each shows (light: dodo.py imports it for the tables task's targets)."""

from dataclasses import dataclass

from kofukin.model.config import has_prefectural_results, municipal_comparison, two_grant_year
from kofukin.report.units import fiscal_year_label, rate_label


@dataclass(frozen=True)
class Sheet:
    """One sheet of the report workbook, also reports/tables/<name>.csv; ``kofukin.make.tables`` builds it by ``key``.

    >>> Sheet("amounts", "交付額", ("prefecture_allocation",), (2019,)).name
    '交付額'
    """

    key: str                              # its table in kofukin.make.tables.GRANT_TABLES or WHOLE_TABLES
    name: str                             # sheet and CSV name, from the configuration (at most 31 characters)
    tables: tuple[str, ...] = ()          # processed tables it shows (what its 合成データ note covers); none: published figures
    years: tuple[int, ...] = ()           # fiscal years it shows of them


MUNICIPAL_ONLY = ("municipal_amounts", "frame")         # the sheets of a year without prefectural results


def table_sheets(cfg: dict) -> list[Sheet]:
    """The report workbook's sheets in order — the one list of them: named by the frame's year
    (``allocation.frame.year``) and the penalty threshold (``scoring.penalty_threshold``); with a two-grant
    year (``two_grant_year``) also the frame's 市町村分 split by its scores and the municipal 年度比較; of a municipal-only
    report year the municipal ones and the frame alone.

    >>> [s.name for s in table_sheets(cfg)][5:7], table_sheets(cfg)[11].name, len(table_sheets(cfg))
    (['交付額', '令和7年度配分枠'], '得点率3割以下の市町村', 19)
    >>> [(s.name, s.years) for s in table_sheets(cfg)[-4:-2]]
    [('令和7年度市町村分の配分枠', (2023,)), ('令和7年度市町村分の配分額', (2023,))]
    >>> other = cfg | {"allocation": {"frame": {"year": 2027}}, "scoring": {"penalty_threshold": 0.35}}
    >>> [s.name for s in table_sheets(other) if "令和" in s.name or "以下" in s.name]
    ['令和9年度配分枠', '得点率35%以下の市町村', '令和9年度配分枠（全国）', '令和9年度市町村分の配分枠', '令和9年度市町村分の配分額']
    >>> [s.name for s in table_sheets(cfg | {"report_year": 2023, "compare_year": 2019})][:3]
    ['市町村分交付額', '令和7年度配分枠（全国）', '令和7年度市町村分の配分枠']
    """
    year, compare_year = cfg["report_year"], cfg["compare_year"]
    frame = fiscal_year_label(int(cfg["allocation"]["frame"]["year"]))
    scores, one, both = ("prefecture_scores",), (year,), (compare_year, year)
    sheets = [Sheet("scores", "都道府県別得点", scores, one), Sheet("category_rates", "区分別得点率", scores, one),
              Sheet("category_means", "区分別全国平均", scores, one), Sheet("items", "評価指標", ("prefecture_item_scores",), one),
              Sheet("yoy", "年度比較", scores, both), Sheet("amounts", "交付額", ("prefecture_allocation", "inputs/prefecture_requests"), one),
              Sheet("frame_split", f"{frame}配分枠", ("prefecture_frame",), one),
              Sheet("item_stakes", "指標の価値", ("prefecture_item_stakes",), one),
              Sheet("category_stakes", "区分の価値", ("prefecture_category_stakes",), one),
              Sheet("municipal_amounts", "市町村分交付額", ("municipal_allocation",), one),
              Sheet("map_values", "地図の値", ("prefecture_scores", "prefecture_allocation", "inputs/municipalities"), both),
              Sheet("penalty", f"得点率{rate_label(float(cfg['scoring']['penalty_threshold']))}以下の市町村", ("municipal_scores",), one),
              Sheet("trend", "全国の推移", ("prefecture_scores", "municipal_scores"), both), Sheet("findings", "資料の年度比較", (), both),
              Sheet("frame", f"{frame}配分枠（全国）", (), one)]
    if not has_prefectural_results(cfg, year):              # a municipal-only report year (FY2023)
        sheets = [s for s in sheets if s.key in MUNICIPAL_ONLY]
    split = two_grant_year(cfg)
    if split is None:
        return sheets
    pots, span = ("municipal_frame", "municipal_frame_pots"), municipal_comparison(year, compare_year, split)
    return sheets + [Sheet("municipal_frame_pots", f"{frame}市町村分の配分枠", pots, (split,)),
                     Sheet("municipal_frame", f"{frame}市町村分の配分額", pots, (split,)),
                     Sheet("municipal_years_categories", "市町村分の年度比較（区分別）", ("municipal_scores",), span),
                     Sheet("municipal_years_prefectures", "市町村分の年度比較（都道府県別）", ("municipal_scores",), span)]

