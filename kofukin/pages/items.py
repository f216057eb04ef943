"""評価指標: a grant's indicators of the report year — points and the national average per item (notebooks/items.py)."""


import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kofukin.pages.page import Edition, Page
from kofukin.report import style
from kofukin.report.alttext import describe, extremes
from kofukin.report.data import Report, page_report

NOTEBOOK = "items.py"


def declare(e: Edition) -> list[Page]:
    """One page per grant of the report year with prefectural results.

    >>> [(p.name, p.tables) for p in declare(Edition(2019, 2018, 2025))]
    [('items', ('prefecture_item_scores',))]
    """
    return e.grant_pages(NOTEBOOK, f"評価指標：{e.year}年度 都道府県分の配点と全国平均", ("prefecture_item_scores",), 20)


# the page's Report (its notebook's years, else the configuration's): one grant's indicators of the report year
load = page_report


def item_table(r: Report, category: str) -> pd.DataFrame:
    """評価指標ごとの配点・全国平均（公表と算出）・満点の都道府県数.

    >>> t = item_table(r, "I")
    >>> list(t.columns), len(t)
    (['項目', '評価指標', '配点（点）', '全国平均・公表（点）', '全国平均・算出（点）', '満点の都道府県数'], 6)
    >>> t.iloc[0].to_dict()
    {'項目': 'I-①', '評価指標': '地域分析の実施と地域課題の把握・保険者との共有', '配点（点）': 36, '全国平均・公表（点）': '32.7', '全国平均・算出（点）': '32.68', '満点の都道府県数': 34}
    """
    items = r.items[r.items.category == category]
    pts = r.item_scores[r.item_scores.category == category]
    means = pts.groupby("item")["points"].mean()
    full = pts[pts.points == pts.max_points].groupby("item").size()
    return pd.DataFrame({
        "項目": items["item"], "評価指標": items["label"], "配点（点）": items["max_points"],
        "全国平均・公表（点）": items["national_average"].map(lambda x: f"{x:g}"),
        "全国平均・算出（点）": items["item"].map(means).map(lambda x: f"{x:.2f}"),
        "満点の都道府県数": items["item"].map(full).fillna(0).astype(int),
    }).reset_index(drop=True)


def item_averages(r: Report, category: str):
    """評価指標ごとの配点と全国平均 (published), as on the seed's category pages.

    >>> fig = item_averages(r, "I")
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    'I 地域課題の把握と支援計画：配点と全国平均'
    """
    items = r.items[r.items.category == category].iloc[::-1]
    labels = [f"{i}  {_clip(lab, 26)}" for i, lab in zip(items["item"], items["label"])]
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(items) + 1.1))
    y = np.arange(len(items))
    ax.barh(y, items["max_points"], color="#E0E0E0", label="配点")
    ax.barh(y, items["national_average"], color=style.PALETTE[0], height=0.5, label="全国平均")
    for yi, avg, mx in zip(y, items["national_average"], items["max_points"]):
        ax.text(max(mx, 0) + 0.3, yi, f"{avg:g} / {mx}", va="center", fontsize=8)
    ax.set_yticks(y, labels)
    ax.set_xlabel("点")
    ax.set_xlim(min(-11, items["national_average"].min() - 1) if (items["national_average"] < 0).any() else 0,
                items["max_points"].max() * 1.22 + 1)
    ax.set_title(f"{category} {r.category_label(category)}：配点と全国平均")
    ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="y", visible=False)
    share = items["national_average"] / items["max_points"].where(items["max_points"] > 0)
    return describe(fig, f"評価指標{len(items)}件、配点の計{items['max_points'].sum()}点、全国平均の計"
                         f"{items['national_average'].sum():.1f}点。配点に対する全国平均の割合の"
                         f"{extremes(100 * share, items['item'], '{:.0f}%', n=2, high='高いのは', low='低いのは')}。"
                         "すべての値は下の表にあります。")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
