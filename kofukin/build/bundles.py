"""Per-prefecture profile bundles: everything one profile page shows, in one small JSON file.

A profile page reads only its bundle, so a change that leaves a prefecture's figures alone leaves
its bundle's bytes — and so its page — alone. ``kofukin.report.profile`` reads and shows them.
"""

import json

import numpy as np
import pandas as pd

from kofukin.build.pages import profile_name
from kofukin.model.config import has_prefectural_results, municipal_page_prefectures, year_grants
from kofukin.model.paths import grant_suffix
from kofukin.model.schemas import DEFAULT_GRANT, GRANT_NAMES, TOTAL, of_grant
from kofukin.model.vintage import synthetic_years


def bundles(year: int, compare_year: int, src: dict, tables: dict, cfg: dict) -> dict[str, dict]:
    """One bundle per prefecture and grant of the report year, keyed by pref_code and the grant's suffix
    (``paths.grant_suffix``: none for the year's first grant, ``13_support`` for 支援); ``cfg`` gives the penalty
    rule its page states.

    >>> tables = {name: pd.read_csv(processed / f"{name}.csv", dtype={"pref_code": str, "muni_code": str}) for name in ["prefecture_scores", "municipal_scores", "prefecture_item_stakes", "prefecture_category_stakes", "municipal_category_stakes", "municipal_allocation", "prefecture_allocation"]}
    >>> tables["inputs/municipalities"] = pd.read_csv(processed / "inputs" / "municipalities.csv", dtype={"pref_code": str})
    >>> out = bundles(2019, 2018, src, tables, cfg)
    >>> len(out), out["13"]["pref_name"], out["13"]["grant"]
    (47, '東京都', 'promotion')
    """
    grants = year_grants(cfg, year)
    indexes = set(municipal_page_prefectures(cfg, list(src["prefectures"]["pref_code"])))
    out = {}
    if not has_prefectural_results(cfg, year):
        return out                      # a municipal-only year (FY2023): no prefectural results to profile
    for grant in grants:
        for code, bundle in _grant_bundles(year, compare_year, src, tables, cfg, grant, len(grants) > 1).items():
            bundle["municipal_index"] = code in indexes          # its municipalities have pages (municipal.pages)
            bundle["other_grants"] = [{"grant": g, "label": GRANT_NAMES[g][1], "page": f"{profile_name(code, g, grants)}.html"}
                                      for g in grants if g != grant]
            out[f"{code}{grant_suffix(grant, grants)}"] = bundle
    return out


def _grant_bundles(year: int, compare_year: int, src: dict, tables: dict, cfg: dict, grant: str, two: bool) -> dict[str, dict]:
    """One grant's profile bundles (``bundles``)."""
    tables = _shown_grant(tables, grant)
    scores, muni = tables["prefecture_scores"], tables["municipal_scores"]
    muni = muni[muni.fiscal_year.isin([compare_year, year])]       # the years the profile compares
    labels = of_grant(src["categories"], grant).set_index("category")["short_label"]
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
    penalty = {"threshold": float(cfg["scoring"]["penalty_threshold"]), "points": int(cfg["scoring"]["penalty_points"])}
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
            "grant": grant, "grant_label": GRANT_NAMES[grant][0] if two else None,
            "synthetic_years": sorted({*synthetic_years(own), *synthetic_years(mine)}
                                      | ({year} if a["synthetic"] or muni_alloc[code]["synthetic"].any() else set())),
            "n_prefectures": int(now["pref_code"].nunique()), "penalty": penalty,
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


PREFECTURAL_TABLES = ("prefecture_scores", "prefecture_item_stakes", "prefecture_category_stakes", "prefecture_allocation")
MUNICIPAL_TABLES = ("municipal_scores", "municipal_ranks", "municipal_allocation", "municipal_category_stakes")


def _shown_grant(tables: dict, grant: str = DEFAULT_GRANT, names: tuple[str, ...] = PREFECTURAL_TABLES + MUNICIPAL_TABLES) -> dict:
    """The tables with the rows of one grant alone (of the tables ``names``): a page of one grant never mixes
    the two grants of a two-grant year.

    >>> t = _shown_grant({"municipal_scores": pd.DataFrame({"grant": ["promotion", "support"]})})
    >>> t["municipal_scores"]["grant"].tolist()
    ['promotion']
    """
    return {name: of_grant(df, grant) if name in names else df for name, df in tables.items()}


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


MUNICIPAL_DIR = "municipal"      # data/processed/municipal/<pref_code>/<muni_code>.json and index.json


def municipal_bundles(year: int, compare_year: int, src: dict, tables: dict, cfg: dict) -> dict[str, dict]:
    """One bundle per municipality of the report year, keyed by muni_code: everything its page shows.

    >>> tables = {name: pd.read_csv(processed / f"{name}.csv", dtype={"pref_code": str, "muni_code": str}) for name in ["municipal_ranks", "municipal_scores", "municipal_category_stakes"]}
    >>> tables["inputs/municipalities"] = pd.read_csv(processed / "inputs" / "municipalities.csv", dtype={"pref_code": str})
    >>> out = municipal_bundles(2019, 2018, src, tables, cfg)
    >>> m = out["S13001"]
    >>> len(out), m["pref_name"], m["total"]["n_in_prefecture"], len(m["peers"])
    (1741, '東京都', 62, 5)
    """
    tables = _shown_grant(tables)
    ranks, scores = tables["municipal_ranks"], tables["municipal_scores"]
    munis = tables["inputs/municipalities"]
    names = munis[munis.fiscal_year == year].set_index("muni_code")["muni_name"]
    pref_names = src["prefectures"].set_index("pref_code")["pref_name"]
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
    threshold = float(cfg["scoring"]["penalty_threshold"])
    penalty_points = int(cfg["scoring"]["penalty_points"])
    penalty = scores[(scores.fiscal_year == year) & (scores.category == TOTAL)].set_index("muni_code")["penalty_level"]
    peers = _peers(now, int(cfg["municipal"]["peers"]))
    out = {}
    for code, r in now.iterrows():
        own = by_muni[code]
        out[code] = {
            "muni_code": code, "muni_name": names[code], "pref_code": r.pref_code, "pref_name": pref_names[r.pref_code],
            "year": year, "compare_year": compare_year,
            "synthetic_years": ([compare_year] if code in before.index and before.at[code, "synthetic"] else [])
                               + ([year] if r.synthetic else []),
            "total": _rank_entry(r),
            "before": _rank_entry(before.loc[code]) if code in before.index else None,
            "categories": [{"category": c.category, "label": labels[c.category],
                            "score": int(c.score), "max_points": int(c.max_points), "score_rate": round(float(c.score_rate), 6),
                            "pref_rate": round(float(rate["pref"][(r.pref_code, c.category)]), 6),
                            "class_rate": round(float(rate["class"][(r.size_class, c.category)]), 6),
                            "national_rate": round(float(rate["nation"][c.category]), 6)}
                           for c in own.sort_values("category").itertuples()],
            "prefecture_scores": pref_scores[r.pref_code],
            "penalty": {"level": bool(penalty[code]), "threshold": threshold, "prefecture_points": penalty_points,
                        "threshold_score": int(threshold * int(r.max_points))},
            "stakes": [{"category": s.category, "score": int(s.score), "national_average": round(float(s.national_average), 6),
                        "points_to_average": int(s.points_to_average),
                        "amount_change_thousand_yen": int(s.amount_change_thousand_yen)}
                       for s in stakes.get(code, pd.DataFrame(columns=["category"])).sort_values("category").itertuples()],
            "peers": [{"muni_code": p, "muni_name": names[p], "pref_name": pref_names[now.at[p, "pref_code"]],
                       "first_insured": int(now.at[p, "first_insured"]), "score": int(now.at[p, "score"]),
                       "score_rate": round(float(now.at[p, "score_rate"]), 6), "rank_national": int(now.at[p, "rank_national"])}
                      for p in peers[code]],
        }
    return out


def municipal_index_bundles(year: int, compare_year: int, src: dict, tables: dict, cfg: dict) -> dict[str, dict]:
    """One bundle per prefecture: every municipality of the report year in one table (the municipal index).

    >>> tables = {"municipal_ranks": pd.read_csv(processed / "municipal_ranks.csv", dtype={"pref_code": str}),
    ...           "municipal_scores": pd.read_csv(processed / "municipal_scores.csv", dtype={"pref_code": str}),
    ...           "inputs/municipalities": pd.read_csv(processed / "inputs" / "municipalities.csv", dtype={"pref_code": str})}
    >>> idx = municipal_index_bundles(2019, 2018, src, tables, cfg)["13"]
    >>> idx["pref_name"], len(idx["municipalities"]), idx["municipalities"][0]["muni_code"]
    ('東京都', 62, 'S13001')
    """
    tables = _shown_grant(tables)
    ranks, scores = tables["municipal_ranks"], tables["municipal_scores"]
    now = ranks[ranks.fiscal_year == year].set_index("muni_code")
    munis = tables["inputs/municipalities"]
    names = munis[munis.fiscal_year == year].set_index("muni_code")["muni_name"]
    penalty = scores[(scores.fiscal_year == year) & (scores.category == TOTAL)].set_index("muni_code")["penalty_level"]
    pref_names = src["prefectures"].set_index("pref_code")["pref_name"]
    threshold = float(cfg["scoring"]["penalty_threshold"])
    return {pref: {"pref_code": pref, "pref_name": pref_names[pref], "year": year, "compare_year": compare_year,
                   "synthetic_years": [year] if g["synthetic"].any() else [],
                   "penalty_threshold": threshold,
                   "municipalities": [{"muni_code": code, "muni_name": names[code], **_rank_entry(r),
                                       "penalty_level": bool(penalty[code])} for code, r in g.sort_index().iterrows()]}
            for pref, g in now.groupby("pref_code")}


def _rank_entry(r) -> dict:
    amount = r["amount_thousand_yen"]
    return {"score": int(r["score"]), "max_points": int(r["max_points"]), "score_rate": round(float(r["score_rate"]), 6),
            "rank_in_prefecture": int(r["rank_in_prefecture"]), "n_in_prefecture": int(r["n_in_prefecture"]),
            "rank_national": int(r["rank_national"]), "n_national": int(r["n_national"]), "size_class": r["size_class"],
            "rank_in_size_class": int(r["rank_in_size_class"]), "n_in_size_class": int(r["n_in_size_class"]),
            "first_insured": int(r["first_insured"]), "amount_thousand_yen": None if pd.isna(amount) else int(amount)}


def _peers(ranks: pd.DataFrame, n: int) -> dict[str, list[str]]:
    """For each municipality, the ``n`` of the same size class nearest in first-insured persons (ties: code)."""
    out = {}
    for _, g in ranks.groupby("size_class"):
        codes, first = g.index.to_numpy(), g["first_insured"].to_numpy()
        for i, code in enumerate(codes):
            order = np.lexsort((codes, np.abs(first - first[i])))
            out[code] = [codes[j] for j in order if j != i][:n]
    return out
