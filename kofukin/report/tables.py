"""Display tables of the report pages: Japanese headers, units in the headers, figures as text."""

import pandas as pd

from kofukin.model.catalogue import CHANGE_LABELS, outcome_items
from kofukin.model.findings import SPREADS, outcome_leaders, score_rate_spread
from kofukin.model.schemas import TOTAL
from kofukin.model.vintage import caption
from kofukin.report.data import Report
from kofukin.report.figures import NO_RULE, map_figures, municipal_grants, municipal_summary, national_summary, penalty_of
from kofukin.report.units import pct, rate_label, yen


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


def municipal_key_figures(rs: list[Report], year: int) -> list[tuple[str, str]]:
    """The municipal page's key figures, of each grant of ``rs`` (a Report each; where two, labelled with the
    grant and with the 市町村分 of both): how many municipalities, maximum, average, how many at or below the
    penalty rate (only for a grant with the penalty; 「規定なし」 where the year has no penalty rule).

    >>> municipal_key_figures([r], 2019)[3]
    ('得点率3割以下の市町村', '22（4都道府県）')
    >>> municipal_key_figures(rs2, 2099)[1:6]
    [('満点（推進）', '700点'), ('全国平均（推進・本データ）', '435.0点'), ('満点（支援）', '400点'), ('全国平均（支援・本データ）', '247.2点'), ('得点率35%以下の市町村（推進）', '12（11都道府県）')]
    >>> municipal_key_figures(rs2, 2099)[-1]
    ('市町村分交付額（推進・支援の計）', '35,000,000千円')
    """
    if len(rs) == 1:
        s = municipal_summary(rs[0], year)
        return [("市町村数", f"{s['municipalities']:,}"), ("満点", f"{s['max_points']}点"),
                ("全国平均（本データ）", f"{s['average']:.1f}点"),
                (f"得点率{rate_label(rs[0].scoring.penalty_threshold)}以下の市町村",
                 f"{s['penalty_municipalities']}（{s['penalty_prefectures']}都道府県）")]
    summary = {r.grant: municipal_summary(r, year) for r in rs}
    out = [("市町村数", f"{summary[rs[0].grant]['municipalities']:,}")]
    for r in rs:
        s = summary[r.grant]
        out += [(f"満点（{r.grant_label}）", f"{s['max_points']}点"), (f"全国平均（{r.grant_label}・本データ）", f"{s['average']:.1f}点")]
    for r in rs:
        item, s = penalty_of(r), summary[r.grant]
        if item is not None:
            out.append((f"得点率{rate_label(r.scoring.penalty_threshold)}以下の市町村（{r.grant_label}）",
                        "規定なし" if item == NO_RULE else f"{s['penalty_municipalities']}（{s['penalty_prefectures']}都道府県）"))
    amount = municipal_grants(rs, year).at[TOTAL, "amount"]
    return out + [(f"市町村分交付額（{'・'.join(r.grant_label for r in rs)}の計）", f"{yen(amount)}千円")]


def municipal_grants_table(rs: list[Report], year: int) -> list[pd.DataFrame]:
    """Where ``rs`` holds two grants (a Report each), one table of them side by side, per prefecture and the nation:
    the municipalities' average total and score rate and their 市町村分 per grant, the 市町村分 of both and per
    first-insured person (a list of one); none for one grant.

    >>> municipal_grants_table([r], 2019)
    []
    >>> t = municipal_grants_table(rs2, 2099)[0]
    >>> list(t.columns)[2:5], t.iloc[-1]["都道府県"], t.iloc[-1]["交付額計（千円）"]
    (['推進 平均（点）', '推進 得点率', '推進 交付額（千円）'], '全国', '35,000,000')
    """
    if len(rs) < 2:
        return []
    t = municipal_grants(rs, year)
    names = rs[0].scores_of(rs[0].year, TOTAL).set_index("pref_code")["pref_name"]
    out = pd.DataFrame({"都道府県": [names.get(c, "全国") for c in t.index], "市町村数": t["municipalities"].map(yen).to_numpy()})
    for r in rs:
        out[f"{r.grant_label} 平均（点）"] = t[f"score_{r.grant}"].map(lambda x: f"{x:.1f}").to_numpy()
        out[f"{r.grant_label} 得点率"] = t[f"rate_{r.grant}"].map(pct).to_numpy()
        out[f"{r.grant_label} 交付額（千円）"] = t[f"amount_{r.grant}"].map(yen).to_numpy()
    out["交付額計（千円）"] = t["amount"].map(yen).to_numpy()
    out["1人当たり（円）"] = t["yen_per_first_insured"].map(lambda x: f"{x:,.1f}").to_numpy()
    return [out]


def penalised(rs: list[Report]) -> list[Report]:
    """The Reports of ``rs`` whose grant has the penalty (its catalogue's item of rule ``penalty``): only their
    pages list the municipalities behind it.

    >>> [x.grant for x in penalised([r])], [x.grant for x in penalised(rs2)]
    (['promotion'], ['promotion'])
    """
    return [r for r in rs if penalty_of(r)]


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


def allocation_table(r: Report) -> pd.DataFrame:
    """都道府県別交付額: score share, request (cap), paid.

    >>> t = allocation_table(r)
    >>> list(t.columns), len(t)
    (['都道府県', '合計（点）', '得点による配分額（千円）', '所要見込額（千円）', '交付額（千円）', '所要見込額で上限'], 47)
    >>> t.set_index("都道府県").loc["東京都"].to_dict()
    {'合計（点）': 616, '得点による配分額（千円）': '22,511', '所要見込額（千円）': '34,733', '交付額（千円）': '22,511', '所要見込額で上限': ''}
    """
    a = r.allocation.merge(r.scores_of(r.year, TOTAL)[["pref_code", "pref_name"]], on="pref_code")
    a = a.sort_values("amount_thousand_yen", ascending=False)
    return pd.DataFrame({
        "都道府県": a["pref_name"], "合計（点）": a["score"], "得点による配分額（千円）": a["share_thousand_yen"].map(yen),
        "所要見込額（千円）": a["cap_thousand_yen"].map(lambda x: "—" if pd.isna(x) else yen(x)),
        "交付額（千円）": a["amount_thousand_yen"].map(yen), "所要見込額で上限": a["capped"].map({True: "○", False: ""}),
    }).reset_index(drop=True)


def allocation_totals(r: Report) -> dict:
    """Budget, paid and unspent (千円) of the prefectural grant.

    >>> allocation_totals(r)
    {'budget': 1000000, 'paid': 984709, 'unspent': 15291, 'capped': 8}
    """
    budget = int(r.allocation["share_thousand_yen"].sum())
    paid = int(r.allocation["amount_thousand_yen"].sum())
    return {"budget": budget, "paid": paid, "unspent": budget - paid, "capped": int(r.allocation["capped"].sum())}


def frame_table(r: Report) -> pd.DataFrame:
    """The budget frame (千円), grant × level by pot in the frame's order, with totals — the seed's table.

    >>> t = frame_table(r)
    >>> list(t.columns), len(t)
    (['交付金', '区分', '基本配分枠（千円）', '追加配分枠（千円）', '成果指向型配分枠（千円）', '合計（千円）'], 5)
    >>> t.iloc[-1].to_dict()
    {'交付金': '合計', '区分': '', '基本配分枠（千円）': '26,600,000', '追加配分枠（千円）': '2,900,000', '成果指向型配分枠（千円）': '551,735', '合計（千円）': '30,051,735'}
    """
    f = r.frame.copy()
    wide = f.pivot_table(index=["grant_label", "level_label"], columns="pot_label", values="amount_thousand_yen",
                         aggfunc="sum", sort=False)
    wide = wide.reindex(columns=f["pot_label"].unique())
    wide["合計"] = wide.sum(axis=1)
    wide.loc[("合計", ""), :] = wide.sum(axis=0)
    out = wide.map(lambda x: "—" if pd.isna(x) or x == 0 else yen(x))
    out.columns = [f"{c}（千円）" for c in out.columns]
    return out.reset_index().rename(columns={"grant_label": "交付金", "level_label": "区分"})


def penalty_table(r: Report, year: int) -> pd.DataFrame:
    """得点率が penalty_threshold 以下の市町村 (the municipalities behind each penalty).

    >>> t = penalty_table(r, 2019)
    >>> list(t.columns), len(t)
    (['都道府県', '市町村コード', '市町村名', '合計（点）', '満点（点）', '得点率'], 22)
    >>> t.iloc[0].to_dict()
    {'都道府県': '北海道', '市町村コード': 'S01020', '市町村名': '合成市町村01-020', '合計（点）': 113, '満点（点）': 692, '得点率': '16.3%'}
    """
    m = r.municipal[(r.municipal.fiscal_year == year) & (r.municipal.category == TOTAL) & r.municipal.penalty_level]
    m = m.merge(r.municipalities_of(year)[["muni_code", "muni_name"]], on="muni_code", how="left")
    names = r.scores_of(r.year, TOTAL).set_index("pref_code")["pref_name"]
    m = m.sort_values(["pref_code", "score", "muni_code"])
    return pd.DataFrame({"都道府県": m["pref_code"].map(names), "市町村コード": m["muni_code"], "市町村名": m["muni_name"],
                         "合計（点）": m["score"], "満点（点）": m["max_points"],
                         "得点率": m["score_rate"].map(pct)}).reset_index(drop=True)


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


def scenario_caption(c: pd.DataFrame) -> str:
    """The 合成データ note beside a scenario's charts and tables: its figures are of one year, real or not.

    >>> scenario_caption(pd.DataFrame({"fiscal_year": [2019], "synthetic": [False]}))
    ''
    """
    years = sorted(int(y) for y in c["fiscal_year"].unique())
    return caption(years if c["synthetic"].any() else [], years)


def scenario_summary(c: pd.DataFrame) -> list[tuple[str, str]]:
    """Key figures of a scenario comparison: totals paid, winners, losers, largest moves.

    >>> c = pd.DataFrame({"baseline_thousand_yen": [10, 20], "scenario_thousand_yen": [15, 15], "difference_thousand_yen": [5, -5]})
    >>> scenario_summary(c)[:3]
    [('交付総額：基準', '30千円'), ('交付総額：シナリオ', '30千円'), ('増える都道府県', '1')]
    """
    gain, loss = c[c.difference_thousand_yen > 0], c[c.difference_thousand_yen < 0]
    return [("交付総額：基準", f"{yen(c.baseline_thousand_yen.sum())}千円"),
            ("交付総額：シナリオ", f"{yen(c.scenario_thousand_yen.sum())}千円"),
            ("増える都道府県", f"{len(gain)}"), ("減る都道府県", f"{len(loss)}"),
            ("最大の増加", f"{yen(gain.difference_thousand_yen.max()) if len(gain) else 0}千円"),
            ("最大の減少", f"{yen(loss.difference_thousand_yen.min()) if len(loss) else 0}千円")]


def scenario_table(c: pd.DataFrame, rows: int | None = None, losers: bool = False) -> pd.DataFrame:
    """都道府県別の交付額: baseline, scenario, difference (千円, %), biggest winners first (or losers).

    >>> c = pd.DataFrame({"pref_code": ["01", "02"], "pref_name": ["北海道", "青森県"], "baseline_thousand_yen": [10, 20], "scenario_thousand_yen": [15, 15], "difference_thousand_yen": [5, -5], "difference_pct": [50.0, -25.0]})
    >>> scenario_table(c).iloc[0].tolist()
    ['北海道', '10', '15', '+5', '+50.0%']
    """
    c = c.sort_values(["difference_thousand_yen", "pref_code"], ascending=[losers, True])
    if rows is not None:
        c = c[(c.difference_thousand_yen < 0) if losers else (c.difference_thousand_yen > 0)].head(rows)
    return pd.DataFrame({"都道府県": c.pref_name, "基準（千円）": c.baseline_thousand_yen.map(yen),
                         "シナリオ（千円）": c.scenario_thousand_yen.map(yen),
                         "差（千円）": c.difference_thousand_yen.map(lambda x: f"{x:+,}"),
                         "差（%）": c.difference_pct.map(lambda x: "—" if pd.isna(x) else f"{x:+.1f}%")}).reset_index(drop=True)


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
