"""Charts several pages share, in the house style (kofukin.report.style): the chart primitives (stacked bars, the
average line, finished rate bars) and the allocation bars (全国版 and 交付額); a page's own charts are in its module
(``kofukin.pages.<page>``)."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kofukin.model.schemas import TOTAL
from kofukin.report import style
from kofukin.report.alttext import describe, extremes, where
from kofukin.report.data import Report
from kofukin.report.units import yen


def stack_bars(ax, parts: pd.DataFrame, labels: dict, names) -> np.ndarray:
    """Horizontal stacked bars, first row at the top; returns the bar ends."""
    y = np.arange(len(parts))
    left = np.zeros(len(parts))
    for colour, c in zip(style.PALETTE, parts.columns):
        ax.barh(y, parts[c], left=left, color=colour, height=0.78, label=labels[c])
        left += parts[c].to_numpy()
    ax.set_yticks(y, names)
    ax.set_ylim(len(parts) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    return left


def finish_rate_bars(fig, ax, xmax: float, title: str):
    """Finish horizontal bars of score rates (%): axis, title, legend, no horizontal grid."""
    ax.set_xlim(0, xmax)
    ax.set_xlabel("得点率（%）")
    ax.set_title(title)
    ax.legend(frameon=False, loc="lower right")
    ax.grid(axis="y", visible=False)
    return fig


def point_labels(ax, points: list[tuple[float, float, str]], fontsize: float = 8) -> None:
    """Names beside chosen points of a scatter (call once the axes' limits are set): a name that would print over
    one already placed moves up or down, to the nearest free line, with a thin line back to its point.

    >>> fig = plt.figure(); ax = fig.add_subplot()        # (a primitive: the charts that use it draw the figure)
    >>> ax.set_xlim(0, 100); ax.set_ylim(0, 100)
    (0.0, 100.0)
    (0.0, 100.0)
    >>> point_labels(ax, [(50, 50, "徳島県"), (51, 50.5, "島根県"), (10, 90, "北海道")])
    >>> [a.xyann[1] for a in ax.texts], [a.arrow_patch is not None for a in ax.texts]    # offsets in points
    ([2.0, 12.4, 2.0], [False, True, False])
    >>> plt.close(fig)
    """
    placed, line, to_points = [], fontsize * 1.3, 72 / ax.figure.dpi
    for x, y, name in points:
        px, py = ax.transData.transform((x, y)) * to_points
        width = fontsize * len(name) + 4
        dy = next(d for d in (2 + k * sign * line for k in range(len(points) + 1) for sign in (1, -1))
                  if not any(abs(px - qx) < max(width, w) and abs(py + d - qy) < line for qx, qy, w in placed))
        ax.annotate(name, (x, y), xytext=(4, dy), textcoords="offset points", fontsize=fontsize,
                    arrowprops=None if dy == 2 else {"arrowstyle": "-", "color": style.NEUTRAL, "linewidth": 0.5,
                                                     "shrinkA": 0, "shrinkB": 3})
        placed.append((px, py + dy, width))


def average_line(ax, value, label):
    """A dashed vertical line at ``value`` (points), labelled at the foot of the axes."""
    ax.axvline(value, color=style.AVERAGE, linestyle="--", linewidth=1)
    ax.annotate(f"{label} {value:.1f}点", xy=(value, 0), xycoords=("data", "axes fraction"), xytext=(3, 3),
                textcoords="offset points", fontsize=8.5, color=style.AVERAGE)


def allocation_bars(r: Report):
    """都道府県別交付額 (千円): paid, with the score share and the request (cap).

    >>> fig = allocation_bars(r)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '2019年度 都道府県別交付額（千円）'
    """
    a = r.allocation.merge(r.scores[(r.scores.fiscal_year == r.year) & (r.scores.category == TOTAL)][["pref_code", "pref_name"]],
                           on="pref_code").sort_values(["amount_thousand_yen", "pref_code"], ascending=[False, True])
    fig, ax = plt.subplots(figsize=(9, 10.5))
    y = np.arange(len(a))
    ax.barh(y, a["amount_thousand_yen"], color=np.where(a["capped"], style.HIGHLIGHT, style.PALETTE[0]), height=0.72)
    ax.scatter(a["share_thousand_yen"], y, marker="|", s=110, color=style.AVERAGE, zorder=3, label="得点による配分額")
    ax.scatter(a["cap_thousand_yen"], y, marker="<", s=16, color=style.NEUTRAL, zorder=3, label="所要見込額")
    ax.barh([], [], color=style.PALETTE[0], label="交付額")
    ax.barh([], [], color=style.HIGHLIGHT, label="交付額（所要見込額が上限）")
    ax.set_yticks(y, a["pref_name"])
    ax.set_ylim(len(a) - 0.5, -0.5)
    ax.set_xlabel("千円")
    ax.xaxis.set_major_formatter(lambda v, _: yen(v))
    ax.set_title(f"{r.year}年度 都道府県別交付額（千円）")
    ax.legend(frameon=False, loc="lower right")
    ax.grid(axis="y", visible=False)
    return describe(fig, f"{len(a)}都道府県の計{yen(a['amount_thousand_yen'].sum())}千円。"
                         f"{extremes(a['amount_thousand_yen'], a['pref_name'], '{:,.0f}千円')}。"
                         f"所要見込額が上限となった都道府県は{int(a['capped'].sum())}。"
                         + where("交付額"))
