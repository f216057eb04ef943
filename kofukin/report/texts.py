"""Sentences of the report pages that state a figure or a rule, written from the data and the configuration
(a notebook holds no figure of its own: another year, budget or threshold changes them)."""

from kofukin.model.schemas import TOTAL
from kofukin.report.data import Report
from kofukin.report.figures import NO_RULE, municipal_grants, penalty_of
from kofukin.report.units import fiscal_year_label, oku_yen, points, rate_label


def penalty_level(r: Report) -> str:
    """The municipalities that trigger the prefectural penalty (``scoring.penalty_threshold``).

    >>> penalty_level(r)
    '得点率3割以下'
    """
    return f"得点率{rate_label(r.scoring.penalty_threshold)}以下"


def _penalty_item(r: Report) -> str:
    """The report year's penalty item and its points, e.g. 「III-② −10点」."""
    return " ".join([penalty_of(r) or "", points(r.scoring.penalty_points)]).strip()


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


def allocation_method(r: Report) -> str:
    """How the share and the amount paid are computed, and what happens to money freed by requests.

    >>> allocation_method(r).split("。")[-2]
    '所要見込額を上回る分は他の都道府県に再配分しません（設定で変更可）'
    """
    freed = "再配分します" if r.redistribute else "再配分しません"
    return ("交付額 = min（得点による配分額, 所要見込額）。得点による配分額は、予算を各都道府県の合計点に比例して1千円単位で"
            f"配分したもの（端数は最大剰余法）です。所要見込額を上回る分は他の都道府県に{freed}（設定で変更可）。")


NO_RULE_NOTE = "この年度には、市町村の得点による都道府県分の減点の規定がありません。"


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
