"""Per-prefecture profile bundles: everything one profile page shows, in one small JSON file.

A profile page reads only its bundle, so a change that leaves a prefecture's figures alone leaves
its bundle's bytes — and so its page — alone.
"""

import json
from pathlib import Path

import pandas as pd

from .schemas import TOTAL
from .units import pct, yen


def bundles(year: int, compare_year: int, src: dict, tables: dict) -> dict[str, dict]:
    """One bundle per prefecture, keyed by pref_code.

    >>> tables = {name: pd.read_csv(processed / f"{name}.csv", dtype={"pref_code": str, "muni_code": str}) for name in ["prefecture_scores", "municipal_scores", "prefecture_item_stakes", "prefecture_category_stakes", "municipal_category_stakes", "municipal_allocation", "prefecture_allocation"]}
    >>> tables["inputs/municipalities"] = pd.read_csv(processed / "inputs" / "municipalities.csv", dtype={"pref_code": str})
    >>> out = bundles(2019, 2018, src, tables)
    >>> len(out), out["13"]["pref_name"]
    (47, '東京都')
    """
    scores, muni = tables["prefecture_scores"], tables["municipal_scores"]
    labels = src["categories"].set_index("category")["short_label"]
    item_labels = src["items"].set_index("item")["label"]
    now = scores[scores.fiscal_year == year]
    national = now.groupby("category").apply(lambda g: g["score"].sum() / g["max_points"].sum(), include_groups=False)
    muni_tot = muni[muni.category == TOTAL]
    muni_nat = {int(y): _quantiles(g["score"]) for y, g in muni_tot.groupby("fiscal_year")}
    stakes = _by_pref(tables["prefecture_item_stakes"], year)
    cat_stakes = _by_pref(tables["prefecture_category_stakes"], year)
    muni_stakes = _by_pref(tables["municipal_category_stakes"], year)
    muni_alloc = _by_pref(tables["municipal_allocation"], year)
    muni_names = tables["inputs/municipalities"].set_index("muni_code")["muni_name"]
    alloc = tables["prefecture_allocation"]
    budget = int(alloc["share_thousand_yen"].sum())
    alloc = alloc[alloc.fiscal_year == year].set_index("pref_code")
    munis = dict(tuple(muni_tot.groupby("pref_code")))
    out = {}
    for code, own in scores.groupby("pref_code"):
        cur = own[own.fiscal_year == year].set_index("category")
        before = own[(own.fiscal_year == compare_year) & (own.category == TOTAL)]
        mine_stakes = stakes.get(code, pd.DataFrame())
        mine_cats = cat_stakes.get(code, pd.DataFrame())
        mine_munis = muni_stakes.get(code, pd.DataFrame(columns=["amount_change_thousand_yen", "muni_code", "category"]))
        mine_munis = mine_munis.sort_values(["amount_change_thousand_yen", "muni_code", "category"],
                                            ascending=[False, True, True]).head(MUNICIPAL_STAKES_SHOWN)
        a = alloc.loc[code]
        mine = munis[code]
        out[code] = {
            "pref_code": code, "pref_name": cur["pref_name"].iloc[0], "year": year, "compare_year": compare_year,
            "synthetic": bool(own["synthetic"].any() or mine["synthetic"].any() or a["synthetic"]
                              or muni_alloc[code]["synthetic"].any()),
            "n_prefectures": int(now["pref_code"].nunique()),
            "total": _score(cur.loc[TOTAL]),
            "before": _score(before.iloc[0]) if len(before) else None,
            "categories": [{"category": c, "label": labels[c], **_score(cur.loc[c]), "national_rate": round(float(national[c]), 6)}
                           for c in labels.index if c != TOTAL and c in cur.index],
            "stakes": [{"item": s.item, "label": item_labels[s.item], "category": s.category, "points": int(s.points),
                        "max_points": int(s.max_points), "points_at_stake": int(s.points_at_stake),
                        "amount_change_thousand_yen": int(s.amount_change_thousand_yen)} for s in mine_stakes.itertuples()],
            "category_stakes": [{"category": c.category, "label": labels[c.category], "score": int(c.score),
                                 "national_average": round(float(c.national_average), 6),
                                 "points_to_average": int(c.points_to_average),
                                 "amount_change_thousand_yen": int(c.amount_change_thousand_yen)} for c in mine_cats.itertuples()],
            "municipal_stakes": [{"muni_code": m.muni_code, "muni_name": muni_names[m.muni_code], "category": m.category,
                                  "score": int(m.score), "national_average": round(float(m.national_average), 6),
                                  "points_to_average": int(m.points_to_average),
                                  "amount_change_thousand_yen": int(m.amount_change_thousand_yen)} for m in mine_munis.itertuples()],
            "municipal_grant_thousand_yen": int(muni_alloc[code]["amount_thousand_yen"].sum()),
            "municipal": {str(y): {"scores": sorted(int(v) for v in g["score"]), "max_points": int(g["max_points"].iloc[0]),
                                   "penalty_level": int(g["penalty_level"].sum()), "national": muni_nat[int(y)]}
                          for y, g in mine.groupby("fiscal_year")},
            "allocation": {k: (None if pd.isna(a[k]) else int(a[k])) for k in
                           ("score", "share_thousand_yen", "cap_thousand_yen", "amount_thousand_yen")}
            | {"capped": bool(a["capped"]), "budget": budget},
        }
    return out


MUNICIPAL_STAKES_SHOWN = 10


def _by_pref(table: pd.DataFrame, year: int) -> dict[str, pd.DataFrame]:
    return dict(tuple(table[table.fiscal_year == year].groupby("pref_code")))


def _score(row) -> dict:
    return {"score": int(row["score"]), "max_points": int(row["max_points"]), "score_rate": round(float(row["score_rate"]), 6),
            "rank": int(row["rank"]), "national_average": round(float(row["national_average"]), 6)}


def _quantiles(s: pd.Series) -> dict:
    q = s.quantile([0.25, 0.5, 0.75])
    return {"mean": round(float(s.mean()), 6), "q25": float(q[0.25]), "median": float(q[0.5]), "q75": float(q[0.75])}


def dumps(bundle: dict) -> bytes:
    """Stable JSON bytes of a bundle.

    >>> print(dumps({"pref_name": "東京都", "total": 700}).decode())
    {
     "pref_name": "東京都",
     "total": 700
    }
    """
    return (json.dumps(bundle, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def load(path: Path | str, year: int | None = None) -> dict:
    """Read a bundle written by the data build; ``year``, when given, must be its report year.

    >>> b = load(processed / "profiles" / "13.json", year=2019)
    >>> b["pref_name"], b["total"]["max_points"]
    ('東京都', 741)
    """
    bundle = json.loads(Path(path).read_text(encoding="utf-8"))
    if year is not None and bundle["year"] != year:
        raise ValueError(f"{path} is the {bundle['year']} profile, not {year}: run doit for {year}")
    return bundle


def headline(b: dict) -> pd.DataFrame:
    """合計点・順位・全国平均との差, this year and the comparison year.

    >>> list(headline(b).columns)
    ['年度', '合計（点）', '満点（点）', '得点率', '順位', '全国平均（点）', '全国平均との差（点）']
    """
    rows = []
    for key, year in (("before", b["compare_year"]), ("total", b["year"])):
        s = b[key]
        if s is None:
            continue
        rows.append({"年度": year, "合計（点）": s["score"], "満点（点）": s["max_points"], "得点率": pct(s["score_rate"]),
                     "順位": f"{s['rank']} / {b['n_prefectures']}", "全国平均（点）": f"{s['national_average']:.1f}",
                     "全国平均との差（点）": f"{s['score'] - s['national_average']:+.1f}"})
    return pd.DataFrame(rows)


def categories(b: dict) -> pd.DataFrame:
    """区分別の得点・得点率と全国の得点率.

    >>> list(categories(b).columns)
    ['区分', '名称', '得点（点）', '満点（点）', '得点率', '全国の得点率', '差（ポイント）', '順位']
    """
    return pd.DataFrame([{"区分": c["category"], "名称": c["label"], "得点（点）": c["score"], "満点（点）": c["max_points"],
                          "得点率": pct(c["score_rate"]), "全国の得点率": pct(c["national_rate"]),
                          "差（ポイント）": f"{100 * (c['score_rate'] - c['national_rate']):+.1f}", "順位": c["rank"]}
                         for c in b["categories"]])


def stakes(b: dict) -> pd.DataFrame:
    """達成していない評価指標: points at stake and the grant change if achieved (all else fixed).

    >>> list(stakes(b).columns)
    ['項目', '評価指標', '得点（点）', '配点（点）', '未獲得（点）', '交付額の増加（千円）']
    """
    return _table(b["stakes"], {"項目": lambda s: s["item"], "評価指標": lambda s: s["label"], "得点（点）": lambda s: s["points"],
                                "配点（点）": lambda s: s["max_points"], "未獲得（点）": lambda s: s["points_at_stake"],
                                "交付額の増加（千円）": lambda s: yen(s["amount_change_thousand_yen"])})


def category_stakes(b: dict) -> pd.DataFrame:
    """全国平均に届いていない区分: points to the national average and the grant change (all else fixed).

    >>> list(category_stakes(b).columns)
    ['区分', '名称', '得点（点）', '全国平均（点）', '全国平均までの得点（点）', '交付額の増加（千円）']
    """
    return _table(b["category_stakes"], {"区分": lambda c: c["category"], "名称": lambda c: c["label"], **_TO_AVERAGE,
                                         "交付額の増加（千円）": lambda c: yen(c["amount_change_thousand_yen"])})


def municipal_stakes(b: dict) -> pd.DataFrame:
    """管内市町村: the categories below the national average worth most in the 市町村分 grant.

    >>> list(municipal_stakes(b).columns)
    ['市町村', '区分', '得点（点）', '全国平均（点）', '全国平均までの得点（点）', '市町村分交付額の増加（千円）']
    """
    return _table(b["municipal_stakes"], {"市町村": lambda m: m["muni_name"], "区分": lambda m: m["category"], **_TO_AVERAGE,
                                          "市町村分交付額の増加（千円）": lambda m: yen(m["amount_change_thousand_yen"])})


_TO_AVERAGE = {"得点（点）": lambda x: x["score"], "全国平均（点）": lambda x: f"{x['national_average']:.1f}",
               "全国平均までの得点（点）": lambda x: x["points_to_average"]}


def _table(rows: list[dict], spec: dict) -> pd.DataFrame:
    """A display table: one row per bundle entry, one column per (header, cell function) of ``spec``."""
    return pd.DataFrame([{header: cell(row) for header, cell in spec.items()} for row in rows], columns=list(spec))


def municipal(b: dict) -> pd.DataFrame:
    """管内市町村の得点: count, mean, median and penalty-level count against the national figures.

    >>> list(municipal(b).columns)
    ['年度', '市町村数', '平均（点）', '中央値（点）', '全国平均（点）', '満点（点）', '得点率3割以下の市町村']
    """
    rows = []
    for year, m in sorted(b["municipal"].items()):
        s = pd.Series(m["scores"])
        rows.append({"年度": int(year), "市町村数": len(s), "平均（点）": f"{s.mean():.1f}", "中央値（点）": f"{s.median():.1f}",
                     "全国平均（点）": f"{m['national']['mean']:.1f}", "満点（点）": m["max_points"],
                     "得点率3割以下の市町村": m["penalty_level"]})
    return pd.DataFrame(rows)


def allocation(b: dict) -> pd.DataFrame:
    """交付額: share by score, request (cap) and amount paid, in 千円.

    >>> list(allocation(b).columns)
    ['得点による配分額（千円）', '所要見込額（千円）', '交付額（千円）', '所要見込額で上限', '全国の交付総額に占める割合']
    """
    a = b["allocation"]
    return pd.DataFrame([{"得点による配分額（千円）": yen(a["share_thousand_yen"]),
                          "所要見込額（千円）": "—" if a["cap_thousand_yen"] is None else yen(a["cap_thousand_yen"]),
                          "交付額（千円）": yen(a["amount_thousand_yen"]), "所要見込額で上限": "○" if a["capped"] else "—",
                          "全国の交付総額に占める割合": pct(a["amount_thousand_yen"] / a["budget"], 2)}])
