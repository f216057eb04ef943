"""全国版: a grant's prefectural results of the report year — key figures, ranking, categories, the map, the
allocation at a glance, the published figures reproduced (notebooks/national.py)."""


import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kofukin.model.schemas import TOTAL
from kofukin.pages.page import Edition, Page
from kofukin.report import style, tilemap
from kofukin.report.alttext import describe, extremes, where
from kofukin.report.charts import average_line, stack_bars, allocation_bars as allocation_bars   # the kit's chart, shown here too
from kofukin.report.data import Report, page_report
from kofukin.report.penalty import penalty_level, penalty_of
from kofukin.report.units import oku_yen, pct, points

NOTEBOOK = "national.py"


def declare(e: Edition) -> list[Page]:
    """One page per grant of the report year with prefectural results.

    >>> [p.name for p in declare(Edition(2019, 2018, 2025))], declare(Edition(2019, 2018, 2025))[0].shows["inputs/municipalities"]
    (['national'], [2019])
    """
    return e.grant_pages(NOTEBOOK, f"全国版：{e.year}年度 都道府県分の評価結果",
                         ("prefecture_scores", "prefecture_item_scores", "prefecture_allocation", "source_consistency",
                          "inputs/municipalities", "inputs/prefecture_requests"), 10, both=True,
                         current=("inputs/municipalities", "inputs/prefecture_requests"))     # the map: per first-insured person of the report year; the requests: the allocation chart


# the page's Report (its notebook's years, else the configuration's): one grant's prefectural results of the report year
load = page_report


def category_table(r: Report) -> pd.DataFrame:
    """区分別の満点・全国平均・得点率: published beside computed.

    >>> t = category_table(r)
    >>> list(t.columns), len(t)
    (['区分', '名称', '満点（点）', '全国平均・公表（点）', '全国平均・算出（点）', '得点率・公表', '得点率・算出'], 13)
    >>> t.iloc[-1].to_dict()
    {'区分': 'TOTAL', '名称': '合計', '満点（点）': 741, '全国平均・公表（点）': '584.3', '全国平均・算出（点）': '582.2', '得点率・公表': '78.9%', '得点率・算出': '78.6%'}
    """
    means = r.scores_of(r.year).groupby("category")["score"].mean()
    rows = []
    for c in r.categories.itertuples(index=False):
        rows.append({"区分": c.category, "名称": c.short_label, "満点（点）": c.max_points,
                     "全国平均・公表（点）": f"{c.national_average:.1f}", "全国平均・算出（点）": f"{means[c.category]:.1f}",
                     "得点率・公表": f"{c.score_rate_pct:.1f}%", "得点率・算出": pct(means[c.category] / c.max_points)})
    return pd.DataFrame(rows)


def national_key_figures(r: Report) -> list[tuple[str, str]]:
    """The national page's key figures: maximum, published average and rate, and the data's average.

    >>> national_key_figures(r)[:2]
    [('満点', '741点'), ('全国平均（公表）', '584.3点')]
    """
    s = national_summary(r)
    return [("満点", f"{s['max_points']}点"), ("全国平均（公表）", f"{s['published_average']:.1f}点"),
            ("得点率（公表）", f"{s['published_rate_pct']:.1f}%"), ("全国平均（本データ）", f"{s['computed_average']:.1f}点")]


def ranking_table(r: Report, year: int) -> pd.DataFrame:
    """都道府県別の合計点・得点率・順位・全国平均との差.

    >>> t = ranking_table(r, 2019)
    >>> list(t.columns), len(t)
    (['順位', '都道府県', '合計（点）', '得点率', '全国平均との差（点）'], 47)
    >>> t.iloc[0].to_dict()
    {'順位': 1, '都道府県': '新潟県', '合計（点）': 675, '得点率': '91.1%', '全国平均との差（点）': '+92.8'}
    """
    t = r.scores_of(year, TOTAL).sort_values(["rank", "pref_code"])
    return pd.DataFrame({"順位": t["rank"], "都道府県": t["pref_name"], "合計（点）": t["score"],
                         "得点率": t["score_rate"].map(pct),
                         "全国平均との差（点）": t["distance_to_average"].map(lambda x: f"{x:+.1f}")}).reset_index(drop=True)


def consistency_note(r: Report) -> str:
    """Where the published category averages contradict their own items (source_consistency.csv).

    >>> consistency_note(r)[:30]
    '資料の区分の全国平均と個別指標の全国平均の合計が一致しない区'
    """
    c = r.consistency
    bad = c[(c.check == "item_average_sum_vs_category_average") & ~c.consistent
            & c.scope.str.startswith(f"{r.year} prefecture ")]
    if bad.empty:
        return "区分の全国平均（公表）は、個別指標の全国平均（公表）の合計と一致しています。"
    parts = [f"{row.scope.split()[-1]} {r.category_label(row.scope.split()[-1])}（区分の平均{row.published:g}点、"
             f"個別指標の平均の合計{row.computed:.1f}点）" for row in bad.itertuples()]
    return ("資料の区分の全国平均と個別指標の全国平均の合計が一致しない区分があります：" + "、".join(parts)
            + "。算出値は個別指標に合わせています（source_consistency.csv 参照）。")


def map_values(r: Report) -> pd.DataFrame:
    """Per prefecture, the figures the maps show, with Japanese headers (the workbook's sheet 地図の値).

    >>> t = map_values(r)
    >>> list(t.columns)
    ['都道府県コード', '都道府県', '得点率（%）', '順位', '第1号被保険者1人当たり交付額（円）', '得点率の変化 2018→2019（ポイント）']
    >>> int(t.set_index("都道府県").loc["東京都", "順位"])
    14
    """
    m = map_figures(r)
    return pd.DataFrame({"都道府県": m["pref_name"], "得点率（%）": m["score_rate_pct"], "順位": m["rank"],
                         "第1号被保険者1人当たり交付額（円）": m["yen_per_first_insured"],
                         f"得点率の変化 {r.compare_year}→{r.year}（ポイント）": m["rate_change_points"]}
                        ).rename_axis("都道府県コード").reset_index()


def stack_note(r: Report) -> str:
    """What the national page's stacked bars show, the penalty included where the grant has one.

    >>> stack_note(r).split("。")[1]
    '赤い斜線は「管内に得点が著しく低い市町村（得点率3割以下）がある」ことによる減点（−10点）です'
    """
    penalty = (f"赤い斜線は「管内に得点が著しく低い市町村（{penalty_level(r)}）がある」ことによる減点"
               f"（{points(r.scoring.penalty_points)}）です。") if penalty_of(r) else ""
    return "都道府県分の評価結果を、評価指標の区分ごとに積み上げて示します。" + penalty


def allocation_rule(r: Report) -> str:
    """How the prefectural grant is paid, with the report year's budget.

    >>> allocation_rule(r).split("。")[0][-20:]
    '額を交付します（都道府県分 約10億円）'
    """
    return ("各都道府県の評価指標の得点により配分した額と、各都道府県からの所要見込額の低い方の額を交付します"
            f"（都道府県分 {oku_yen(r.budget)}）。詳しくは「交付額」のページを参照してください。")


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
    stack_bars(ax, per, {c: f"{c} {r.category_label(c)}" for c in cats}, total.loc[order, "pref_name"])
    if penalty_of(r):
        ax.barh(np.arange(len(order)), penalty, color=style.HIGHLIGHT, hatch="//", edgecolor="white", height=0.78,
                label=f"{penalty_of(r)} 減点")
    for yi, (score, pen) in enumerate(zip(total.loc[order, "score"], penalty)):
        ax.text(score - pen + 4, yi, f"{score}", va="center", fontsize=7.5)
    average_line(ax, total["score"].mean(), "全国平均")
    top = int(total["max_points"].iloc[0])
    ax.set_xlim(min(-15, penalty.min() - 5), top + 40)
    ax.set_xlabel("得点（点）")
    ax.set_title(f"{r.year}年度 都道府県別得点（満点{top}点）")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return describe(fig, f"{len(order)}都道府県の合計点の{extremes(total['score'], total['pref_name'], '{:.0f}点')}、"
                         f"平均{total['score'].mean():.1f}点。" + where("都道府県別得点", "区分別得点率"))


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


def map_figures(r: Report) -> pd.DataFrame:
    """Per prefecture (indexed by pref_code), the figures the maps show: score rate (%), rank, grant per
    first-insured person (円), and the change of the score rate since the comparison year (points).

    >>> m = map_figures(r)
    >>> list(m.columns)
    ['pref_name', 'score_rate_pct', 'rank', 'yen_per_first_insured', 'rate_change_points']
    >>> m.loc["13"].to_dict()
    {'pref_name': '東京都', 'score_rate_pct': 83.1309, 'rank': 14, 'yen_per_first_insured': 5.603079640343568, 'rate_change_points': -16.869100000000003}
    """
    now = r.scores_of(r.year, TOTAL).set_index("pref_code")
    before = r.scores_of(r.compare_year, TOTAL).set_index("pref_code")
    first = r.municipalities_of(r.year).groupby("pref_code")["first_insured"].sum()
    amount = r.allocation.set_index("pref_code")["amount_thousand_yen"]
    return pd.DataFrame({
        "pref_name": now["pref_name"], "score_rate_pct": 100 * now["score_rate"], "rank": now["rank"],
        "yen_per_first_insured": 1000 * amount.reindex(now.index) / first.reindex(now.index),
        "rate_change_points": 100 * (now["score_rate"] - before["score_rate"].reindex(now.index)),
    })


def national_summary(r: Report) -> dict:
    """The report year's maximum, published national average and score rate, and the average of the data's totals.

    >>> s = national_summary(r)
    >>> s["max_points"], s["published_average"], round(s["computed_average"], 1)
    (741, 584.3, 582.2)
    """
    total = r.categories.set_index("category").loc[TOTAL]
    return {"max_points": int(total.max_points), "published_average": float(total.national_average),
            "published_rate_pct": float(total.score_rate_pct), "computed_average": float(r.scores_of(r.year, TOTAL)["score"].mean())}
