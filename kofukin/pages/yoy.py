"""年度比較: a grant's prefectural results of the comparison year beside the report year's — ranks, score rates,
outcome indicators, seed 000's findings recomputed (notebooks/yoy.py)."""


import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kofukin.model.catalogue import CHANGE_LABELS, outcome_items
from kofukin.model.findings import SPREADS, outcome_leaders, score_rate_spread
from kofukin.model.schemas import TOTAL
from kofukin.pages.page import Edition, Page
from kofukin.report import style
from kofukin.report.alttext import correlation, describe, extremes, where
from kofukin.report.charts import finish_rate_bars, point_labels
from kofukin.report.data import Report, page_report
from kofukin.report.units import pct

NOTEBOOK = "yoy.py"


def declare(e: Edition) -> list[Page]:
    """One page per grant of the report year that the comparison year scores too.

    >>> [p.name for p in declare(Edition(2099, 2019, 2027, 2099, {2099: ["promotion", "support"]}))]
    ['yoy']
    """
    return e.grant_pages(NOTEBOOK, f"年度比較：{e.compare_year}年度→{e.year}年度",
                         ("prefecture_scores", "prefecture_item_scores", "municipal_scores"), 30, both=True, compared_only=True)


# the page's Report (its notebook's years, else the configuration's): one grant's results of the report year and the comparison year
load = page_report


def yoy_summary(r: Report) -> pd.DataFrame:
    """満点・全国平均・得点率 by level and year, published beside computed.

    >>> t = yoy_summary(r)
    >>> list(t.columns), len(t)
    (['区分', '年度', '満点（点）', '全国平均・公表（点）', '全国平均・算出（点）', '得点率・算出'], 4)
    >>> t.iloc[1].to_dict()
    {'区分': '都道府県分', '年度': 2019, '満点（点）': 741, '全国平均・公表（点）': '584.3', '全国平均・算出（点）': '582.2', '得点率・算出': '78.6%'}
    """
    pub = r.figures.set_index(["fiscal_year", "level", "metric"])["value"]
    muni_pub = r.municipal_categories.set_index(["fiscal_year", "category"])["national_average"]
    rows = []
    for year in (r.compare_year, r.year):
        p = r.scores_of(year, TOTAL)
        cats = r.categories if year == r.year else r.compare_categories
        if cats is not None:
            published = cats.set_index("category").at[TOTAL, "national_average"]
        else:
            published = pub.get((year, "prefecture", "average_score"))
        rows.append(("都道府県分", year, int(p["max_points"].iloc[0]), published, p["score"].mean()))
        m = r.municipal[(r.municipal.fiscal_year == year) & (r.municipal.category == TOTAL)]
        if len(m):
            rows.append(("市町村分", year, int(m["max_points"].iloc[0]), muni_pub.get((year, TOTAL)), m["score"].mean()))
    out = pd.DataFrame(rows, columns=["区分", "年度", "満点（点）", "全国平均・公表（点）", "全国平均・算出（点）"])
    out["得点率・算出"] = (out["全国平均・算出（点）"] / out["満点（点）"]).map(pct)
    out["全国平均・公表（点）"] = out["全国平均・公表（点）"].map(lambda x: "—" if x is None or pd.isna(x) else f"{x:g}")
    out["全国平均・算出（点）"] = out["全国平均・算出（点）"].map(lambda x: f"{x:.1f}")
    return out.sort_values(["区分", "年度"], ascending=[False, True], ignore_index=True)


def outcome_movers(r: Report) -> tuple[pd.DataFrame, int]:
    """The best prefectures by outcome points and how their total rank moved (docs/assumptions.md
    A18); and how many rose.

    >>> movers, risers = outcome_movers(r)
    >>> len(movers), risers, list(movers.columns[2:4]), int(movers["アウトカム指標（点）"].iloc[0])
    (10, 9, ['2018年度順位', '2019年度順位'], 60)
    """
    points = _outcome_points(r)
    share = points[0] / points[1] if None not in points else None
    lead = outcome_leaders(r.scores, r.item_scores, outcome_items(r.items, r.scoring.outcome_category), r.year, r.compare_year,
                           top=r.findings["outcome_top"], comparison=r.findings["rank_comparison"], outcome_share=share)
    if r.findings["rank_comparison"] == "years":
        before, after = f"{r.compare_year}年度順位", f"{r.year}年度順位"
    else:
        before, after = (f"{r.year}年度順位（アウトカム指標{p:g}点）" for p in points)
    change = lead["rank_before"] - lead["rank_after"]
    table = pd.DataFrame({"都道府県": lead["pref_name"], "アウトカム指標（点）": lead["outcome_points"],
                          before: lead["rank_before"], after: lead["rank_after"],
                          "順位の変化": change.map(lambda x: f"{x:+d}" if x else "±0")}).reset_index(drop=True)
    return table, int(lead["rose"].sum())


def _outcome_points(r: Report) -> list:
    """The outcome indicators' published points in the comparison year and the report year (None if not published)."""
    pub = r.figures.set_index(["fiscal_year", "level", "metric"])["value"]
    return [pub.get((y, "prefecture", "outcome_points")) for y in (r.compare_year, r.year)]


def spread_table(r: Report) -> pd.DataFrame:
    """The spread of the prefectures' total score rates in both years, by three measures (percentage
    points; the coefficient of variation in % of the mean); the configuration's measure is the one checked.

    >>> t = spread_table(r)
    >>> t.iloc[0].tolist()
    ['標準偏差（ポイント）', '9.4', '7.9', '-1.5', '○']
    """
    rows = []
    for measure, label in SPREADS.items():
        before, after = (score_rate_spread(r.scores, y, measure) for y in (r.compare_year, r.year))
        unit = "%" if measure == "cv" else "ポイント"
        rows.append({"尺度": f"{label}（{unit}）", f"{r.compare_year}年度": f"{before:.1f}", f"{r.year}年度": f"{after:.1f}",
                     "変化": f"{after - before:+.1f}",
                     "判定に使用": "○" if measure == r.findings["spread"] else ""})
    return pd.DataFrame(rows)


def spread_note(r: Report) -> str:
    """What the ministry published on the spread of scores, and what the data here show.

    >>> "2018年度9.4から2019年度7.9へと拡大していません" in spread_note(r)
    True
    """
    measure = r.findings["spread"]
    before, after = (score_rate_spread(r.scores, y, measure) for y in (r.compare_year, r.year))
    verdict = "拡大していません" if after <= before else "拡大しています"
    return (f"厚生労働省資料では「得点のばらつきは拡大しなかった」とされています。都道府県の得点率（合計点÷満点）の"
            f"{SPREADS[measure]}で比べると、本データでは{r.compare_year}年度{before:.1f}から{r.year}年度{after:.1f}へと"
            f"{verdict}（尺度は設定 findings.spread で変更できます）。")


FINDINGS = [  # (label, level, metric, unit shown)
    ("変更していない指標の数", "prefecture", "unchanged_items"),
    ("うち得点率が上昇", "prefecture", "unchanged_items_rate_up"),
    ("うち横ばい", "prefecture", "unchanged_items_rate_flat"),
    ("ハードルを上げた指標の得点率（%）", "prefecture", "raised_hurdle_score_rate_pct"),
    ("アウトカム指標の配点（点）", "prefecture", "outcome_points"),
    ("減点（−10点）の都道府県数", "prefecture", "penalty_prefectures"),
    ("得点率が約3割以下の市町村数", "municipal", "penalty_municipalities"),
    ("変更していない指標の数（市町村分）", "municipal", "unchanged_items"),
    ("うち得点率が上昇（市町村分）", "municipal", "unchanged_items_rate_up"),
    ("うち横ばい（市町村分）", "municipal", "unchanged_items_rate_flat"),
    ("ハードルを上げた指標の得点率（市町村分, %）", "municipal", "raised_hurdle_score_rate_pct"),
    ("地域ケア会議での個別ケース検討率（%）", "municipal", "care_conference_case_review_rate_pct"),
]


def findings_table(r: Report) -> pd.DataFrame:
    """Seed 000's FY2018 → FY2019 findings, as published (not recomputed: item-level history is not public).

    >>> t = findings_table(r)
    >>> list(t.columns), len(t)
    (['項目', '2018年度', '2019年度'], 12)
    >>> t.iloc[0].to_dict()
    {'項目': '変更していない指標の数', '2018年度': '—', '2019年度': '13'}
    """
    pub = r.figures.set_index(["fiscal_year", "level", "metric"])["value"]
    rows = []
    for label, level, metric in FINDINGS:
        before, after = pub.get((r.compare_year, level, metric)), pub.get((r.year, level, metric))
        if before is None and after is None:
            continue
        rows.append({"項目": label, f"{r.compare_year}年度": "—" if before is None else f"{before:g}",
                     f"{r.year}年度": "—" if after is None else f"{after:g}"})
    return pd.DataFrame(rows, columns=["項目", f"{r.compare_year}年度", f"{r.year}年度"])


def yoy_note(r: Report) -> str:
    """One sentence on how the maxima changed between the two years.

    >>> yoy_note(r)
    '2018年度から2019年度にかけての満点は、都道府県分 730点→741点、市町村分 612点→692点です。満点が違うため、得点率で比べます。'
    """
    def maxima(year):
        p = r.scores_of(year, TOTAL)["max_points"].iloc[0]
        m = r.municipal[(r.municipal.fiscal_year == year) & (r.municipal.category == TOTAL)]["max_points"]
        return int(p), (int(m.iloc[0]) if len(m) else None)
    (p0, m0), (p1, m1) = maxima(r.compare_year), maxima(r.year)
    parts = [f"都道府県分 {p0}点→{p1}点"] + ([f"市町村分 {m0}点→{m1}点"] if m0 and m1 else [])
    changed = p0 != p1 or m0 != m1
    return (f"{r.compare_year}年度から{r.year}年度にかけての満点は、{'、'.join(parts)}です。"
            + ("満点が違うため、得点率で比べます。" if changed else "") + municipal_comparison_note(r))


def municipal_comparison_note(r: Report) -> str:
    """Why municipalities are compared across the two years only through national and prefectural aggregates
    when one year's municipalities are real and the other's synthetic (they are not the same bodies); "" otherwise.

    >>> municipal_comparison_note(r)
    ''
    """
    synthetic = {y: bool(r.municipalities_of(y).synthetic.any()) for y in (r.compare_year, r.year)}
    if len(set(synthetic.values())) < 2:
        return ""
    kind = {y: "合成データ" if s else "実データ" for y, s in synthetic.items()}
    return (f"市町村は各年度の市町村で集計しています（{r.compare_year}年度は{kind[r.compare_year]}、{r.year}年度は"
            f"{kind[r.year]}）。両年度の市町村は同じ団体ではないため、市町村の年度比較は全国と都道府県の集計値（平均・分布）に限ります。")


def category_yoy(r: Report) -> pd.DataFrame:
    """区分別の得点率（全国） of both years, for the categories both catalogues share by code.

    >>> len(category_yoy(r))                # FY2018 was published by totals only: no category to compare
    0
    """
    before = r.scores_of(r.compare_year)
    if r.compare_categories is None or (before.category != TOTAL).sum() == 0:
        return pd.DataFrame()
    rates = {y: r.scores_of(y).groupby("category").apply(lambda g: g["score"].sum() / g["max_points"].sum(),
                                                             include_groups=False)
             for y in (r.compare_year, r.year)}
    shared = [c for c in r.categories.category if c in set(r.compare_categories.category)]
    return pd.DataFrame({"区分": shared, "名称": [r.category_label(c) for c in shared],
                         f"{r.compare_year}年度 得点率": [pct(rates[r.compare_year][c]) for c in shared],
                         f"{r.year}年度 得点率": [pct(rates[r.year][c]) for c in shared],
                         "差（ポイント）": [f"{100 * (rates[r.year][c] - rates[r.compare_year][c]):+.1f}" for c in shared]})


def crosswalk_note(r: Report) -> str:
    """What the item-level comparison rests on, or why there is none.

    >>> crosswalk_note(r)[:30]
    '2018年度の評価指標の一覧が公表されていないため、年度比較'
    """
    if r.crosswalk is None:
        why = ("の評価指標の一覧が公表されていない" if r.compare_items is None else "との評価指標の対応表（crosswalk）が設定されていない")
        return (f"{r.compare_year}年度{why}ため、年度比較は区分と合計点に限ります。"
                "個別指標の比較には、設定ファイルの years.<年度>.crosswalk に対応表を指定してください（docs/new-fiscal-year.md）。")
    counts = r.crosswalk["change"].map(CHANGE_LABELS).value_counts()
    return "評価指標の対応表による比較です（" + "、".join(f"{k} {v}" for k, v in counts.items()) + "）。"


def crosswalk_table(r: Report) -> pd.DataFrame:
    """Per item pair of the crosswalk: change, points and national mean in both years.

    >>> len(crosswalk_table(r))             # no FY2018 catalogue, so no crosswalk (docs/new-fiscal-year.md)
    0
    """
    if r.crosswalk is None:
        return pd.DataFrame()
    before = r.compare_item_scores.groupby("item")["points"].mean()
    after = r.item_scores.groupby("item")["points"].mean()
    max_before = r.compare_items.set_index("item")["max_points"]
    max_after = r.items.set_index("item")["max_points"]

    def fmt(value):
        return "—" if pd.isna(value) else f"{value:.1f}"
    cw = r.crosswalk
    return pd.DataFrame({
        f"{r.compare_year}年度の項目": cw.item_from.fillna("—"), f"{r.year}年度の項目": cw.item_to.fillna("—"),
        "変更": cw.change.map(CHANGE_LABELS),
        f"{r.compare_year}年度 配点（点）": cw.item_from.map(max_before).map(lambda x: "—" if pd.isna(x) else f"{x:.0f}"),
        f"{r.year}年度 配点（点）": cw.item_to.map(max_after).map(lambda x: "—" if pd.isna(x) else f"{x:.0f}"),
        f"{r.compare_year}年度 全国平均（点）": cw.item_from.map(before).map(fmt),
        f"{r.year}年度 全国平均（点）": cw.item_to.map(after).map(fmt)}).reset_index(drop=True)


def outcome_note(r: Report) -> str:
    """The outcome indicators' points in both years, which prefectures are compared, and what the
    ministry published on rank moves.

    >>> outcome_note(r)[:30]
    'アウトカム指標（III-③・III-④・III-⑤・III-'
    """
    pub = r.figures.set_index(["fiscal_year", "level", "metric"])["value"]
    points = _outcome_points(r)
    top = r.findings["outcome_top"]
    compared = (f"{r.compare_year}年度から{r.year}年度への合計点の順位の変化" if r.findings["rank_comparison"] == "years"
                else f"{r.year}年度の合計点の順位を、アウトカム指標の配点を変える前と後で比べたもの")
    text = ("アウトカム指標（" + "・".join(outcome_items(r.items, r.scoring.outcome_category)) + f"）の得点の上位{top}都道府県"
            f"（同点は{r.year}年度の合計点の高い順）について、{compared}です。")
    if None not in points:
        text += f"アウトカム指標の配点は{points[0]:g}点から{points[1]:g}点に変わりました。"
    published = pub.get((r.year, "prefecture", "outcome_top10_rank_up"))
    if published is not None:
        text += f"厚生労働省資料では、アウトカム指標の上位10のうち{published:g}都道府県で合計点の順位が上がったとされています。"
    return text


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
    ax.set_xlim(n + 1, 0)
    ax.set_ylim(n + 1, 0)
    far = ch[ch["rank_change"].abs() >= 20]
    point_labels(ax, list(zip(far.rank_before, far.rank_after, far.pref_name)))
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
    fig = finish_rate_bars(fig, ax, 105, "得点率の変化（厚生労働省資料の公表値）")
    return describe(fig, "、".join(f"{lab} {b:.1f}%→{a:.1f}%" for lab, b, a in zip(rates["label"], rates["before"], rates["after"]))
                         + f"（{r.compare_year}年度→{r.year}年度）。")


def rank_changes(r: Report) -> pd.DataFrame:
    """Per prefecture: total, score rate and rank in both years (numeric, for charts and tables).

    >>> t = rank_changes(r)
    >>> list(t.columns)
    ['pref_name', 'score_before', 'rate_before', 'rank_before', 'score_after', 'rate_after', 'rank_after', 'rank_change', 'outcome_points']
    >>> t.loc["13", ["score_before", "rank_before", "score_after", "rank_after", "rank_change"]].tolist()
    [730, 1, 616, 14, -13]
    """
    t = r.scores[r.scores.category == TOTAL]
    before = t[t.fiscal_year == r.compare_year].set_index("pref_code")
    after = t[t.fiscal_year == r.year].set_index("pref_code")
    out = pd.DataFrame({"pref_name": after["pref_name"], "score_before": before["score"], "rate_before": before["score_rate"],
                        "rank_before": before["rank"], "score_after": after["score"], "rate_after": after["score_rate"],
                        "rank_after": after["rank"]})
    out["rank_change"] = out["rank_before"] - out["rank_after"]          # positive = moved up
    outcome = r.item_scores[r.item_scores.item.isin(outcome_items(r.items, r.scoring.outcome_category))]
    outcome = outcome.groupby("pref_code")["points"].sum()
    out["outcome_points"] = outcome.reindex(out.index).fillna(0).astype(int)
    return out


def published_rate_figures(r: Report) -> pd.DataFrame:
    """Score rates (%) the seed publishes for both years: overall and raised-hurdle items, by level.

    >>> published_rate_figures(r)["label"].tolist()[:2]
    ['都道府県分 全体', '市町村分 全体']
    """
    pub = r.figures.set_index(["fiscal_year", "level", "metric"])["value"]
    muni = r.municipal_categories.set_index(["fiscal_year", "category"])["score_rate_pct"]
    needed = [(y, lv, "raised_hurdle_score_rate_pct") for y in (r.compare_year, r.year) for lv in ("prefecture", "municipal")]
    if not all(k in pub.index for k in needed + [(r.compare_year, "prefecture", "score_rate_pct")]):
        return pd.DataFrame(columns=["label", "before", "after"])
    rows = [("都道府県分 全体", pub[(r.compare_year, "prefecture", "score_rate_pct")],
             r.categories.set_index("category").at[TOTAL, "score_rate_pct"]),
            ("市町村分 全体", muni[(r.compare_year, TOTAL)], muni[(r.year, TOTAL)])]
    for level, label in (("prefecture", "都道府県分"), ("municipal", "市町村分")):
        rows.append((f"{label} ハードルを上げた指標", pub[(r.compare_year, level, "raised_hurdle_score_rate_pct")],
                     pub[(r.year, level, "raised_hurdle_score_rate_pct")]))
    return pd.DataFrame(rows, columns=["label", "before", "after"])
