"""One municipality's page and its prefecture's municipal index: bundles written by the data build
(``kofukin.build.bundles``) read back and turned into key figures, display tables and charts."""

import json
from pathlib import Path

import pandas as pd

from kofukin.report import htmlcharts
from kofukin.report.units import pct, yen


def load(folder: Path | str, muni_code: str, year: int | None = None) -> dict:
    """The bundle of ``muni_code`` under ``folder`` (data/processed/municipal/); a clear error if there is none.

    >>> m = load(processed / "municipal", "S13001", year=2019)
    >>> m["muni_name"], m["total"]["max_points"]
    ('合成市町村13-001', 692)
    >>> load(processed / "municipal", "S99999")
    Traceback (most recent call last):
        ...
    ValueError: no municipality S99999 in the 2019 results (data/processed/municipal/): check muni_code
    """
    folder = Path(folder)
    found = sorted(folder.glob(f"*/{muni_code}.json")) if muni_code and "/" not in muni_code else []
    if not found:
        years = {json.loads(p.read_text(encoding="utf-8"))["year"] for p in sorted(folder.glob("*/index.json"))[:1]}
        raise ValueError(f"no municipality {muni_code} in the {'/'.join(map(str, years)) or '?'} results "
                         f"(data/processed/municipal/): check muni_code")
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


def _rank(t: dict, key: str) -> str:
    n = {"rank_in_prefecture": "n_in_prefecture", "rank_national": "n_national", "rank_in_size_class": "n_in_size_class"}[key]
    return f"{t[key]} / {t[n]}"


def key_figures(m: dict) -> list[tuple[str, str]]:
    """Label and value of the page's key figures.

    >>> dict(key_figures(m))["市町村分交付額"]
    '23,361千円'
    """
    t = m["total"]
    amount = t["amount_thousand_yen"]
    return [("合計点", f"{t['score']} / {t['max_points']}点"), ("得点率", pct(t["score_rate"])),
            ("県内順位", f"{_rank(t, 'rank_in_prefecture')}位"), ("全国順位", f"{_rank(t, 'rank_national')}位"),
            (f"規模別順位（{t['size_class']}）", f"{_rank(t, 'rank_in_size_class')}位"),
            ("市町村分交付額", "—" if amount is None else f"{yen(amount)}千円"),
            ("第1号被保険者1人当たり", "—" if amount is None else f"{1000 * amount / t['first_insured']:.1f}円")]


def categories(m: dict) -> pd.DataFrame:
    """区分別の得点率: the municipality against its prefecture's, its size class's and the national average.

    >>> categories(m).iloc[0]["得点率"]
    '63.7%'
    """
    return pd.DataFrame([{"区分": c["category"], "名称": c["label"], "得点（点）": c["score"], "満点（点）": c["max_points"],
                          "得点率": pct(c["score_rate"]), "県内平均": pct(c["pref_rate"]), "同規模平均": pct(c["class_rate"]),
                          "全国平均": pct(c["national_rate"])} for c in m["categories"]])


def category_chart(m: dict) -> str:
    """The category rates as bars (HTML).

    >>> "同規模平均" in category_chart(m)
    True
    """
    return htmlcharts.rate_bars([(f"{c['category']} {c['label']}", [(m["muni_name"], c["score_rate"]), ("県内平均", c["pref_rate"]),
                                                                     ("同規模平均", c["class_rate"]), ("全国平均", c["national_rate"])])
                                 for c in m["categories"]], "区分別の得点率")


def history(m: dict) -> pd.DataFrame:
    """The comparison year and the report year: total, rate, the three ranks, the grant.

    >>> history(m)["満点（点）"].tolist()
    [612, 692]
    """
    rows = []
    for key, year in (("before", m["compare_year"]), ("total", m["year"])):
        t = m[key]
        if t is None:
            continue
        rows.append({"年度": year, "合計（点）": t["score"], "満点（点）": t["max_points"], "得点率": pct(t["score_rate"]),
                     "県内順位": _rank(t, "rank_in_prefecture"), "全国順位": _rank(t, "rank_national"),
                     "規模別順位": f"{_rank(t, 'rank_in_size_class')}（{t['size_class']}）",
                     "市町村分交付額（千円）": "—" if t["amount_thousand_yen"] is None else yen(t["amount_thousand_yen"])})
    return pd.DataFrame(rows)


def history_note(m: dict) -> str:
    """What changed between the years (maxima), or why there is no comparison.

    >>> history_note(m)
    '満点は2018年度の612点から2019年度の692点に変わりました（評価指標と配点の見直し）。得点率で比べてください。'
    """
    b, t = m["before"], m["total"]
    if b is None:
        return f"{m['compare_year']}年度の結果にこの団体はありません。"
    if b["max_points"] == t["max_points"]:
        return f"満点は両年度とも{t['max_points']}点です。"
    return (f"満点は{m['compare_year']}年度の{b['max_points']}点から{m['year']}年度の{t['max_points']}点に変わりました"
            "（評価指標と配点の見直し）。得点率で比べてください。")


def distribution(m: dict) -> str:
    """The municipality among its prefecture's municipalities (HTML), with the penalty level marked.

    >>> "得点率" in distribution(m)
    True
    """
    p = m["penalty"]
    return htmlcharts.strip(m["prefecture_scores"], m["total"]["score"], m["total"]["max_points"], p["threshold_score"],
                            f"{m['pref_name']}の市町村の合計点（{m['year']}年度）", f"得点率{pct(p['threshold'], 0)}")


def penalty_note(m: dict) -> str:
    """Whether the score rate is at or below the penalty threshold and what that costs the prefecture.

    >>> penalty_note(m).startswith("得点率は")
    True
    """
    p, t = m["penalty"], m["total"]
    if p["level"]:
        return (f"得点率{pct(t['score_rate'])}は{pct(p['threshold'], 0)}以下です。管内にこうした市町村があると、"
                f"{m['pref_name']}の都道府県分の得点が{p['prefecture_points']}点になります（評価指標 III-②）。")
    return f"得点率は{pct(p['threshold'], 0)}を上回っています（{pct(p['threshold'], 0)}以下の市町村があると都道府県の得点が減点されます）。"


def stakes(m: dict) -> pd.DataFrame:
    """Categories below the national average: points to reach it, the grant change (千円) and per point.

    >>> list(stakes(m).columns)[-2:]
    ['交付額の増加（千円）', '1点当たり（千円）']
    """
    return pd.DataFrame([{"区分": s["category"], "得点（点）": s["score"], "全国平均（点）": f"{s['national_average']:.1f}",
                          "全国平均までの得点（点）": s["points_to_average"],
                          "交付額の増加（千円）": yen(s["amount_change_thousand_yen"]),
                          "1点当たり（千円）": f"{s['amount_change_thousand_yen'] / s['points_to_average']:,.1f}"}
                         for s in m["stakes"]], columns=["区分", "得点（点）", "全国平均（点）", "全国平均までの得点（点）",
                                                          "交付額の増加（千円）", "1点当たり（千円）"])


def peers(m: dict) -> pd.DataFrame:
    """The municipalities of the same size class nearest in first-insured persons, nationally.

    >>> len(peers(m))
    6
    """
    t = m["total"]
    rows = [{"市町村": m["muni_name"], "都道府県": m["pref_name"], "第1号被保険者数（人）": yen(t["first_insured"]),
             "合計（点）": t["score"], "得点率": pct(t["score_rate"]), "全国順位": t["rank_national"]}]
    rows += [{"市町村": p["muni_name"], "都道府県": p["pref_name"], "第1号被保険者数（人）": yen(p["first_insured"]),
              "合計（点）": p["score"], "得点率": pct(p["score_rate"]), "全国順位": p["rank_national"]} for p in m["peers"]]
    return pd.DataFrame(rows)


def index_table(idx: dict) -> tuple[pd.DataFrame, list[str]]:
    """The municipal index of a prefecture: one row per municipality, and each row's page link.

    >>> t, links = index_table(load_index(processed / "municipal", "13"))
    >>> len(t), links[0], t.iloc[0]["コード"]
    (62, 'S13001.html', 'S13001')
    """
    rows = [{"コード": r["muni_code"], "市町村": r["muni_name"], "合計（点）": r["score"], "得点率": pct(r["score_rate"]),
             "県内順位": _rank(r, "rank_in_prefecture"), "全国順位": _rank(r, "rank_national"),
             "規模別順位": f"{_rank(r, 'rank_in_size_class')}（{r['size_class']}）",
             "市町村分交付額（千円）": "—" if r["amount_thousand_yen"] is None else yen(r["amount_thousand_yen"]),
             f"得点率{pct(idx['penalty_threshold'], 0)}以下": "○" if r["penalty_level"] else ""} for r in idx["municipalities"]]
    return pd.DataFrame(rows), [f"{r['muni_code']}.html" for r in idx["municipalities"]]
