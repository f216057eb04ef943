"""市町村別: one municipality's results — each grant's score, rank, categories, distribution, the penalty, stakes,
peers and the years before (notebooks/municipality.py)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from kofukin.model import paths
from kofukin.model.catalogue import items_of
from kofukin.model.config import page_years, year_grants
from kofukin.model.schemas import GRANT_NAMES, TOTAL, of_grant
from kofukin.model.scoring import threshold_score
from kofukin.pages.page import Page
from kofukin.report import htmlcharts
from kofukin.report.bundle import amount_text, rank_entry, rank_text, shown_grant
from kofukin.report.penalty import NO_RULE, NO_RULE_NOTE, penalty_item
from kofukin.report.units import pct, yen

NOTEBOOK = "municipality.py"


def declare_municipalities(year: int, bundles: Path = paths.municipal_bundles(), prefectures: list[str] | None = None) -> list[Page]:
    """One page per municipality in the data build's municipal indexes (reports/html/municipal/<pref>/<code>.html),
    of every prefecture or of ``prefectures``; none before the first data build.

    >>> pages = declare_municipalities(2019, processed / "municipal")
    >>> len(pages), pages[0].name, pages[0].title, pages[0].index_href
    (1741, 'municipal/01/S01001', '市町村別：合成市町村01-001（北海道・2019年度）', '../../index.html')
    >>> len(declare_municipalities(2019, processed / "municipal", ["31"]))
    19
    """
    pages = []
    for f in sorted(Path(bundles).glob("*/index.json")):
        if prefectures is not None and f.parent.name not in prefectures:
            continue
        idx = json.loads(f.read_text(encoding="utf-8"))
        pages += [Page(f"municipal/{idx['pref_code']}/{m['muni_code']}", NOTEBOOK,
                       f"市町村別：{m['muni_name']}（{idx['pref_name']}・{year}年度）", {"fiscal_year": year, "muni_code": m["muni_code"]},
                       years=(idx["compare_year"], year), part="municipality") for m in idx["municipalities"]]
    return pages


def municipal_bundles(year: int, compare_year: int, src: dict, tables: dict, cfg: dict) -> dict[str, dict]:
    """One bundle per municipality of the report year, keyed by muni_code: everything its page shows. A one-grant
    year's bundle is its grant's part (``_municipal_parts``: total, before, categories, prefecture_scores, penalty,
    stakes) beside the municipality's name and peers; a two-grant year's has one part per grant under ``grants``
    and ``combined``, the 市町村分 of both grants.

    >>> tables = {name: pd.read_csv(processed / f"{name}.csv", dtype={"pref_code": str, "muni_code": str}) for name in ["municipal_ranks", "municipal_scores", "municipal_category_stakes"]}
    >>> tables["inputs/municipalities"] = pd.read_csv(processed / "inputs" / "municipalities.csv", dtype={"pref_code": str})
    >>> out = municipal_bundles(2019, 2018, src, tables, cfg)
    >>> m = out["S13001"]
    >>> len(out), m["pref_name"], m["total"]["n_in_prefecture"], len(m["peers"]), "grants" in m
    (1741, '東京都', 62, 5, False)
    """
    grants = year_grants(cfg, year)
    two = len(grants) > 1
    parts = {g: _municipal_parts(year, compare_year, src, tables, cfg, g, two) for g in grants}
    ranks = tables["municipal_ranks"]
    now = of_grant(ranks, grants[0])
    now = now[now.fiscal_year == year].set_index("muni_code")          # size class and 第1号被保険者: one per municipality
    synthetic = ranks[ranks.fiscal_year.isin([compare_year, year])].groupby(["muni_code", "fiscal_year"])["synthetic"].any()
    munis = tables["inputs/municipalities"]
    names = munis[munis.fiscal_year == year].set_index("muni_code")["muni_name"]
    pref_names = src["prefectures"].set_index("pref_code")["pref_name"]
    peers = _peers(now, int(cfg["municipal"]["peers"]))
    out = {}
    for code, r in now.iterrows():
        bundle = {"muni_code": code, "muni_name": names[code], "pref_code": r.pref_code, "pref_name": pref_names[r.pref_code],
                  "year": year, "compare_year": compare_year,
                  "synthetic_years": [y for y in (compare_year, year) if synthetic.get((code, y), False)]}
        peer = [{"muni_code": p, "muni_name": names[p], "pref_name": pref_names[now.at[p, "pref_code"]],
                 "first_insured": int(now.at[p, "first_insured"])} for p in peers[code]]
        if not two:
            out[code] = bundle | parts[grants[0]][code] | {
                "peers": [q | _peer_scores(parts[grants[0]][q["muni_code"]]) for q in peer]}
            continue
        mine = [parts[g][code] for g in grants]
        amounts = [p["total"]["amount_thousand_yen"] for p in mine]
        out[code] = bundle | {
            "grants": mine, "compare_grants": year_grants(cfg, compare_year),
            "combined": {"amount_thousand_yen": None if None in amounts else sum(amounts), "first_insured": int(r.first_insured)},
            "peers": [q | {"grants": [_peer_scores(parts[g][q["muni_code"]]) for g in grants]} for q in peer]}
    return out


def _municipal_parts(year: int, compare_year: int, src: dict, tables: dict, cfg: dict, grant: str, two: bool) -> dict[str, dict]:
    """One grant's part of each municipal bundle (``municipal_bundles``), keyed by muni_code: its total and ranks in
    both years, category rates beside the prefecture's, size class's and national averages, the prefecture's totals,
    the penalty (``_municipal_penalty``) and the stakes; ``two``: the year scores two grants (the part names its grant).

    >>> tables = {name: pd.read_csv(processed / f"{name}.csv", dtype={"pref_code": str, "muni_code": str}) for name in ["municipal_ranks", "municipal_scores", "municipal_category_stakes"]}
    >>> p = _municipal_parts(2019, 2018, src, tables, cfg, "promotion", True)["S13001"]
    >>> p["label"], p["total"]["score"], p["penalty"]["item"], [c["category"] for c in p["categories"]]
    ('推進', 402, 'III-②', ['I', 'II', 'III'])
    """
    tables = shown_grant(tables, grant)
    ranks, scores = tables["municipal_ranks"], tables["municipal_scores"]
    labels = src["municipal_categories"].sort_values("fiscal_year").drop_duplicates("category", keep="last")
    labels = labels.set_index("category")["label"]
    now, before = ranks[ranks.fiscal_year == year].set_index("muni_code"), ranks[ranks.fiscal_year == compare_year].set_index("muni_code")
    cats = scores[(scores.fiscal_year == year) & (scores.category != TOTAL)]
    cats = cats.merge(now[["size_class"]], left_on="muni_code", right_index=True)
    rate = {key: cats.groupby([*cols, "category"])["score_rate"].mean()
            for key, cols in (("pref", ["pref_code"]), ("class", ["size_class"]), ("nation", []))}
    by_muni = dict(tuple(cats.groupby("muni_code")))
    stakes = tables["municipal_category_stakes"]
    stakes = dict(tuple(stakes[stakes.fiscal_year == year].groupby("muni_code")))
    pref_scores = {code: sorted(int(s) for s in g["score"]) for code, g in now.groupby("pref_code")}
    levels = scores[(scores.fiscal_year == year) & (scores.category == TOTAL)].set_index("muni_code")["penalty_level"]
    item = penalty_item(items_of(src["items"], grant), levels)
    rule = {"threshold": float(cfg["scoring"]["penalty_threshold"]), "prefecture_points": int(cfg["scoring"]["penalty_points"])}
    out = {}
    for code, r in now.iterrows():
        out[code] = ({"grant": grant, "label": GRANT_NAMES[grant][0]} if two else {}) | {
            "total": rank_entry(r),
            "before": rank_entry(before.loc[code]) if code in before.index else None,
            "categories": [{"category": c.category, "label": labels[c.category],
                            "score": int(c.score), "max_points": int(c.max_points), "score_rate": round(float(c.score_rate), 6),
                            "pref_rate": round(float(rate["pref"][(r.pref_code, c.category)]), 6),
                            "class_rate": round(float(rate["class"][(r.size_class, c.category)]), 6),
                            "national_rate": round(float(rate["nation"][c.category]), 6)}
                           for c in by_muni[code].sort_values("category").itertuples()],
            "prefecture_scores": pref_scores[r.pref_code],
            "penalty": _municipal_penalty(item, levels[code], rule, int(r.max_points)),
            "stakes": [{"category": s.category, "score": int(s.score), "national_average": round(float(s.national_average), 6),
                        "points_to_average": int(s.points_to_average),
                        "amount_change_thousand_yen": int(s.amount_change_thousand_yen)}
                       for s in stakes.get(code, pd.DataFrame(columns=["category"])).sort_values("category").itertuples()],
        }
    return out


def _municipal_penalty(item: str | None, level, rule: dict, max_points: int) -> dict | None:
    """A municipality's penalty entry for one grant: None where the grant has no penalty item (its page says nothing
    of one); ``level`` None where the year has no penalty rule (``NO_RULE``), else the item named (the catalogue's).

    >>> _municipal_penalty("III-②", True, {"threshold": 0.35, "prefecture_points": -5}, 700)
    {'level': True, 'threshold': 0.35, 'prefecture_points': -5, 'threshold_score': 245, 'item': 'III-②'}
    >>> _municipal_penalty(None, True, {"threshold": 0.35, "prefecture_points": -5}, 400) is None
    True
    """
    if item is None:
        return None
    entry = {"level": None if item == NO_RULE else bool(level), **rule, "threshold_score": threshold_score(rule["threshold"], max_points)}
    return entry | ({"item": item} if item else {})


def _peer_scores(part: dict) -> dict:
    """What the peers table shows of a municipality for one grant (its part's total)."""
    return {k: part["total"][k] for k in ("score", "score_rate", "rank_national")}


def _peers(ranks: pd.DataFrame, n: int) -> dict[str, list[str]]:
    """For each municipality, the ``n`` of the same size class nearest in first-insured persons (ties: code)."""
    out = {}
    for _, g in ranks.groupby("size_class"):
        codes, first = g.index.to_numpy(), g["first_insured"].to_numpy()
        for i, code in enumerate(codes):
            order = np.lexsort((codes, np.abs(first - first[i])))
            out[code] = [codes[j] for j in order if j != i][:n]
    return out


def load(fiscal_year: int | None, muni_code: str | int, project_dir: Path | str | None = None) -> dict:
    """The page's data: the bundle of ``muni_code`` of ``fiscal_year`` (None: the report year) in a project folder
    (``paths.project(project_dir)``), checked as ``read`` does.

    >>> load(2019, "S13001", processed.parents[1])["muni_name"]
    '合成市町村13-001'
    """
    year, _ = page_years(fiscal_year, root=project_dir)
    return read(paths.municipal_bundles(project_dir), muni_code, year=year)


def read(folder: Path | str, muni_code: str | int, year: int | None = None) -> dict:
    """The bundle of ``muni_code`` under ``folder`` (data/processed/municipal/); a clear error if there is none.

    >>> m = read(processed / "municipal", "S13001", year=2019)
    >>> m["muni_name"], m["total"]["max_points"]
    ('合成市町村13-001', 692)
    >>> read(processed / "municipal", "S99999")
    Traceback (most recent call last):
        ...
    ValueError: no municipality S99999 in the 2019 results (data/processed/municipal/): check muni_code
    >>> read(processed / "municipal", 11002)
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


def grants(m: dict) -> list[dict]:
    """The grant parts of a municipal bundle (or index), in the year's order: a two-grant year's ``grants``; a
    one-grant year's bundle is its own one part (total, before, categories, prefecture_scores, penalty, stakes).

    >>> [g["total"]["max_points"] for g in grants(m)], [g["label"] for g in grants(m2)]
    ([692], ['推進', '支援'])
    """
    return m["grants"] if "grants" in m else [m]


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
            ("県内順位", f"{rank_text(t, 'rank_in_prefecture')}位"), ("全国順位", f"{rank_text(t, 'rank_national')}位"),
            (f"規模別順位（{t['size_class']}）", f"{rank_text(t, 'rank_in_size_class')}位"),
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
             "得点率": pct(g["total"]["score_rate"]), "県内順位": rank_text(g["total"], "rank_in_prefecture"),
             "全国順位": rank_text(g["total"], "rank_national"),
             "規模別順位": f"{rank_text(g['total'], 'rank_in_size_class')}（{g['total']['size_class']}）",
             "市町村分交付額（千円）": amount_text(g["total"]["amount_thousand_yen"]),
             "第1号被保険者1人当たり（円）": _per_person(g["total"]["amount_thousand_yen"], g["total"]["first_insured"])}
            for g in grants(m)]
    c = m["combined"]
    rows.append(dict.fromkeys(rows[0], "") | {"交付金": "計", "市町村分交付額（千円）": amount_text(c["amount_thousand_yen"]),
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
                "県内順位": rank_text(t, "rank_in_prefecture"), "全国順位": rank_text(t, "rank_national"),
                "規模別順位": f"{rank_text(t, 'rank_in_size_class')}（{t['size_class']}）",
                "市町村分交付額（千円）": amount_text(t["amount_thousand_yen"])})
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
