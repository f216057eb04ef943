"""Text alternatives of the PNG charts: the chart makers attach a few sentences stating the chart's figures
(``describe``), and ``kofukin.report.display.figure`` writes its title and them as the image's alt text."""

import numpy as np
import pandas as pd


def describe(fig, text: str):
    """Attach ``text`` (the chart's figures in words) to ``fig``; returns ``fig``.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("例")
    >>> alt(describe(fig, "最高は北海道 12点。"))
    '例。最高は北海道 12点。'
    """
    fig.kofukin_alt = text
    return fig


def alt(fig) -> str:
    """A figure's alt text: its title (the suptitle, else the first axes' title), then what ``describe`` attached."""
    title = fig._suptitle.get_text() if fig._suptitle else fig.axes[0].get_title()
    text = getattr(fig, "kofukin_alt", "")
    return f"{title}。{text}" if text else title


def extremes(values: pd.Series, names: pd.Series, fmt: str, n: int = 3, high: str = "上位は", low: str = "下位は") -> str:
    """The ``n`` highest and the ``n`` lowest values (lowest first) with their names, ``fmt`` formatting a value,
    each list led by ``high`` / ``low``; ties in the given order; a minus as a minus sign (−, read as マイナス).

    >>> v = pd.Series([5, 1, 3, 4, 2])
    >>> extremes(v, pd.Series(list("甲乙丙丁戊")), "{:.0f}点", n=2)
    '上位は甲 5点、丁 4点、下位は乙 1点、戊 2点'
    >>> extremes(v - 3, pd.Series(list("甲乙丙丁戊")), "{:+.0f}", n=1)
    '上位は甲 +2、下位は乙 −2'
    """
    order = pd.DataFrame({"v": np.asarray(values, dtype=float), "name": np.asarray(names)}).dropna()
    order = order.sort_values("v", ascending=False, kind="stable")
    def listed(rows):
        return "、".join(f"{name} {fmt.format(v).replace('-', '−')}" for v, name in zip(rows["v"], rows["name"]))
    return f"{high}{listed(order.head(n))}、{low}{listed(order.tail(n).iloc[::-1])}"


def correlation(x, y) -> str:
    """Pearson's correlation coefficient of the pairs where both are known, and their number.

    >>> correlation([1, 2, 3, None], [2, 4, 7, 1])
    '相関係数0.99（3件）'
    """
    both = pd.DataFrame({"x": pd.Series(x, dtype=float).to_numpy(), "y": pd.Series(y, dtype=float).to_numpy()}).dropna()
    return f"相関係数{both['x'].corr(both['y']):.2f}（{len(both):,}件）"


def where(*sheets: str) -> str:
    """Where a chart's every figure is: the report's tables (CSV in reports/tables/, sheets of the workbook).

    >>> where("交付額")
    'すべての値は表「交付額」（reports/tables/交付額.csv）にあります。'
    """
    return "すべての値は" + "・".join(f"表「{s}」（reports/tables/{s}.csv）" for s in sheets) + "にあります。"
