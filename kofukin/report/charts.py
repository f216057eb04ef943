"""Charts of the report pages, in the house style (kofukin.report.style)."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kofukin.model.schemas import MUNI_CATEGORIES, TOTAL
from kofukin.model.scoring import threshold_score
from kofukin.report import style, tilemap
from kofukin.report.alttext import correlation, describe, extremes, where
from kofukin.report.data import Report
from kofukin.report.units import fiscal_year_label, pct, yen
from kofukin.report.figures import map_figures, penalty_of, published_rates as published_rate_figures, rank_changes


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


def prefecture_stack(r: Report):
    """都道府県別得点: a bar per prefecture stacked by category, the penalty (where the grant has one) below zero,
    national average.

    >>> fig = prefecture_stack(r)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '2019年度 都道府県別得点（満点741点）'
    """
    items = r.item_scores
    penalty = items[items.points < 0].groupby("pref_code")["points"].sum()
    per = items[items.points >= 0].pivot_table(index="pref_code", columns="category", values="points", aggfunc="sum")
    cats = [c for c in r.categories["category"] if c != TOTAL]
    per = per.reindex(columns=cats).fillna(0)
    total = r.scores[(r.scores.fiscal_year == r.year) & (r.scores.category == TOTAL)].set_index("pref_code")
    order = total.sort_values(["score", "pref_code"], ascending=[False, True]).index
    per, penalty = per.loc[order], penalty.reindex(order).fillna(0)
    fig, ax = plt.subplots(figsize=(10, 10.5))
    _stack_h(ax, per, {c: f"{c} {r.category_label(c)}" for c in cats}, total.loc[order, "pref_name"])
    if penalty_of(r):
        ax.barh(np.arange(len(order)), penalty, color=style.HIGHLIGHT, hatch="//", edgecolor="white", height=0.78,
                label=f"{penalty_of(r)} 減点")
    for yi, (score, pen) in enumerate(zip(total.loc[order, "score"], penalty)):
        ax.text(score - pen + 4, yi, f"{score}", va="center", fontsize=7.5)
    _average_v(ax, total["score"].mean(), "全国平均")
    top = int(total["max_points"].iloc[0])
    ax.set_xlim(min(-15, penalty.min() - 5), top + 40)
    ax.set_xlabel("得点（点）")
    ax.set_title(f"{r.year}年度 都道府県別得点（満点{top}点）")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return describe(fig, f"{len(order)}都道府県の合計点の{extremes(total['score'], total['pref_name'], '{:.0f}点')}、"
                         f"平均{total['score'].mean():.1f}点。" + where("都道府県別得点", "区分別得点率"))


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


def municipal_stack(r: Report, year: int):
    """都道府県別市町村得点: prefecture averages of municipal scores stacked by I/II/III.

    >>> fig = municipal_stack(r, 2019)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '2019年度 都道府県別市町村得点（満点692点）'
    """
    m = r.municipal[r.municipal.fiscal_year == year]
    avg = m.pivot_table(index="pref_code", columns="category", values="score", aggfunc="mean")
    names = r.scores.drop_duplicates("pref_code").set_index("pref_code")["pref_name"]
    avg = avg.sort_values(TOTAL, ascending=False)
    fig, ax = plt.subplots(figsize=(9, 10.5))
    labels = {"I": "Ⅰ PDCAサイクル", "II": "Ⅱ 自立支援・重度化防止", "III": "Ⅲ 介護保険運営の安定化"}
    ends = _stack_h(ax, avg[MUNI_CATEGORIES], labels, avg.index.map(names))
    for yi, end in enumerate(ends):
        ax.text(end + 3, yi, f"{end:.1f}", va="center", fontsize=7.5)
    _average_v(ax, m[m.category == TOTAL]["score"].mean(), "全国平均")
    total_max = int(m[m.category == TOTAL]["max_points"].iloc[0])
    ax.set_xlim(0, total_max)
    ax.set_xlabel("管内市町村の平均得点（点）")
    ax.set_title(f"{year}年度 都道府県別市町村得点（{r.grant_label + '・' if r.grant_label else ''}満点{total_max}点）")
    ax.legend(frameon=False, loc="lower right")
    return describe(fig, f"管内市町村の平均得点の{extremes(avg[TOTAL], avg.index.map(names), '{:.1f}点')}、"
                         f"全国の市町村の平均{m[m.category == TOTAL]['score'].mean():.1f}点。"
                         "市町村ごとの得点は各市町村のページにあります。")


def municipal_distribution(r: Report, year: int):
    """Distribution of municipal total scores in each prefecture, with the penalty line (``scoring.penalty_threshold``)
    where the Report's grant has the penalty.

    >>> fig = municipal_distribution(r, 2019)
    >>> (fig._suptitle or fig.axes[0].title).get_text(), len(fig.axes[0].lines) - len(municipal_distribution(rs2[1], 2099).axes[0].lines)
    ('2019年度 都道府県内の市町村得点の分布', 1)
    """
    m = r.municipal[(r.municipal.fiscal_year == year) & (r.municipal.category == TOTAL)]
    names = r.scores.drop_duplicates("pref_code").set_index("pref_code")["pref_name"]
    order = m.groupby("pref_code")["score"].median().sort_values(ascending=False).index
    fig, ax = plt.subplots(figsize=(9, 10.5))
    data = [m.loc[m.pref_code == c, "score"].to_numpy() for c in order]
    ax.boxplot(data, orientation="horizontal", widths=0.6, patch_artist=True,
               boxprops={"facecolor": style.PALETTE[3], "edgecolor": style.AVERAGE, "linewidth": 0.7},
               medianprops={"color": style.AVERAGE}, flierprops={"markersize": 2.5, "markerfacecolor": style.HIGHLIGHT,
                                                                 "markeredgecolor": "none"})
    if penalty_of(r):
        threshold = r.scoring.penalty_threshold
        line = threshold_score(threshold, int(m["max_points"].iloc[0]))
        ax.axvline(line, color=style.HIGHLIGHT, linestyle=":", linewidth=1.2)
        ax.annotate(f"得点率{pct(threshold, 0)}（{line}点）以下：減点の対象", xy=(line, 1), xycoords=("data", "axes fraction"),
                    xytext=(4, -12), textcoords="offset points", fontsize=8.5, color=style.HIGHLIGHT)
    ax.set_yticks(np.arange(1, len(order) + 1), order.map(names))
    ax.set_ylim(len(order) + 0.5, 0.5)
    ax.set_xlabel("市町村の合計点（点）")
    ax.set_title(f"{year}年度 都道府県内の市町村得点の分布{'（' + r.grant_label + '）' if r.grant_label else ''}")
    ax.grid(axis="y", visible=False)
    medians = m.groupby("pref_code")["score"].median().loc[order]
    below = (f"減点の対象（{line}点以下）は{int((m['score'] <= line).sum()):,}市町村。" if penalty_of(r) else "")
    return describe(fig, f"{len(m):,}市町村の合計点は{m['score'].min()}〜{m['score'].max()}点、中央値{m['score'].median():.1f}点。"
                         f"都道府県内の中央値の{extremes(medians, order.map(names), '{:.1f}点')}。{below}")


def rank_scatter(r: Report):
    """Rank in the comparison year against rank in the report year, coloured by outcome points.

    >>> fig = rank_scatter(r)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '順位の変化（対角線より上 = 順位が上昇）'
    """
    ch = rank_changes(r)
    fig, ax = plt.subplots(figsize=(7.5, 6.2))
    sc = ax.scatter(ch["rank_before"], ch["rank_after"], c=ch["outcome_points"], cmap="viridis_r", s=36,
                    edgecolor="white", linewidth=0.5)
    n = len(ch)
    ax.plot([1, n], [1, n], color=style.NEUTRAL, linewidth=0.8)
    for code, row in ch[ch["rank_change"].abs() >= 20].iterrows():
        ax.annotate(row.pref_name, (row.rank_before, row.rank_after), xytext=(4, 2), textcoords="offset points", fontsize=8)
    ax.set_xlim(n + 1, 0)
    ax.set_ylim(n + 1, 0)
    ax.set_xlabel(f"{r.compare_year}年度の順位")
    ax.set_ylabel(f"{r.year}年度の順位")
    ax.set_title("順位の変化（対角線より上 = 順位が上昇）")
    fig.colorbar(sc, ax=ax, label=f"{r.year}年度 アウトカム指標の得点（点）", shrink=0.8)
    moved = ch.sort_values(["rank_change", "rank_after"], ascending=[False, True])
    def move(row):
        return f"{row.pref_name}（{row.rank_before}位→{row.rank_after}位）"
    return describe(fig, f"{r.compare_year}年度と{r.year}年度の順位の{correlation(ch['rank_before'], ch['rank_after'])}。"
                         f"最も上がったのは{move(moved.iloc[0])}、最も下がったのは{move(moved.iloc[-1])}。"
                         f"順位が上がった都道府県は{int((ch['rank_change'] > 0).sum())}、下がった都道府県は"
                         f"{int((ch['rank_change'] < 0).sum())}。" + where("年度比較"))


def rate_change(r: Report):
    """得点率 of both years per prefecture (a dumbbell), sorted by the report year.

    >>> fig = rate_change(r)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '都道府県分 得点率の変化'
    """
    ch = rank_changes(r).sort_values("rate_after")
    fig, ax = plt.subplots(figsize=(8, 9))
    y = np.arange(len(ch))
    ax.hlines(y, ch["rate_before"] * 100, ch["rate_after"] * 100, color=style.NEUTRAL, linewidth=1)
    ax.scatter(ch["rate_before"] * 100, y, color=style.PALETTE[1], s=18, label=f"{r.compare_year}年度", zorder=3)
    ax.scatter(ch["rate_after"] * 100, y, color=style.PALETTE[0], s=18, label=f"{r.year}年度", zorder=3)
    ax.set_yticks(y, ch["pref_name"])
    ax.set_xlabel("得点率（%）")
    ax.set_title("都道府県分 得点率の変化")
    ax.legend(frameon=False, loc="lower right")
    change = 100 * (ch["rate_after"] - ch["rate_before"])
    return describe(fig, f"{len(ch)}都道府県の平均得点率は{r.compare_year}年度{100 * ch['rate_before'].mean():.1f}%、"
                         f"{r.year}年度{100 * ch['rate_after'].mean():.1f}%。上がった都道府県は{int((change > 0).sum())}、"
                         f"下がった都道府県は{int((change < 0).sum())}。変化の"
                         f"{extremes(change, ch['pref_name'], '{:+.1f}ポイント', n=1, high='最大は', low='最小は')}。"
                         + where("年度比較"))


def frame_bars(r: Report):
    """The budget frame (令和7年度: seed 001): a stacked bar per grant and level, in 千円.

    >>> fig = frame_bars(r)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '令和7年度 保険者機能強化推進交付金・介護保険保険者努力支援交付金の配分枠'
    """
    f = r.frame
    wide = f.pivot_table(index=["grant_label", "level_label"], columns="pot_label", values="amount_thousand_yen",
                         aggfunc="sum", sort=False).reindex(columns=f["pot_label"].unique()).fillna(0)
    levels = f["level_label"].unique()
    fig, axes = plt.subplots(1, len(levels), figsize=(11, 3.4), squeeze=False)
    for ax, level in zip(axes[0], levels):
        part = wide.xs(level, level="level_label")
        left = np.zeros(len(part))
        for colour, pot in zip(style.PALETTE, part.columns):
            ax.barh(np.arange(len(part)), part[pot], left=left, color=colour, label=pot)
            left += part[pot].to_numpy()
        for yi, total in enumerate(left):
            ax.text(total, yi, f" {yen(total)}", va="center", fontsize=8)
        ax.set_yticks(np.arange(len(part)), [g.replace("交付金", "") for g in part.index])
        ax.set_xlim(0, left.max() * 1.3)
        ax.xaxis.set_major_formatter(lambda v, _: yen(v))
        ax.set_xlabel("千円")
        ax.set_title(level)
    axes[0][0].legend(frameon=False, loc="lower right", fontsize=8)
    fig.suptitle(f"{fiscal_year_label(r.frame_year)} {'・'.join(f['grant_label'].unique())}の配分枠")
    sums = f.groupby(["level_label", "grant_label"], sort=False)["amount_thousand_yen"].sum()
    return describe(fig, "、".join(f"{level} {grant} {yen(v)}千円" for (level, grant), v in sums.items())
                         + "。配分枠ごとの額は下の表にあります。")


def published_rates(r: Report):
    """得点率 of both years as the seed publishes them: overall and raised-hurdle items (None if not published).

    >>> fig = published_rates(r)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '得点率の変化（厚生労働省資料の公表値）'
    """
    rates = published_rate_figures(r)
    if rates.empty:
        return None
    fig, ax = plt.subplots(figsize=(9, 3.6))
    y = np.arange(len(rates))
    ax.barh(y - 0.2, rates["before"], height=0.4, color=style.PALETTE[1], label=f"{r.compare_year}年度")
    ax.barh(y + 0.2, rates["after"], height=0.4, color=style.PALETTE[0], label=f"{r.year}年度")
    for yi, (b, a) in enumerate(zip(rates["before"], rates["after"])):
        ax.text(b + 0.8, yi - 0.2, f"{b:.1f}%", va="center", fontsize=8)
        ax.text(a + 0.8, yi + 0.2, f"{a:.1f}%", va="center", fontsize=8)
    ax.set_yticks(y, rates["label"])
    ax.set_ylim(len(rates) - 0.5, -0.5)
    fig = _rate_bars_done(fig, ax, 105, "得点率の変化（厚生労働省資料の公表値）")
    return describe(fig, "、".join(f"{lab} {b:.1f}%→{a:.1f}%" for lab, b, a in zip(rates["label"], rates["before"], rates["after"]))
                         + f"（{r.compare_year}年度→{r.year}年度）。")


def japan_maps(r: Report):
    """Four tile-grid maps of the 47 prefectures: score rate, rank, grant per first-insured person, YoY change.

    >>> fig = japan_maps(r)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '都道府県別の地図（タイルグリッド）'
    """
    v = map_figures(r)
    names = v["pref_name"]
    fig, axes = plt.subplots(2, 2, figsize=(10, 9.5))
    tilemap.draw(axes[0, 0], v["score_rate_pct"], names, title=f"{r.year}年度 得点率", unit="得点率（%）")
    tilemap.draw(axes[0, 1], v["rank"], names, title=f"{r.year}年度 順位", unit="順位（1が最上位）", fmt="{:.0f}",
                 reverse=True)
    tilemap.draw(axes[1, 0], v["yen_per_first_insured"], names, title=f"{r.year}年度 第1号被保険者1人当たり交付額",
                 unit=f"円／人（都道府県分 ÷ {r.year}年度の市町村の第1号被保険者数）", cmap="cividis", fmt="{:.1f}")
    tilemap.draw(axes[1, 1], v["rate_change_points"], names, title=f"得点率の変化 {r.compare_year}→{r.year}年度",
                 unit="ポイント", cmap="RdBu", fmt="{:+.1f}", center=0.0)
    fig.suptitle("都道府県別の地図（タイルグリッド）")
    return describe(fig, f"得点率の{extremes(v['score_rate_pct'], names, '{:.1f}%', n=2)}。"
                         f"1人当たり交付額の{extremes(v['yen_per_first_insured'], names, '{:.1f}円', n=2)}。"
                         f"得点率の変化の{extremes(v['rate_change_points'], names, '{:+.1f}ポイント', n=2)}。"
                         + where("地図の値"))


def scenario_bars(c: pd.DataFrame, label: str):
    """差（千円） per prefecture under a scenario, largest gain at the top; gains blue, losses orange.

    >>> c = pd.DataFrame({"pref_code": ["01", "02"], "pref_name": ["北海道", "青森県"], "difference_thousand_yen": [5, -5]})
    >>> scenario_bars(c, "例").axes[0].get_title()
    'シナリオ「例」と基準の差'
    """
    c = c.sort_values(["difference_thousand_yen", "pref_code"], ascending=[False, True])
    fig, ax = plt.subplots(figsize=(9, 10))
    colours = [style.PALETTE[0] if d >= 0 else style.HIGHLIGHT for d in c.difference_thousand_yen]
    ax.barh(np.arange(len(c)), c.difference_thousand_yen, color=colours, height=0.75)
    ax.set_yticks(np.arange(len(c)), c.pref_name)
    ax.set_ylim(len(c) - 0.5, -0.5)
    ax.axvline(0, color=style.AVERAGE, linewidth=0.8)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("基準との差（千円）")
    ax.set_title(f"シナリオ「{label}」と基準の差")
    d = c.difference_thousand_yen
    return describe(fig, f"増える都道府県{int((d > 0).sum())}、減る都道府県{int((d < 0).sum())}。"
                         f"{extremes(d, c.pref_name, '{:+,.0f}千円', high='増加の大きい順に', low='減少の大きい順に')}。"
                         "すべての値はこのページの表にあります。")


def scenario_scatter(c: pd.DataFrame, label: str):
    """Baseline against scenario amount (千円) per prefecture; the diagonal is no change.

    >>> c = pd.DataFrame({"pref_name": ["北海道", "青森県"], "baseline_thousand_yen": [10, 20], "scenario_thousand_yen": [15, 15], "difference_thousand_yen": [5, -5]})
    >>> scenario_scatter(c, "例").axes[0].get_xlabel()
    '基準の交付額（千円）'
    """
    fig, ax = plt.subplots(figsize=(6.5, 6))
    ax.scatter(c.baseline_thousand_yen, c.scenario_thousand_yen, color=style.PALETTE[0], s=22)
    top = max(c.baseline_thousand_yen.max(), c.scenario_thousand_yen.max()) * 1.05
    ax.plot([0, top], [0, top], color=style.NEUTRAL, linestyle="--", linewidth=1)
    for row in c.reindex(c.difference_thousand_yen.abs().sort_values(ascending=False).index).head(6).itertuples():
        ax.annotate(row.pref_name, (row.baseline_thousand_yen, row.scenario_thousand_yen), xytext=(4, 2),
                    textcoords="offset points", fontsize=8)
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("基準の交付額（千円）")
    ax.set_ylabel("シナリオの交付額（千円）")
    ax.set_title(f"基準とシナリオ「{label}」の交付額")
    far = c.reindex(c.difference_thousand_yen.abs().sort_values(ascending=False, kind="stable").index).head(3)
    return describe(fig, f"基準とシナリオの交付額の{correlation(c.baseline_thousand_yen, c.scenario_thousand_yen)}。"
                         "対角線から最も離れているのは"
                         + "、".join(f"{row.pref_name}（{yen(row.baseline_thousand_yen)}→{yen(row.scenario_thousand_yen)}千円）"
                                    for row in far.itertuples()) + "。")
