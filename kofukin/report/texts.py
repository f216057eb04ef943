"""Sentences of the report pages that state a figure or a rule, written from the data and the configuration
(a notebook holds no figure of its own: another year, budget or threshold changes them)."""

from kofukin.report.data import Report
from kofukin.report.units import fiscal_year_label, oku_yen, points, rate_label


def penalty_level(r: Report) -> str:
    """The municipalities that trigger the prefectural penalty (``scoring.penalty_threshold``).

    >>> penalty_level(r)
    '得点率3割以下'
    """
    return f"得点率{rate_label(r.scoring.penalty_threshold)}以下"


def penalty_items(r: Report) -> list[str]:
    """The penalty items of the report year's catalogue of the grant shown (none: the grant has no penalty).

    >>> penalty_items(r)
    ['III-②']
    """
    return list(r.items.loc[r.items.rule == "penalty", "item"])


def _penalty_item(r: Report) -> str:
    """The report year's penalty item and its points, e.g. 「III-② −10点」."""
    return " ".join([*penalty_items(r), points(r.scoring.penalty_points)])


def stack_note(r: Report) -> str:
    """What the national page's stacked bars show, the penalty included where the grant has one.

    >>> stack_note(r).split("。")[1]
    '赤い斜線は「管内に得点が著しく低い市町村（得点率3割以下）がある」ことによる減点（−10点）です'
    """
    penalty = (f"赤い斜線は「管内に得点が著しく低い市町村（{penalty_level(r)}）がある」ことによる減点"
               f"（{points(r.scoring.penalty_points)}）です。") if penalty_items(r) else ""
    return "都道府県分の評価結果を、評価指標の区分ごとに積み上げて示します。" + penalty


def allocation_rule(r: Report) -> str:
    """How the prefectural grant is paid, with the report year's budget.

    >>> allocation_rule(r).split("。")[0][-20:]
    '額を交付します（都道府県分 約10億円）'
    """
    return ("各都道府県の評価指標の得点により配分した額と、各都道府県からの所要見込額の低い方の額を交付します"
            f"（都道府県分 {oku_yen(r.budget)}）。詳しくは「交付額」のページを参照してください。")


def allocation_method(r: Report) -> str:
    """How the share and the amount paid are computed, and what happens to money freed by requests.

    >>> allocation_method(r).split("。")[-2]
    '所要見込額を上回る分は他の都道府県に再配分しません（設定で変更可）'
    """
    freed = "再配分します" if r.redistribute else "再配分しません"
    return ("交付額 = min（得点による配分額, 所要見込額）。得点による配分額は、予算を各都道府県の合計点に比例して1千円単位で"
            f"配分したもの（端数は最大剰余法）です。所要見込額を上回る分は他の都道府県に{freed}（設定で変更可）。")


def distribution_note(r: Report) -> str:
    """How to read the municipal box plots and their penalty line.

    >>> distribution_note(r).split("。")[1]
    '点線より左の市町村（得点率3割以下）があると、その都道府県は都道府県分の評価で10点減点されます'
    """
    return ("箱は中央の半数、線は最小から最大（外れ値は点）を示します。点線より左の市町村"
            f"（{penalty_level(r)}）があると、その都道府県は都道府県分の評価で{-r.scoring.penalty_points}点減点されます。")


def penalty_table_note(r: Report) -> str:
    """What the table of penalty-level municipalities lists.

    >>> penalty_table_note(r)
    '得点率が3割以下の市町村と、その所在都道府県です（都道府県分 III-② −10点）。'
    """
    return f"得点率が{rate_label(r.scoring.penalty_threshold)}以下の市町村と、その所在都道府県です（都道府県分 {_penalty_item(r)}）。"


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
