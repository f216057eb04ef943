"""市町村版: the municipalities' results of the report year by prefecture — distribution, the penalty, the 市町村分 of
each grant (notebooks/municipal.py)."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kofukin.model.catalogue import municipal_category_labels
from kofukin.model import paths
from kofukin.model.config import page_years
from kofukin.model.schemas import MUNI_CATEGORIES, TOTAL
from kofukin.model.scoring import threshold_score
from kofukin.pages.page import Edition, Page, grants_label
from kofukin.report import style
from kofukin.report.alttext import describe, extremes
from kofukin.report.charts import average_line, stack_bars
from kofukin.report.data import Report, load_grants
from kofukin.report.penalty import NO_RULE, NO_RULE_NOTE, penalty_level, penalty_of
from kofukin.report.units import oku_yen, pct, points, rate_label, yen

NOTEBOOK = "municipal.py"


def declare(e: Edition) -> list[Page]:
    """One page, after the first grant's 全国版 and 評価指標 (or first, in a municipal-only year).

    >>> [(p.name, p.title) for p in declare(Edition(2019, 2018, 2025))]
    [('municipal', '市町村版：2019年度 都道府県別市町村得点')]
    """
    grants = e.grants_of(e.year)
    return [Page("municipal", NOTEBOOK, f"市町村版：{e.year}年度 都道府県別市町村得点{grants_label(grants)}",
                 {"fiscal_year": e.year, "compare_year": e.compare_year},
                 ("municipal_scores", "prefecture_scores", "inputs/municipalities")
                 + (("municipal_allocation",) if len(grants) > 1 else ()),       # penalty table; 市町村分 of both
                 (e.year,), shows_names=True, order=(0, 25))]


def load(fiscal_year: int | None = None, compare_year: int | None = None,
         project_dir: Path | str | None = None) -> list[Report]:
    """The page's Reports, one per grant of the report year (``load_grants``): of the parameters' years, else the
    configuration's (``page_years``), in the project folder ``project_dir`` (None: this one).

    >>> [x.grant for x in load(project_dir=processed.parents[1])]
    ['promotion']
    """
    fiscal_year, compare_year = page_years(fiscal_year, compare_year, project_dir)
    return load_grants(**paths.project(project_dir), year=fiscal_year, compare_year=compare_year)


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


def _penalty_item(r: Report) -> str:
    """The report year's penalty item and its points, e.g. 「III-② −10点」."""
    return " ".join([penalty_of(r) or "", points(r.scoring.penalty_points)]).strip()


def distribution_note(rs: list[Report]) -> str:
    """How to read the municipal box plots and the penalty line of each grant of ``rs`` (a Report each) with the
    penalty; nothing of a penalty for a grant without one.

    >>> distribution_note([r]).split("。")[1]
    '点線より左の市町村（得点率3割以下）があると、その都道府県は都道府県分の評価で10点減点されます'
    >>> distribution_note(rs2).split("。")[1:]
    ['推進の図の点線より左の市町村（得点率35%以下）があると、その都道府県は都道府県分（推進）の評価で5点減点されます', '']
    """
    text = "箱は中央の半数、線は最小から最大（外れ値は点）を示します。"
    for r in rs:
        item = penalty_of(r)
        if item == NO_RULE:
            text += NO_RULE_NOTE
        elif item and r.grant_label:
            text += (f"{r.grant_label}の図の点線より左の市町村（{penalty_level(r)}）があると、その都道府県は"
                     f"都道府県分（{r.grant_label}）の評価で{-r.scoring.penalty_points}点減点されます。")
        elif item:
            text += (f"点線より左の市町村（{penalty_level(r)}）があると、その都道府県は都道府県分の評価で"
                     f"{-r.scoring.penalty_points}点減点されます。")
    return text


def penalty_table_note(r: Report) -> str:
    """What the table of penalty-level municipalities lists (of the Report's grant, where the year scores two).

    >>> penalty_table_note(r), penalty_table_note(rs2[0])
    ('得点率が3割以下の市町村と、その所在都道府県です（都道府県分 III-② −10点）。', '得点率が35%以下の市町村と、その所在都道府県です（都道府県分（推進） III-② −5点）。')
    """
    grant = f"（{r.grant_label}）" if r.grant_label else ""
    return f"得点率が{rate_label(r.scoring.penalty_threshold)}以下の市町村と、その所在都道府県です（都道府県分{grant} {_penalty_item(r)}）。"


def municipal_grants_note(rs: list[Report]) -> str:
    """What the table of both grants per prefecture shows, with each grant's 市町村分 budget.

    >>> municipal_grants_note(rs2).split("。")[1]
    '市町村分は交付金ごとの予算（推進 約200億円・支援 約150億円）を、評価得点 × 第1号被保険者数で市町村に配分した額です'
    """
    nation = municipal_grants(rs, rs[0].year).loc[TOTAL]
    budgets = "・".join(f"{r.grant_label} {oku_yen(int(nation[f'amount_{r.grant}']))}" for r in rs)
    return ("管内市町村の合計点の平均（点）・得点率の平均・市町村分交付額を交付金ごとに示し、交付額の計と第1号被保険者1人当たりの額（円）を添えます。"
            f"市町村分は交付金ごとの予算（{budgets}）を、評価得点 × 第1号被保険者数で市町村に配分した額です。")


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
    labels = municipal_category_labels(r.municipal_categories)
    ends = stack_bars(ax, avg[MUNI_CATEGORIES], labels, avg.index.map(names))
    for yi, end in enumerate(ends):
        ax.text(end + 3, yi, f"{end:.1f}", va="center", fontsize=7.5)
    average_line(ax, m[m.category == TOTAL]["score"].mean(), "全国平均")
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


def municipal_summary(r: Report, year: int) -> dict:
    """The municipalities of one year: how many, their maximum and average total, and how many scored at most
    the penalty rate (約3割) in how many prefectures.

    >>> s = municipal_summary(r, 2019)
    >>> s["municipalities"], s["max_points"], s["penalty_municipalities"], s["penalty_prefectures"]
    (1741, 692, 22, 4)
    """
    m = r.municipal[(r.municipal.fiscal_year == year) & (r.municipal.category == TOTAL)]
    return {"municipalities": len(m), "max_points": int(m["max_points"].iloc[0]), "average": float(m["score"].mean()),
            "penalty_municipalities": int(m["penalty_level"].sum()),
            "penalty_prefectures": int(m.loc[m.penalty_level, "pref_code"].nunique())}


def municipal_grants(rs: list[Report], year: int) -> pd.DataFrame:
    """Per prefecture (indexed by pref_code) and grant of ``rs`` (a Report each): how many municipalities, their
    average total and score rate, their 市町村分 (千円); and of all grants the 市町村分 and its yen per first-insured
    person; the last row, ``TOTAL``, the nation's.

    >>> t = municipal_grants(rs2, 2099)
    >>> t.loc["31", ["municipalities", "amount_promotion", "amount_support", "amount"]].tolist()
    [19, 89256, 65174, 154430]
    >>> t.loc[TOTAL, ["amount_promotion", "amount_support"]].tolist()
    [20000000, 15000000]
    """
    def of(df: pd.DataFrame, column: str, how: str) -> pd.Series:       # each prefecture's, then the nation's
        return pd.concat([df.groupby("pref_code")[column].agg(how), pd.Series({TOTAL: df[column].agg(how)})])

    out = {}
    for r in rs:
        m = r.municipal[(r.municipal.fiscal_year == year) & (r.municipal.category == TOTAL)]
        a = r.municipal_allocation[r.municipal_allocation.fiscal_year == year]
        out |= {f"score_{r.grant}": of(m, "score", "mean"), f"rate_{r.grant}": of(m, "score_rate", "mean"),
                f"amount_{r.grant}": of(a, "amount_thousand_yen", "sum")}
    out = pd.DataFrame(out).assign(municipalities=of(a, "muni_code", "size"), first_insured=of(a, "first_insured", "sum"))
    out["amount"] = out[[f"amount_{r.grant}" for r in rs]].sum(axis=1)
    out["yen_per_first_insured"] = 1000 * out["amount"] / out["first_insured"]
    return out
