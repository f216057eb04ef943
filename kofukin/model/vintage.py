"""What is synthetic: per table and fiscal year, and the notice a page, workbook or index carries for it.

A page names the years it shows; its notice says which of them are 合成データ: none (no notice), some
(「2018年度の数値は合成データです…」) or all (SYNTHETIC_NOTICE).
"""

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kofukin.model.schemas import read_table

SYNTHETIC_NOTICE = ("都道府県別・市町村別の得点は公表されていないため、このページの個別の数値は、"
                    "公表された全国平均・得点率等に一致するよう決定論的に生成した合成データです。厚生労働省の評価結果ではありません。")
# From FY2024 the ministry publishes every municipality's and prefecture's results (the 集計表 workbooks): a synthetic
# figure of those years stands in for a workbook not put into data/raw/results/, not for results never published.
PUBLISHED_FROM = 2024
CURRENT_SYNTHETIC_NOTICE = ("令和6年度以降の市町村別・都道府県別の結果は厚生労働省の集計表で公表されていますが、その集計表が "
                            "data/raw/results/ に置かれていないため、このページの個別の数値は、公表された全国集計値に一致するよう"
                            "決定論的に生成した合成データです。厚生労働省の評価結果ではありません。")


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


# Inputs a page shows as they were given (not computed from scores): real beside synthetic scores, the notice says so.
REAL_INPUTS = {"inputs/prefecture_requests": "所要見込額"}


def real_inputs_note(inputs: dict[str, pd.DataFrame], synthetic_amounts: Iterable[int]) -> str:
    """What the notice adds where a page shows real ``inputs`` (``REAL_INPUTS``: the analyst's requests) of a year
    whose amounts are 合成データ (``synthetic_amounts``): "" when it shows none.

    >>> requests = pd.DataFrame({"fiscal_year": [2018, 2019], "synthetic": [True, False]})
    >>> real_inputs_note({"inputs/prefecture_requests": requests}, [2018, 2019])
    'ただし、2019年度の所要見込額は data/raw/results/ に置かれた実際の値です（交付額は、この所要見込額と合成データの得点から計算したもので、合成データです）。'
    >>> real_inputs_note({"inputs/prefecture_requests": requests}, [2018])
    ''
    """
    parts = []
    for table, label in REAL_INPUTS.items():
        rows = inputs.get(table)
        if rows is None:
            continue
        flags = rows[rows["fiscal_year"].isin(set(synthetic_amounts))].groupby("fiscal_year")["synthetic"].any()
        if (real := [int(y) for y, flag in flags.items() if not flag]):
            parts.append(f"{years_label(real)}の{label}")
    return (f"ただし、{'、'.join(parts)}は data/raw/results/ に置かれた実際の値です（交付額は、この{'・'.join(REAL_INPUTS.values())}と"
            "合成データの得点から計算したもので、合成データです）。") if parts else ""


def real_inputs_shown(processed: Path | str, shows: dict[str, list[int]], flags: dict[str, list[int]] | None = None) -> str:
    """``real_inputs_note`` of a page or sheet that shows ``shows`` (table → years), its inputs read from the
    ``processed`` tables and its amounts' flags from ``flags`` (vintage.json's ``synthetic``; None: read from it).

    >>> real_inputs_shown(processed, {"inputs/prefecture_requests": [2019]}), real_inputs_shown(processed, {"inputs/prefecture_requests": [2019]}, {})
    ('', '')
    """
    if flags is None:
        flags = json.loads((Path(processed) / "vintage.json").read_text(encoding="utf-8"))["synthetic"]
    inputs = {t: (df := read_table(t.split("/")[-1], Path(processed) / f"{t}.csv"))[df["fiscal_year"].isin(shows[t])]
              for t in REAL_INPUTS if t in shows}
    return real_inputs_note(inputs, flags.get("prefecture_allocation", []))


def years_label(years: Iterable[int]) -> str:
    """「2018年度・2019年度」"""
    return "・".join(f"{y}年度" for y in sorted(years))


def notice(synthetic: Iterable[int], shown: Iterable[int]) -> str:
    """The notice for figures of the ``shown`` years of which ``synthetic`` are 合成データ: "" when none are.

    >>> notice([], [2019])
    ''
    >>> notice([2018, 2019], [2018, 2019]) == SYNTHETIC_NOTICE
    True
    >>> notice([2018], [2018, 2019])[:17]
    '2018年度の数値は合成データです'
    >>> notice([2024, 2025, 2026], [2024, 2025, 2026]) == CURRENT_SYNTHETIC_NOTICE
    True
    >>> notice([2025], [2024, 2025]).split('、')[0]
    '2025年度の数値は合成データです（厚生労働省の集計表が data/raw/results/ に置かれていないため'
    """
    synthetic, shown = set(synthetic), set(shown)
    if not synthetic & shown:
        return ""
    if shown <= synthetic:
        return CURRENT_SYNTHETIC_NOTICE if min(shown) >= PUBLISHED_FROM else SYNTHETIC_NOTICE
    real, fake = shown - synthetic, synthetic & shown
    why = ("厚生労働省の集計表が data/raw/results/ に置かれていないため" if min(fake) >= PUBLISHED_FROM else
           "都道府県別・市町村別の結果が公表されていないため" if max(fake) < PUBLISHED_FROM else
           f"{PUBLISHED_FROM - 1}年度以前は都道府県別・市町村別の結果が公表されていないため、{PUBLISHED_FROM}年度以降は"
           "厚生労働省の集計表が data/raw/results/ に置かれていないため")
    return (f"{years_label(fake)}の数値は合成データです（{why}、"
            "公表された全国平均・得点率等に一致するよう決定論的に生成したもの。厚生労働省の評価結果ではありません）。"
            f"{years_label(real)}の数値は data/raw/results/ の評価結果から作成しています。")


def caption(synthetic: Iterable[int], shown: Iterable[int]) -> str:
    """A one-line note beside a chart or table whose ``shown`` years include synthetic ones: "" otherwise.

    >>> caption([2018], [2018, 2019]), caption([2018, 2019], [2019]), caption([2018], [2019])
    ('※ 2018年度の数値は合成データです（厚生労働省の評価結果ではありません）。', '※ 合成データです（厚生労働省の評価結果ではありません）。', '')
    """
    synthetic, shown = set(synthetic), set(shown)
    if not synthetic & shown:
        return ""
    which = "" if shown <= synthetic else f"{years_label(synthetic & shown)}の数値は"
    return f"※ {which}合成データです（厚生労働省の評価結果ではありません）。"
