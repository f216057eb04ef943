"""市町村分の年度比較: the municipalities' scores of two years — the report year and the latest two-grant year —
by category and prefecture (notebooks/municipal_years.py)."""

from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from kofukin.model import paths
from kofukin.model.config import municipal_comparison, page_years
from kofukin.model.catalogue import municipal_category_labels
from kofukin.model.municipal_frame import comparable_years
from kofukin.model.paths import MUNICIPAL_CATEGORIES, PREFECTURES
from kofukin.model.schemas import GRANT_NAMES, MUNI_CATEGORIES, TOTAL, read_table
from kofukin.model.vintage import caption
from kofukin.pages.page import Edition, Page
from kofukin.report import style
from kofukin.report.alttext import describe, where
from kofukin.report.units import pct

NOTEBOOK = "municipal_years.py"


def declare(e: Edition) -> list[Page]:
    """One page where the configuration has a two-grant year (``split_year``), after every grant's pages.

    >>> declare(Edition(2019, 2018, 2025)), [p.title for p in declare(Edition(2019, 2018, 2025, 2023))]
    ([], ['市町村分の年度比較：2019年度→2023年度（推進・支援）'])
    """
    if e.split_year is None:
        return []
    before, _ = municipal_comparison(e.year, e.compare_year, e.split_year)
    names = "・".join(GRANT_NAMES[g][0] for g in e.grants_of(e.split_year))
    return [Page("municipal_yoy", NOTEBOOK, f"市町村分の年度比較：{before}年度→{e.split_year}年度（{names}）",
                 {"fiscal_year": e.split_year, "compare_year": before}, ("municipal_scores",), (before, e.split_year),
                 order=(99, 10))]


GRANT_LABELS = {grant: short for grant, (short, _) in GRANT_NAMES.items()}


@dataclass
class MunicipalYears:
    """Municipal scores of two years, each with its grants, and the published category tables."""

    before: int
    after: int
    scores: pd.DataFrame
    published: pd.DataFrame
    prefectures: pd.DataFrame

    def grants(self, year: int) -> list[str]:
        """The grants scored in ``year``.

        >>> my.grants(2019), my.grants(2023)
        (['promotion'], ['promotion', 'support'])
        """
        return sorted(set(self.scores.loc[self.scores.fiscal_year == year, "grant"]))

    @property
    def caption(self) -> str:
        """The 合成データ note beside its charts and tables.

        >>> my.caption
        '※ 合成データです（厚生労働省の評価結果ではありません）。'
        """
        years = self.scores.groupby("fiscal_year")["synthetic"].any()
        return caption([int(y) for y, s in years.items() if s], [self.before, self.after])

    @property
    def table_caption(self) -> str:
        """The note beneath the category table, which shows published maxima and averages beside computed rates.

        >>> my.table_caption
        '※ 満点と全国平均（公表）は公表値です。得点率は合成データです（厚生労働省の評価結果ではありません）。'
        """
        note = self.caption.removeprefix("※ ")
        return f"※ 満点と全国平均（公表）は公表値です。{'得点率は' + note if note.startswith('合成') else note}".rstrip()

    @property
    def comparable(self) -> bool:
        """Whether the two years hold the same municipalities, both real or both synthetic (A20).

        >>> my.comparable
        True
        """
        return comparable_years(self.scores, self.after, self.grants(self.after)[0], [self.before]) == [self.before]


def load(fiscal_year: int | None = None, compare_year: int | None = None, project_dir: Path | str | None = None) -> MunicipalYears:
    """The page's data: the municipal scores of ``compare_year`` and ``fiscal_year`` (None: the configured years of the
    municipal 年度比較) in a project folder (``paths.project(project_dir)``).

    >>> load(project_dir=processed.parents[1]).grants(2023)
    ['promotion', 'support']
    """
    fiscal_year, compare_year = page_years(fiscal_year, compare_year, project_dir, municipal=True)
    where = paths.project(project_dir)
    return read(compare_year, fiscal_year, where["processed"], where["raw"])


def read(before: int, after: int, processed: Path = paths.PROCESSED, raw: Path = paths.RAW) -> MunicipalYears:
    """The two years' municipal scores, checked against their schema.

    >>> len(my.scores), sorted(int(y) for y in my.scores.fiscal_year.unique())
    (20892, [2019, 2023])
    """
    scores = read_table("municipal_scores", processed / "municipal_scores.csv")
    return MunicipalYears(before, after, scores[scores.fiscal_year.isin([before, after])].reset_index(drop=True),
                          read_table("municipal_categories", raw / MUNICIPAL_CATEGORIES),
                          read_table("prefectures", raw / PREFECTURES))


def _series(my: MunicipalYears) -> list[tuple[int, str]]:
    return [(my.before, g) for g in my.grants(my.before)] + [(my.after, g) for g in my.grants(my.after)]


def category_table(my: MunicipalYears) -> pd.DataFrame:
    """Per category: maximum, national average (published) and score rate of each year and grant.

    >>> t = category_table(my)
    >>> list(t.columns)[:4], t.iloc[-1]["2023年度 推進 満点"], t.iloc[-1]["2023年度 支援 得点率"]
    (['区分', '2019年度 推進 満点', '2019年度 推進 全国平均（公表）', '2019年度 推進 得点率'], '1,355', '49.7%')
    """
    pub = my.published.set_index(["fiscal_year", "grant", "category"])
    labels = municipal_category_labels(my.published)
    rows = []
    for cat in MUNI_CATEGORIES + [TOTAL]:
        row = {"区分": labels[cat]}
        for year, grant in _series(my):
            mine = my.scores[(my.scores.fiscal_year == year) & (my.scores.grant == grant) & (my.scores.category == cat)]
            head = f"{year}年度 {GRANT_LABELS[grant]}"
            row[f"{head} 満点"] = f"{int(mine['max_points'].iloc[0]):,}"
            key = (year, grant, cat)
            row[f"{head} 全国平均（公表）"] = f"{pub.at[key, 'national_average']:g}" if key in pub.index else "—"
            row[f"{head} 得点率"] = pct(mine["score"].mean() / mine["max_points"].iloc[0])
        rows.append(row)
    return pd.DataFrame(rows)


def prefecture_table(my: MunicipalYears) -> pd.DataFrame:
    """Per prefecture: its municipalities' mean total score rate in each year and grant, and the change of
    each grant scored in both years (percentage points).

    >>> t = prefecture_table(my)
    >>> len(t), list(t.columns)
    (47, ['都道府県', '2019年度 推進', '2023年度 推進', '2023年度 支援', '推進の変化（ポイント）'])
    """
    totals = my.scores[my.scores.category == TOTAL]
    means = totals.pivot_table(index="pref_code", columns=["fiscal_year", "grant"], values="score_rate", aggfunc="mean")
    out = pd.DataFrame({"都道府県": my.prefectures.set_index("pref_code")["pref_name"].reindex(means.index).to_numpy()})
    for year, grant in _series(my):
        out[f"{year}年度 {GRANT_LABELS[grant]}"] = [pct(v) for v in means[(year, grant)]]
    for grant in [g for g in my.grants(my.after) if g in my.grants(my.before)]:
        change = 100 * (means[(my.after, grant)] - means[(my.before, grant)])
        out[f"{GRANT_LABELS[grant]}の変化（ポイント）"] = [f"{v:+.1f}" for v in change]
    return out


def rate_scatter(my: MunicipalYears):
    """Each municipality's total score rate of the earlier year against each grant's of the later year; None
    when the years hold different municipalities (``comparable``).

    >>> rate_scatter(my).axes[1].get_title()
    '2023年度 支援'
    """
    if not my.comparable:
        return None
    style.apply()
    totals = my.scores[my.scores.category == TOTAL]
    earlier = my.grants(my.before)[0]
    first = totals[(totals.fiscal_year == my.before) & (totals.grant == earlier)].set_index("muni_code")["score_rate"]
    grants = my.grants(my.after)
    fig, axes = plt.subplots(1, len(grants), figsize=(11, 4), sharex=True, sharey=True, squeeze=False)
    axes = list(axes[0])
    texts = []
    for ax, colour, grant in zip(axes, style.PALETTE, grants):
        later = totals[(totals.fiscal_year == my.after) & (totals.grant == grant)].set_index("muni_code")["score_rate"]
        both = int(later.reindex(first.index).notna().sum())      # no correlation: between synthetic years it is the generator's
        texts.append(f"{my.after}年度 {GRANT_LABELS[grant]}とは{both:,}市町村、平均得点率{pct(first.mean())}→{pct(later.mean())}")
        ax.scatter(100 * first, 100 * later.reindex(first.index), s=5, alpha=0.5, color=colour)
        ax.set_title(f"{my.after}年度 {GRANT_LABELS[grant]}")
        ax.set_xlabel(f"{my.before}年度 {GRANT_LABELS[earlier]}の得点率（%）")
    axes[0].set_ylabel(f"{my.after}年度の得点率（%）")
    fig.suptitle(f"市町村の合計得点率：{my.before}年度と{my.after}年度")
    return describe(fig, f"{my.before}年度 {GRANT_LABELS[earlier]}の得点率と、" + "。".join(texts) + "。"
                         + where("市町村分の年度比較（都道府県別）"))


def notes(my: MunicipalYears) -> list[str]:
    """What the reader must know to read the comparison: maxima, units, comparability.

    >>> notes(my)[1]
    '公表された全国平均は保険者（広域連合を含む）単位の値です。得点率は1,741市町村の平均です。'
    """
    n = my.scores.loc[my.scores.fiscal_year == my.after, "muni_code"].nunique()
    out = [change_statement(my), f"公表された全国平均は保険者（広域連合を含む）単位の値です。得点率は{n:,}市町村の平均です。"]
    if not my.comparable:
        out.append(f"{my.before}年度と{my.after}年度は市町村の組（実データと合成データ）が異なるため、市町村ごとの比較は示しません。")
    return out


def change_statement(my: MunicipalYears) -> str:
    """What changed between the years, in one sentence from the data.

    >>> change_statement(my)
    '満点は2019年度の692点（推進のみ）から、2023年度は推進1,355点・支援830点に変わりました（評価指標も年度ごとに見直されます）。得点ではなく得点率で比較します。'
    """
    def maxima(year):
        rows = my.scores[(my.scores.fiscal_year == year) & (my.scores.category == TOTAL)]
        return rows.groupby("grant")["max_points"].first()
    before, after = maxima(my.before), maxima(my.after)
    was = "・".join(f"{int(v):,}点" for v in before) + (f"（{GRANT_LABELS[before.index[0]]}のみ）" if len(before) == 1 else "")
    now = "・".join(f"{GRANT_LABELS[g]}{int(v):,}点" for g, v in after.items())
    return (f"満点は{my.before}年度の{was}から、{my.after}年度は{now}に変わりました（評価指標も年度ごとに見直されます）。"
            "得点ではなく得点率で比較します。")
