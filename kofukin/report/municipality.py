"""One municipality's page and its prefecture's municipal index: bundles written by the data build
(``kofukin.make.bundles``) read back and turned into key figures, display tables and charts."""

import json
from pathlib import Path

import pandas as pd

from kofukin.report import htmlcharts
from kofukin.report.texts import NO_RULE_NOTE
from kofukin.report.units import pct, yen


def load(folder: Path | str, muni_code: str | int, year: int | None = None) -> dict:
    """The bundle of ``muni_code`` under ``folder`` (data/processed/municipal/); a clear error if there is none.

    >>> m = load(processed / "municipal", "S13001", year=2019)
    >>> m["muni_name"], m["total"]["max_points"]
    ('合成市町村13-001', 692)
    >>> load(processed / "municipal", "S99999")
    Traceback (most recent call last):
        ...
    ValueError: no municipality S99999 in the 2019 results (data/processed/municipal/): check muni_code
    >>> load(processed / "municipal", 11002)
    Traceback (most recent call last):
        ...
    ValueError: no municipality 11002 in the 2019 results (data/processed/municipal/): check muni_code (given as a number, as papermill -p passes digits: a leading 0 is lost — pass it as text, papermill -r muni_code 011002)
    """
    folder, number = Path(folder), isinstance(muni_code, int)
    muni_code = str(muni_code)          # papermill -p 132012 passes a number
    found = sorted(folder.glob(f"*/{muni_code}.json")) if muni_code and "/" not in muni_code else []
    if not found:
        years = {json.loads(p.read_text(encoding="utf-8"))["year"] for p in sorted(folder.glob("*/index.json"))[:1]}
        hint = (" (given as a number, as papermill -p passes digits: a leading 0 is lost — pass it as text, "
                f"papermill -r muni_code {muni_code.zfill(6)})") if number else ""
        raise ValueError(f"no municipality {muni_code} in the {'/'.join(map(str, years)) or '?'} results "
                         f"(data/processed/municipal/): check muni_code{hint}")
    bundle = json.loads(found[0].read_text(encoding="utf-8"))
    if year is not None and bundle["year"] != year:
        raise ValueError(f"{found[0]} is the {bundle['year']} page, not {year}: run doit for {year}")
    return bundle


def load_index(folder: Path | str, pref_code: str) -> dict:
    """The municipal index bundle of one prefecture.

    >>> load_index(processed / "municipal", "13")["pref_name"]
    '東京都'
    """
    return json.loads((Path(folder) / pref_code / "index.json").read_text(encoding="utf-8"))


def grants(m: dict) -> list[dict]:
    """The grant parts of a municipal bundle (or index), in the year's order: a two-grant year's ``grants``; a
    one-grant year's bundle is its own one part (total, before, categories, prefecture_scores, penalty, stakes).

    >>> [g["total"]["max_points"] for g in grants(m)], [g["label"] for g in grants(m2)]
    ([692], ['推進', '支援'])
    """
    return m["grants"] if "grants" in m else [m]


def _rank(t: dict, key: str) -> str:
    n = {"rank_in_prefecture": "n_in_prefecture", "rank_national": "n_national", "rank_in_size_class": "n_in_size_class"}[key]
    return f"{t[key]} / {t[n]}"


def _amount(amount: int | None) -> str:
    return "—" if amount is None else yen(amount)


def _per_person(amount: int | None, first_insured: int) -> str:
    """The 市町村分 per 第1号被保険者 (円) of an amount in 千円."""
    return "—" if amount is None else f"{1000 * amount / first_insured:,.1f}"


def _both(m: dict) -> str:
    """The grants' labels together: 「推進・支援」."""
    return "・".join(g["label"] for g in grants(m))


def key_figures(m: dict) -> list[tuple[str, str]]:
    """Label and value of the page's key figures: a one-grant year's total, rate, ranks and grant; a two-grant
    year's totals of each grant and the 市町村分 of both (``by_grant`` has the rest).

    >>> dict(key_figures(m))["市町村分交付額"]
    '23,361千円'
    >>> key_figures(m2)
    [('合計点（推進）', '418 / 700点'), ('合計点（支援）', '245 / 400点'), ('市町村分交付額（推進・支援の計）', '1,457千円'), ('第1号被保険者1人当たり（計）', '946.7円')]
    """
    if "grants" in m:
        c = m["combined"]
        return [*((f"合計点（{g['label']}）", f"{g['total']['score']} / {g['total']['max_points']}点") for g in grants(m)),
                (f"市町村分交付額（{_both(m)}の計）", "—" if c["amount_thousand_yen"] is None else f"{yen(c['amount_thousand_yen'])}千円"),
                ("第1号被保険者1人当たり（計）", "—" if c["amount_thousand_yen"] is None else
                 f"{_per_person(c['amount_thousand_yen'], c['first_insured'])}円")]
    t = m["total"]
    amount = t["amount_thousand_yen"]
    return [("合計点", f"{t['score']} / {t['max_points']}点"), ("得点率", pct(t["score_rate"])),
            ("県内順位", f"{_rank(t, 'rank_in_prefecture')}位"), ("全国順位", f"{_rank(t, 'rank_national')}位"),
            (f"規模別順位（{t['size_class']}）", f"{_rank(t, 'rank_in_size_class')}位"),
            ("市町村分交付額", "—" if amount is None else f"{yen(amount)}千円"),
            ("第1号被保険者1人当たり", "—" if amount is None else f"{1000 * amount / t['first_insured']:.1f}円")]


def by_grant(m: dict) -> list[pd.DataFrame]:
    """A two-grant year's results side by side — per grant total, rate, the three ranks and the 市町村分, and the
    市町村分 of both — as a list of one table; none in a one-grant year (its key figures say it all).

    >>> by_grant(m)
    []
    >>> t = by_grant(m2)[0]
    >>> t["交付金"].tolist(), t["合計（点）"].tolist(), t["市町村分交付額（千円）"].tolist(), t.iloc[0]["規模別順位"]
    (['推進', '支援', '計'], [418, 245, ''], ['825', '632', '1,457'], '412 / 693（5千人未満）')
    """
    if "grants" not in m:
        return []
    rows = [{"交付金": g["label"], "合計（点）": g["total"]["score"], "満点（点）": g["total"]["max_points"],
             "得点率": pct(g["total"]["score_rate"]), "県内順位": _rank(g["total"], "rank_in_prefecture"),
             "全国順位": _rank(g["total"], "rank_national"),
             "規模別順位": f"{_rank(g['total'], 'rank_in_size_class')}（{g['total']['size_class']}）",
             "市町村分交付額（千円）": _amount(g["total"]["amount_thousand_yen"]),
             "第1号被保険者1人当たり（円）": _per_person(g["total"]["amount_thousand_yen"], g["total"]["first_insured"])}
            for g in grants(m)]
    c = m["combined"]
    rows.append(dict.fromkeys(rows[0], "") | {"交付金": "計", "市町村分交付額（千円）": _amount(c["amount_thousand_yen"]),
                                              "第1号被保険者1人当たり（円）": _per_person(c["amount_thousand_yen"], c["first_insured"])})
    return [pd.DataFrame(rows)]


def _of(g: dict, text: str) -> str:
    """A chart or table title of one grant: 「区分別の得点率（推進）」 where the year scores two."""
    return f"{text}（{g['label']}）" if "label" in g else text


def categories(m: dict, g: dict | None = None) -> pd.DataFrame:
    """区分別の得点率 of one grant (``g``, a part of ``grants``; default the first): the municipality against its
    prefecture's, its size class's and the national average.

    >>> categories(m).iloc[0]["得点率"], categories(m2, grants(m2)[1])["満点（点）"].tolist()
    ('63.7%', [50, 300, 50])
    """
    g = g or grants(m)[0]
    return pd.DataFrame([{"区分": c["category"], "名称": c["label"], "得点（点）": c["score"], "満点（点）": c["max_points"],
                          "得点率": pct(c["score_rate"]), "県内平均": pct(c["pref_rate"]), "同規模平均": pct(c["class_rate"]),
                          "全国平均": pct(c["national_rate"])} for c in g["categories"]])


def category_chart(m: dict, g: dict | None = None) -> str:
    """One grant's category rates as bars (HTML), titled with the grant where the year scores two.

    >>> "同規模平均" in category_chart(m), "区分別の得点率（支援）" in category_chart(m2, grants(m2)[1])
    (True, True)
    """
    g = g or grants(m)[0]
    return htmlcharts.rate_bars([(f"{c['category']} {c['label']}", [(m["muni_name"], c["score_rate"]), ("県内平均", c["pref_rate"]),
                                                                     ("同規模平均", c["class_rate"]), ("全国平均", c["national_rate"])])
                                 for c in g["categories"]], _of(g, "区分別の得点率"))


def history(m: dict) -> pd.DataFrame:
    """The comparison year and the report year of each grant: total, rate, the three ranks, the grant (a 交付金
    column where the year scores two; a grant the comparison year did not score has the report year alone).

    >>> history(m)["満点（点）"].tolist(), history(m2)[["交付金", "年度"]].values.tolist()
    ([612, 692], [['推進', 2019], ['推進', 2099], ['支援', 2099]])
    """
    rows = []
    for g in grants(m):
        for key, year in (("before", m["compare_year"]), ("total", m["year"])):
            t = g[key]
            if t is None:
                continue
            rows.append(({"交付金": g["label"]} if "label" in g else {}) | {
                "年度": year, "合計（点）": t["score"], "満点（点）": t["max_points"], "得点率": pct(t["score_rate"]),
                "県内順位": _rank(t, "rank_in_prefecture"), "全国順位": _rank(t, "rank_national"),
                "規模別順位": f"{_rank(t, 'rank_in_size_class')}（{t['size_class']}）",
                "市町村分交付額（千円）": _amount(t["amount_thousand_yen"])})
    return pd.DataFrame(rows)


def history_note(m: dict) -> str:
    """What changed between the years (maxima), or why there is no comparison, for each grant.

    >>> history_note(m)
    '満点は2018年度の612点から2019年度の692点に変わりました（評価指標と配点の見直し）。得点率で比べてください。'
    >>> history_note(m2)
    '推進の満点は2019年度の692点から2099年度の700点に変わりました（評価指標と配点の見直し）。得点率で比べてください。支援は2019年度には評価していません。'
    """
    said, changed = [], False
    for g in grants(m):
        b, t, whose = g["before"], g["total"], f"{g['label']}の" if "label" in g else ""
        if b is None and "label" in g and g["grant"] not in m["compare_grants"]:
            said.append(f"{g['label']}は{m['compare_year']}年度には評価していません。")
        elif b is None:
            said.append(f"{m['compare_year']}年度の{whose}結果にこの団体はありません。")
        elif b["max_points"] == t["max_points"]:
            said.append(f"{whose}満点は両年度とも{t['max_points']}点です。")
        else:
            changed = True
            said.append(f"{whose}満点は{m['compare_year']}年度の{b['max_points']}点から{m['year']}年度の{t['max_points']}点に"
                        "変わりました（評価指標と配点の見直し）。")
    if changed:
        said.insert(max(i for i, s in enumerate(said) if "変わりました" in s) + 1, "得点率で比べてください。")
    return "".join(said)


def distribution(m: dict, g: dict | None = None) -> str:
    """The municipality among its prefecture's municipalities in one grant (HTML), with the penalty level marked
    where that grant has the penalty.

    >>> "得点率" in distribution(m), "strip-line" in distribution(m2, grants(m2)[1])
    (True, False)
    """
    g = g or grants(m)[0]
    p = g["penalty"]
    line = None if p is None or p["level"] is None else p["threshold_score"]
    return htmlcharts.strip(g["prefecture_scores"], g["total"]["score"], g["total"]["max_points"], line,
                            f"{m['pref_name']}の市町村の合計点（{m['year']}年度{'・' + g['label'] if 'label' in g else ''}）",
                            "" if line is None else f"得点率{pct(p['threshold'], 0)}")


def penalty_notes(m: dict, g: dict | None = None) -> list[str]:
    """Whether one grant's score rate is at or below the penalty threshold and what that costs the prefecture;
    none for a grant without the penalty; "no rule" where the year has none.

    >>> penalty_notes(m)[0].startswith("得点率は"), penalty_notes(m2, grants(m2)[1])
    (True, [])
    >>> penalty_notes(m2)
    ['推進の得点率は35%を上回っています（35%以下の市町村があると、都道府県分（推進）の評価指標 III-② が-5点になります）。']
    >>> penalty_notes({**m, "penalty": {**m["penalty"], "level": None}})
    ['この年度には、市町村の得点による都道府県分の減点の規定がありません。']
    """
    g = g or grants(m)[0]
    p, t = g["penalty"], g["total"]
    if p is None:
        return []
    if p["level"] is None:
        return [NO_RULE_NOTE]
    level = pct(p["threshold"], 0)
    if "label" not in g:
        if p["level"]:
            return [f"得点率{pct(t['score_rate'])}は{level}以下です。管内にこうした市町村があると、"
                    f"{m['pref_name']}の都道府県分の得点が{p['prefecture_points']}点になります（評価指標 {p['item']}）。"]
        return [f"得点率は{level}を上回っています（{level}以下の市町村があると都道府県の得点が減点されます）。"]
    costs = f"都道府県分（{g['label']}）の評価指標 {p['item']} が{p['prefecture_points']}点になります"
    if p["level"]:
        return [f"{g['label']}の得点率{pct(t['score_rate'])}は{level}以下です。管内にこうした市町村があると、{m['pref_name']}の{costs}。"]
    return [f"{g['label']}の得点率は{level}を上回っています（{level}以下の市町村があると、{costs}）。"]


STAKES_COLUMNS = ["区分", "得点（点）", "全国平均（点）", "全国平均までの得点（点）", "交付額の増加（千円）", "1点当たり（千円）"]


def stakes(m: dict) -> pd.DataFrame:
    """Categories below the national average: points to reach it, the grant change (千円) and per point (of each
    grant, with a 交付金 column, where the year scores two).

    >>> list(stakes(m).columns)[-2:], stakes(m2)[["交付金", "区分", "交付額の増加（千円）"]].values.tolist()[-1]
    (['交付額の増加（千円）', '1点当たり（千円）'], ['支援', 'III', '8'])
    """
    two = "grants" in m
    return pd.DataFrame([({"交付金": g["label"]} if two else {}) | {
        "区分": s["category"], "得点（点）": s["score"], "全国平均（点）": f"{s['national_average']:.1f}",
        "全国平均までの得点（点）": s["points_to_average"], "交付額の増加（千円）": yen(s["amount_change_thousand_yen"]),
        "1点当たり（千円）": f"{s['amount_change_thousand_yen'] / s['points_to_average']:,.1f}"}
        for g in grants(m) for s in g["stakes"]], columns=(["交付金"] if two else []) + STAKES_COLUMNS)


def peers(m: dict) -> pd.DataFrame:
    """The municipalities of the same size class nearest in first-insured persons, nationally (each grant's
    total, rate and national rank where the year scores two).

    >>> len(peers(m)), list(peers(m2).columns)[3:6]
    (6, ['推進 合計（点）', '推進 得点率', '推進 全国順位'])
    """
    def scores(entry: dict, label: str = "") -> dict:
        head = f"{label} " if label else ""
        return {f"{head}合計（点）": entry["score"], f"{head}得点率": pct(entry["score_rate"]), f"{head}全国順位": entry["rank_national"]}

    def row(name: str, pref: str, first: int, figures: dict) -> dict:
        return {"市町村": name, "都道府県": pref, "第1号被保険者数（人）": yen(first)} | figures

    if "grants" not in m:
        t = m["total"]
        return pd.DataFrame([row(m["muni_name"], m["pref_name"], t["first_insured"], scores(t))]
                            + [row(p["muni_name"], p["pref_name"], p["first_insured"], scores(p)) for p in m["peers"]])
    own = {k: v for g in grants(m) for k, v in scores(g["total"], g["label"]).items()}
    labels = [g["label"] for g in grants(m)]
    return pd.DataFrame([row(m["muni_name"], m["pref_name"], m["combined"]["first_insured"], own)]
                        + [row(p["muni_name"], p["pref_name"], p["first_insured"],
                               {k: v for label, e in zip(labels, p["grants"]) for k, v in scores(e, label).items()})
                           for p in m["peers"]])


def index_table(idx: dict) -> tuple[pd.DataFrame, list[str]]:
    """The municipal index of a prefecture: one row per municipality (per municipality and grant, with the 市町村分
    of both grants on its first row, where the year scores two), and each row's page link.

    >>> t, links = index_table(load_index(processed / "municipal", "13"))
    >>> len(t), links[0], t.iloc[0]["コード"]
    (62, 'S13001.html', 'S13001')
    >>> t, links = index_table(idx2)
    >>> len(t), links[:2], t.iloc[0][["交付金", "交付額（千円）", "交付額計（千円）", "得点率35%以下（推進）"]].tolist()
    (38, ['S31001.html', 'S31001.html'], ['推進', '825', '1,457', ''])
    """
    def row(r: dict, e: dict, two: bool = False) -> dict:         # two grants: 全国順位 on the pages, the table fits
        return {"合計（点）": e["score"], "得点率": pct(e["score_rate"]), "県内順位": _rank(e, "rank_in_prefecture")} | (
            {} if two else {"全国順位": _rank(e, "rank_national")}) | {
            "規模別順位": f"{_rank(e, 'rank_in_size_class')}（{r['size_class']}）",
            "交付額（千円）" if two else "市町村分交付額（千円）": _amount(e["amount_thousand_yen"])}

    if "grants" not in idx:
        rows = [{"コード": r["muni_code"], "市町村": r["muni_name"]} | row(r, r)
                | {f"得点率{pct(idx['penalty_threshold'], 0)}以下": "○" if r["penalty_level"] else ""} for r in idx["municipalities"]]
        return pd.DataFrame(rows), [f"{r['muni_code']}.html" for r in idx["municipalities"]]
    penalised = [g for g in idx["grants"] if g["penalty"] is not None and g["penalty"]["item"]]
    rows, links = [], []
    for r in idx["municipalities"]:
        for i, (g, e) in enumerate(zip(idx["grants"], r["grants"])):
            rows.append({"コード": r["muni_code"], "市町村": r["muni_name"], "交付金": g["label"]} | row(r, e, True)
                        | {"交付額計（千円）": "" if i else _amount(r["amount_thousand_yen"])}
                        | {f"得点率{pct(p['penalty']['threshold'], 0)}以下（{p['label']}）": "○" if p is g and e["penalty_level"] else ""
                           for p in penalised})
            links.append(f"{r['muni_code']}.html")
    return pd.DataFrame(rows), links
