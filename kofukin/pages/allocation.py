"""交付額: a grant's 都道府県分 of the report year — share by score, the requests' cap, the amounts — and the budget
frame of ``allocation.frame.year`` split among the prefectures (notebooks/allocation.py)."""


import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kofukin.model.schemas import TOTAL
from kofukin.pages.page import Edition, Page
from kofukin.report import style
from kofukin.report.alttext import describe
from kofukin.report.charts import allocation_bars as allocation_bars      # the kit's chart, shown here too
from kofukin.report.data import Report, page_report
from kofukin.report.units import fiscal_year_label, yen

NOTEBOOK = "allocation.py"


def declare(e: Edition) -> list[Page]:
    """One page per grant of the report year with prefectural results; the title states the frame's year.

    >>> [(p.name, p.title) for p in declare(Edition(2019, 2018, 2025))]
    [('allocation', '交付額：2019年度 都道府県分と令和7年度の配分枠')]
    """
    return e.grant_pages(NOTEBOOK, f"交付額：{e.year}年度 都道府県分と{fiscal_year_label(e.frame_year)}の配分枠",
                         ("prefecture_allocation", "prefecture_scores", "budget_frame", "inputs/prefecture_requests"), 40)


# the page's Report (its notebook's years, else the configuration's): one grant's 都道府県分 of the report year and the budget frame
load = page_report


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


def allocation_method(r: Report) -> str:
    """How the share and the amount paid are computed, and what happens to money freed by requests.

    >>> allocation_method(r).split("。")[-2]
    '所要見込額を上回る分は他の都道府県に再配分しません（設定で変更可）'
    """
    freed = "再配分します" if r.redistribute else "再配分しません"
    return ("交付額 = min（得点による配分額, 所要見込額）。得点による配分額は、予算を各都道府県の合計点に比例して1千円単位で"
            f"配分したもの（端数は最大剰余法）です。所要見込額を上回る分は他の都道府県に{freed}（設定で変更可）。")


def frame_heading(r: Report) -> str:
    """The heading of the budget frame's section.

    >>> frame_heading(r)
    '令和7年度の配分枠'
    """
    return f"{fiscal_year_label(r.frame_year)}の配分枠"


def frame_note(r: Report) -> str:
    """The pots of each grant with their shares as the frame prints them, and whether the amounts match
    the published budgets (source_consistency.csv, ``pots_vs_budget``).

    >>> frame_note(r).split("。")
    ['保険者機能強化推進交付金：基本配分枠（75%相当）・追加配分枠（20%相当）・成果指向型配分枠（5%相当）', '介護保険保険者努力支援交付金：基本配分枠（95%）・追加配分枠（5%）', '金額は厚生労働省資料（令和7年度の予算）と千円単位で一致します', '']
    """
    pots = r.frame.drop_duplicates(["grant", "pot"])
    text = "".join(f"{grant}：" + "・".join(f"{p.pot_label}（{p.share_label}）" for p in g.itertuples()) + "。"
                   for grant, g in pots.groupby("grant_label", sort=False))
    checks = r.consistency[(r.consistency.check == "pots_vs_budget") & r.consistency.scope.str.startswith(f"{r.frame_year} ")]
    if len(checks) and checks.consistent.all():
        text += f"金額は厚生労働省資料（{fiscal_year_label(r.frame_year)}の予算）と千円単位で一致します。"
    return text


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
