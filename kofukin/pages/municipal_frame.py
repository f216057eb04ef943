"""市町村分の配分枠: the budget frame's 市町村分 split among the municipalities by the latest two-grant year's scores
(notebooks/municipal_frame.py)."""

from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from kofukin.model import paths
from kofukin.model.config import load_config
from kofukin.model.municipal_frame import comparable_years
from kofukin.model.paths import PREFECTURES
from kofukin.model.schemas import GRANT_NAMES, TOTAL, read_table
from kofukin.model.vintage import caption
from kofukin.pages.page import Edition, Page
from kofukin.report import style
from kofukin.report.alttext import describe, where
from kofukin.report.units import fiscal_year_label, yen

NOTEBOOK = "municipal_frame.py"


def declare(e: Edition) -> list[Page]:
    """One page where the configuration has a two-grant year (``split_year``), last of the national pages; the title
    states the frame's year.

    >>> [p.title for p in declare(Edition(2019, 2018, 2025, 2023))]
    ['令和7年度 市町村分の配分枠：2023年度の得点による試算（推進・支援）']
    """
    if e.split_year is None:
        return []
    names = "・".join(GRANT_NAMES[g][0] for g in e.grants_of(e.split_year))
    return [Page("municipal_frame", NOTEBOOK,
                 f"{fiscal_year_label(e.frame_year)} 市町村分の配分枠：{e.split_year}年度の得点による試算（{names}）", {},
                 ("municipal_frame", "municipal_frame_pots", "inputs/municipalities", "budget_frame", "municipal_scores"),
                 (e.split_year,), order=(99, 20))]   # every figure is of the split year's tables; an earlier year enters
                                                     # them only where it is as real or as synthetic as the split year


@dataclass
class FrameSplit:
    """The split (``municipal_frame``), its pots, the frame's labels, the municipalities and the rules."""

    year: int | None
    amounts: pd.DataFrame
    pots: pd.DataFrame
    frame: pd.DataFrame
    municipalities: pd.DataFrame
    scores: pd.DataFrame            # municipal_scores: which years are comparable (A20)
    prefectures: pd.DataFrame
    rules: dict                     # allocation.municipal_frame
    frame_year: int                 # the frame's fiscal year (allocation.frame.year)

    @property
    def caption(self) -> str:
        """The 合成データ note beside its charts and tables ("" for real scores).

        >>> fs.caption
        '※ 合成データです（厚生労働省の評価結果ではありません）。'
        """
        return caption([self.year] if self.pots["synthetic"].any() else [], [self.year])

    def label(self, grant: str, pot: str | None = None) -> str:
        """The frame's Japanese label of a grant (or of one of its pots).

        >>> fs.label("support"), fs.label("promotion", "outcome_oriented")
        ('介護保険保険者努力支援交付金', '成果指向型配分枠')
        """
        rows = self.frame[self.frame.grant == grant]
        return rows["grant_label"].iloc[0] if pot is None else rows.loc[rows.pot == pot, "pot_label"].iloc[0]


def load(project_dir: Path | str | None = None) -> FrameSplit:
    """The page's data: the built split of a project folder (``paths.project(project_dir)``).

    >>> load(processed.parents[1]).year
    2023
    """
    return read(**paths.project(project_dir))


def read(processed: Path = paths.PROCESSED, raw: Path = paths.RAW, config: Path = paths.CONFIG) -> FrameSplit:
    """The built split, checked against its schemas.

    >>> fs.year, len(fs.pots)
    (2023, 5)
    """
    cfg = load_config(config)
    pots = read_table("municipal_frame_pots", processed / "municipal_frame_pots.csv")
    munis = read_table("municipalities", processed / "inputs" / "municipalities.csv")
    year = int(pots["fiscal_year"].iloc[0]) if len(pots) else None
    return FrameSplit(year, read_table("municipal_frame", processed / "municipal_frame.csv"), pots,
                      read_table("budget_frame", processed / "budget_frame.csv"),
                      munis[munis.fiscal_year == year], read_table("municipal_scores", processed / "municipal_scores.csv"),
                      read_table("prefectures", raw / PREFECTURES), cfg["allocation"]["municipal_frame"],
                      int(cfg["allocation"]["frame"]["year"]))


def key_figures(fs: FrameSplit) -> list[tuple[str, str]]:
    """The page's key figures: budget, allocated and unallocated 千円 of both grants, municipalities.

    >>> key_figures(fs)[2]
    ('未配分', '524,149千円')
    """
    return [(f"市町村分の予算（{fs.pots['grant'].nunique()}交付金）", f"{yen(fs.pots['amount_thousand_yen'].sum())}千円"),
            ("配分額の合計", f"{yen(fs.pots['allocated_thousand_yen'].sum())}千円"),
            ("未配分", f"{yen(fs.pots['unallocated_thousand_yen'].sum())}千円"),
            ("市町村数", f"{fs.municipalities['muni_code'].nunique():,}")]


def pots_table(fs: FrameSplit) -> pd.DataFrame:
    """Each grant's 市町村分 pots: budget, municipalities eligible, allocated and unallocated (千円).

    >>> pots_table(fs).iloc[2].to_dict()
    {'交付金': '保険者機能強化推進交付金', '配分枠': '成果指向型配分枠', '予算（千円）': '524,149', '対象の市町村': '0', '配分額（千円）': '0', '未配分（千円）': '524,149'}
    """
    return pd.DataFrame([{"交付金": fs.label(p.grant), "配分枠": fs.label(p.grant, p.pot), "予算（千円）": yen(p.amount_thousand_yen),
                          "対象の市町村": yen(p.eligible), "配分額（千円）": yen(p.allocated_thousand_yen),
                          "未配分（千円）": yen(p.unallocated_thousand_yen)} for p in fs.pots.itertuples()])


def prefecture_table(fs: FrameSplit) -> pd.DataFrame:
    """Per prefecture: its municipalities' amounts of each grant and in all (千円), and per first-insured person (円).

    >>> t = prefecture_table(fs)
    >>> len(t), list(t.columns)[:3], t.iloc[-1]["都道府県"]
    (48, ['都道府県', '保険者機能強化推進交付金（千円）', '介護保険保険者努力支援交付金（千円）'], '全国')
    """
    by = fs.amounts.pivot_table(index="pref_code", columns="grant", values="amount_thousand_yen", aggfunc="sum", fill_value=0)
    by = by.reindex(fs.prefectures["pref_code"], fill_value=0)
    by.loc["全国"] = by.sum()
    first = fs.municipalities.groupby("pref_code")["first_insured"].sum().reindex(fs.prefectures["pref_code"])
    first.loc["全国"] = first.sum()
    total = by.sum(axis=1)
    names = fs.prefectures.set_index("pref_code")["pref_name"].to_dict() | {"全国": "全国"}
    out = pd.DataFrame({"都道府県": [names[c] for c in by.index]})
    for grant in by.columns:
        out[f"{fs.label(grant)}（千円）"] = [yen(v) for v in by[grant]]
    out["合計（千円）"] = [yen(v) for v in total]
    out["第1号被保険者1人あたり（円）"] = [yen(1000 * t / f) for t, f in zip(total, first)]
    return out


def per_person_chart(fs: FrameSplit):
    """Distribution of each grant's amount per first-insured person (円) over the municipalities.

    >>> per_person_chart(fs).axes[0].get_title()
    '保険者機能強化推進交付金'
    """
    style.apply()
    first = fs.municipalities.set_index("muni_code")["first_insured"]
    grants = list(dict.fromkeys(fs.pots["grant"]))
    fig, axes = plt.subplots(1, len(grants), figsize=(11, 3.4), sharey=True, squeeze=False)
    axes = list(axes[0])
    texts = []
    for ax, colour, grant in zip(axes, style.PALETTE, grants):
        paid = fs.amounts[fs.amounts.grant == grant].groupby("muni_code")["amount_thousand_yen"].sum()
        per_person = 1000 * paid / first.reindex(paid.index)
        top = per_person.quantile(0.995)                 # a few listed insurers would squeeze the rest…
        top = top if per_person.max() > 3 * top else per_person.max()       # …only they are left out
        ax.hist(per_person[per_person <= top], bins=30, color=colour)
        beyond = int((per_person > top).sum())
        texts.append(f"{fs.label(grant)}は{len(per_person):,}市町村、中央値{per_person.median():,.1f}円、"
                     f"{per_person.min():,.1f}〜{per_person.max():,.1f}円" + (f"（図の右端より大きい{beyond}市町村は省略）" if beyond else ""))
        ax.text(0.98, 0.96, f"右端より大きい {beyond}市町村は省略" if beyond else "", transform=ax.transAxes, ha="right",
                va="top", fontsize=8)
        ax.set_title(fs.label(grant))
        ax.set_xlabel("第1号被保険者1人あたり配分額（円）")
    axes[0].set_ylabel("市町村数")
    fig.suptitle(f"{fiscal_year_label(fs.frame_year)} 市町村分の配分額の分布（{fs.year}年度の得点による試算）")
    return describe(fig, "第1号被保険者1人あたり配分額：" + "。".join(texts) + "。" + where(f"{fiscal_year_label(fs.frame_year)}市町村分の配分額"))


def chart_note(fs: FrameSplit) -> str:
    """How to read the distribution chart.

    >>> chart_note(fs).startswith("1人あたり配分額の分布に山が2つあるのは、追加配分枠の対象になった市町村（右の山）と")
    True
    """
    return ("1人あたり配分額の分布に山が2つあるのは、追加配分枠の対象になった市町村（右の山）とならなかった市町村（左の山）の"
            "違いです。基本配分枠だけの市町村は、得点の差だけ1人あたり額が違います。1人あたり額がほかの3倍を超える市町村"
            "（成果指向型配分枠の対象など）は軸の外として省略し、その数をグラフに示します。")


def oriented_table(fs: FrameSplit) -> pd.DataFrame:
    """The insurers listed for the outcome-oriented pot and what each receives (千円); no rows while none is listed.

    >>> oriented_table(fs).empty
    True
    """
    rows = fs.amounts[fs.amounts.pot == "outcome_oriented"]
    names = fs.municipalities.set_index("muni_code")["muni_name"]
    prefs = fs.prefectures.set_index("pref_code")["pref_name"]
    return pd.DataFrame([{"交付金": fs.label(r.grant), "都道府県": prefs[r.pref_code], "市町村コード": r.muni_code,
                          "市町村名": names[r.muni_code], "成果指向型配分枠（千円）": yen(r.amount_thousand_yen)}
                         for r in rows.itertuples()], columns=["交付金", "都道府県", "市町村コード", "市町村名", "成果指向型配分枠（千円）"])


def introduction(fs: FrameSplit) -> str:
    """What the page is, in one paragraph.

    >>> introduction(fs).startswith("令和7年度の予算の市町村分（厚生労働省資料、data/raw/budget/）を、2交付金それぞれの2023年度の得点で")
    True
    """
    units = f"{fs.municipalities['muni_code'].nunique():,}市町村"
    return (f"{fiscal_year_label(fs.frame_year)}の予算の市町村分（厚生労働省資料、data/raw/budget/）を、{len(fs.pots.grant.unique())}交付金"
            f"それぞれの{fs.year}年度の得点で市町村に配分した試算です。各枠の配分額と未配分額の和は枠の金額に等しくなります。"
            f"実際の交付は保険者（広域連合を含む）単位ですが、この試算は{units}を単位にしています。"
            "どの市町村が追加配分枠・成果指向型配分枠の対象になるかは公表されていないため、対象の決め方は仮定です。")


def rule_notes(fs: FrameSplit) -> list[str]:
    """How each pot is shared, from the configuration (A32), and what stays unallocated.

    >>> notes = rule_notes(fs)
    >>> notes[1]
    '追加配分枠は、2023年度の合計点が上位30%の市町村、または2019年度・2023年度の各年度で合計点の得点率が上位50%の市町村に、同じ方法で配分します（仮定、docs/assumptions.md A32）。境界で同点の市町村はすべて対象です。市町村の区分別得点にはアウトカム指標だけの得点がないため、「アウトカム指標の結果が上位」の代わりに合計点を使います。'
    >>> notes[2]
    '介護保険保険者努力支援交付金は2023年度の結果しか比べられる年度がないため、複数年度の要件は使いません。'
    >>> notes[-1]
    '成果指向型配分枠は、独自の成果指向型の取組を行う保険者に配分されますが、どの保険者が該当するかを示すデータはありません（設定 allocation.municipal_frame.outcome_oriented_municipalities が空）。保険者機能強化推進交付金の524,149千円は未配分として示します。'
    """
    rules, top = fs.rules, f"{round(100 * float(fs.rules['additional_top_share']))}%"
    years_top = f"{round(100 * float(rules['years_top_share']))}%"
    ranking = rules["ranking_category"]
    ranked = "合計点" if ranking == TOTAL else f"区分{ranking}の得点"
    grants = list(dict.fromkeys(fs.pots["grant"]))
    several = [int(y) for y in rules["additional_years"]]        # the rule as configured; the years usable follow
    years = {g: comparable_years(fs.scores, fs.year, g, several) for g in grants}
    notes = [f"基本配分枠は、{fs.year}年度の合計点 × 第1号被保険者数 に比例して全市町村に配分します（1千円単位、端数は最大剰余法）。",
             f"追加配分枠は、{fs.year}年度の{ranked}が上位{top}の市町村、または{'・'.join(f'{y}年度' for y in several)}の各年度で"
             f"合計点の得点率が上位{years_top}の市町村に、同じ方法で配分します（仮定、docs/assumptions.md A32）。"
             "境界で同点の市町村はすべて対象です。"
             + ("市町村の区分別得点にはアウトカム指標だけの得点がないため、「アウトカム指標の結果が上位」の代わりに合計点を使います。"
                if ranking == TOTAL else "")]
    notes += [f"{fs.label(g)}は{'・'.join(f'{y}年度' for y in years[g]) or 'ほかの'}の結果しか比べられる年度がないため、複数年度の要件は使いません。"
              for g in grants if len(years[g]) < 2]
    oriented = fs.pots[(fs.pots.pot == "outcome_oriented")]
    listed = rules["outcome_oriented_municipalities"]
    if listed:
        notes.append(f"成果指向型配分枠は、設定 allocation.municipal_frame.outcome_oriented_municipalities に挙げた{len(listed)}保険者"
                     "（独自の成果指向型の取組を行う保険者）に、同じ方法で配分します。")
    else:
        amounts = "、".join(f"{fs.label(p.grant)}の{yen(p.unallocated_thousand_yen)}千円" for p in oriented.itertuples())
        notes.append("成果指向型配分枠は、独自の成果指向型の取組を行う保険者に配分されますが、どの保険者が該当するかを示すデータは"
                     "ありません（設定 allocation.municipal_frame.outcome_oriented_municipalities が空）。"
                     f"{amounts}は未配分として示します。")
    return notes
