"""Charts several pages share, in the house style (kofukin.report.style): the chart primitives (stacked bars, the
average line, finished rate bars), the allocation bars (全国版 and 交付額) and the profile charts; a page's own
charts are in its module (``kofukin.pages.<page>``)."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kofukin.model.schemas import TOTAL
from kofukin.report import style
from kofukin.report.alttext import describe, extremes, where
from kofukin.report.data import Report
from kofukin.report.units import pct, rate_label, yen


def _stack_h(ax, parts: pd.DataFrame, labels: dict, names) -> np.ndarray:
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


def _rate_bars_done(fig, ax, xmax: float, title: str):
    """Finish horizontal bars of score rates (%): axis, title, legend, no horizontal grid."""
    ax.set_xlim(0, xmax)
    ax.set_xlabel("得点率（%）")
    ax.set_title(title)
    ax.legend(frameon=False, loc="lower right")
    ax.grid(axis="y", visible=False)
    return fig


def _average_v(ax, value, label):
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


def profile_categories(b: dict):
    """A prefecture's score rate per category against the national rate.

    >>> fig = profile_categories(b)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '2019年度 区分別の得点率（東京都と全国）'
    """
    cats = pd.DataFrame(b["categories"]).iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.36 * len(cats) + 1.2))
    y = np.arange(len(cats))
    ax.barh(y + 0.19, cats["score_rate"] * 100, height=0.38, color=style.PALETTE[0], label=b["pref_name"])
    ax.barh(y - 0.19, cats["national_rate"] * 100, height=0.38, color=style.NEUTRAL, label="全国")
    ax.set_yticks(y, [f"{c} {lab}" for c, lab in zip(cats["category"], cats["label"])])
    fig = _rate_bars_done(fig, ax, 112, f"{b['year']}年度 区分別の得点率（{b['pref_name']}と全国）")
    return describe(fig, "、".join(f"{c} {pct(own)}（全国 {pct(nat)}）" for c, own, nat
                                   in zip(cats["category"][::-1], cats["score_rate"][::-1], cats["national_rate"][::-1])) + "。")


def profile_municipal(b: dict):
    """Histogram of a prefecture's municipal total scores, with the national mean and the penalty line.

    >>> fig = profile_municipal(b)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '東京都の市町村得点の分布'
    """
    years = sorted(b["municipal"])
    fig, axes = plt.subplots(1, len(years), figsize=(10, 3.4), sharey=True, squeeze=False)
    for ax, year in zip(axes[0], years):
        m = b["municipal"][year]
        bins = np.linspace(0, m["max_points"], 24)
        ax.hist(m["scores"], bins=bins, color=style.PALETTE[3], edgecolor="white")
        ax.axvline(m["national"]["mean"], color=style.AVERAGE, linestyle="--", linewidth=1, label="全国平均")
        if m["penalty_level"] is not None:      # a grant without the penalty: no line
            ax.axvline(b["penalty"]["threshold"] * m["max_points"], color=style.HIGHLIGHT, linestyle=":", linewidth=1.2,
                       label=f"得点率{rate_label(b['penalty']['threshold'])}")
        ax.set_title(f"{year}年度（満点{m['max_points']}点）")
        ax.set_xlabel("市町村の合計点（点）")
    axes[0][0].set_ylabel("市町村数")
    axes[0][-1].legend(frameon=False, loc="upper left")
    fig.suptitle(f"{b['pref_name']}の市町村得点の分布")
    def year_text(year):
        m = b["municipal"][year]
        return (f"{year}年度は{len(m['scores'])}市町村、{min(m['scores'])}〜{max(m['scores'])}点、平均{np.mean(m['scores']):.1f}点"
                f"（全国平均{m['national']['mean']:.1f}点）")
    return describe(fig, "。".join(year_text(y) for y in years) + "。")
