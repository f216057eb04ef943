"""What is synthetic: per table and fiscal year, and the notice a page, workbook or index carries for it.

A page names the years it shows; its notice says which of them are 合成データ: none (no notice), some
(「2018年度の数値は合成データです…」) or all (SYNTHETIC_NOTICE).
"""

from collections.abc import Iterable

import pandas as pd

SYNTHETIC_NOTICE = ("都道府県別・市町村別の得点は公表されていないため、このページの個別の数値は、"
                    "公表された全国平均・得点率等に一致するよう決定論的に生成した合成データです。厚生労働省の評価結果ではありません。")


def synthetic_years(table: pd.DataFrame) -> list[int]:
    """The fiscal years of which a table holds synthetic rows (what vintage.json records per table).

    >>> synthetic_years(pd.DataFrame({"fiscal_year": [2018, 2019, 2019], "synthetic": [True, False, False]}))
    [2018]
    """
    return sorted(int(y) for y in table.loc[table["synthetic"].astype(bool), "fiscal_year"].unique())


def shown_synthetic(flags: dict[str, list[int]], tables: Iterable[str] | dict[str, list[int]], years: Iterable[int]) -> list[int]:
    """The ``years`` a page shows whose figures are synthetic in any of its ``tables`` (vintage.json's flags);
    ``tables`` as a dict maps each table to the years shown of it (see ``Page.shows``).

    >>> shown_synthetic({"prefecture_scores": [2018], "prefecture_allocation": []}, ["prefecture_allocation"], [2019])
    []
    >>> shown_synthetic({"prefecture_scores": [2018], "prefecture_allocation": []}, ["prefecture_scores"], [2018, 2019])
    [2018]
    >>> shown_synthetic({"prefecture_scores": [2018], "inputs/municipalities": [2018]}, {"inputs/municipalities": [2019]}, [2018, 2019])
    []
    """
    shows = tables if isinstance(tables, dict) else dict.fromkeys(tables, years)
    return sorted({y for t, ys in shows.items() for y in flags.get(t, ()) if y in set(ys) & set(years)})


def _years(years: Iterable[int]) -> str:
    return "・".join(f"{y}年度" for y in sorted(years))


def notice(synthetic: Iterable[int], shown: Iterable[int]) -> str:
    """The notice for figures of the ``shown`` years of which ``synthetic`` are 合成データ: "" when none are.

    >>> notice([], [2019])
    ''
    >>> notice([2018, 2019], [2018, 2019]) == SYNTHETIC_NOTICE
    True
    >>> notice([2018], [2018, 2019])[:17]
    '2018年度の数値は合成データです'
    """
    synthetic, shown = set(synthetic), set(shown)
    if not synthetic & shown:
        return ""
    if shown <= synthetic:
        return SYNTHETIC_NOTICE
    real = shown - synthetic
    return (f"{_years(synthetic & shown)}の数値は合成データです（都道府県別・市町村別の結果が公表されていないため、"
            "公表された全国平均・得点率等に一致するよう決定論的に生成したもの。厚生労働省の評価結果ではありません）。"
            f"{_years(real)}の数値は data/raw/results/ の評価結果から作成しています。")


def caption(synthetic: Iterable[int], shown: Iterable[int]) -> str:
    """A one-line note beside a chart or table whose ``shown`` years include synthetic ones: "" otherwise.

    >>> caption([2018], [2018, 2019]), caption([2018, 2019], [2019]), caption([2018], [2019])
    ('※ 2018年度の数値は合成データです（厚生労働省の評価結果ではありません）。', '※ 合成データです（厚生労働省の評価結果ではありません）。', '')
    """
    synthetic, shown = set(synthetic), set(shown)
    if not synthetic & shown:
        return ""
    which = "" if shown <= synthetic else f"{_years(synthetic & shown)}の数値は"
    return f"※ {which}合成データです（厚生労働省の評価結果ではありません）。"
