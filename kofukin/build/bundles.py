"""Per-prefecture profile bundles: everything one profile page shows, in one small JSON file.

A profile page reads only its bundle, so a change that leaves a prefecture's figures alone leaves
its bundle's bytes — and so its page — alone. ``kofukin.report.profile`` reads and shows them.
"""

import json

import pandas as pd

from kofukin.model.schemas import TOTAL
from kofukin.model.vintage import synthetic_years


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
    munis_in = tables["inputs/municipalities"]
    muni_names = munis_in[munis_in.fiscal_year == year].set_index("muni_code")["muni_name"]
    alloc = tables["prefecture_allocation"]
    alloc = alloc[alloc.fiscal_year == year].set_index("pref_code")
    budget = int(alloc["share_thousand_yen"].sum())
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
            "synthetic_years": sorted({*synthetic_years(own), *synthetic_years(mine)}
                                      | ({year} if a["synthetic"] or muni_alloc[code]["synthetic"].any() else set())),
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
