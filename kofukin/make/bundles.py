"""Per-prefecture profile bundles: everything one profile page shows, in one small JSON file.

A profile page reads only its bundle, so a change that leaves a prefecture's figures alone leaves
its bundle's bytes — and so its page — alone. ``kofukin.report.profile`` reads and shows them.
"""

import json

import numpy as np
import pandas as pd

from kofukin.pages.profile import name as profile_name
from kofukin.model.catalogue import items_of
from kofukin.model.config import has_prefectural_results, municipal_page_prefectures, year_grants
from kofukin.model.paths import grant_suffix
from kofukin.model.schemas import DEFAULT_GRANT, GRANT_NAMES, TOTAL, of_grant
from kofukin.model.scoring import threshold_score
from kofukin.model.vintage import synthetic_years
from kofukin.report.figures import NO_RULE, penalty_item


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
                                   "penalty_level": None if g["penalty_level"].isna().all() else int(g["penalty_level"].sum()),
                                   "national": muni_nat[int(y)]}
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
    tables = _shown_grant(tables, grant)
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
            "total": _rank_entry(r),
            "before": _rank_entry(before.loc[code]) if code in before.index else None,
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


def municipal_index_bundles(year: int, compare_year: int, src: dict, tables: dict, cfg: dict) -> dict[str, dict]:
    """One bundle per prefecture: every municipality of the report year in one table (the municipal index); in a
    two-grant year each municipality's entry has one per grant under ``grants`` and the 市町村分 of both.

    >>> tables = {"municipal_ranks": pd.read_csv(processed / "municipal_ranks.csv", dtype={"pref_code": str}),
    ...           "municipal_scores": pd.read_csv(processed / "municipal_scores.csv", dtype={"pref_code": str}),
    ...           "inputs/municipalities": pd.read_csv(processed / "inputs" / "municipalities.csv", dtype={"pref_code": str})}
    >>> idx = municipal_index_bundles(2019, 2018, src, tables, cfg)["13"]
    >>> idx["pref_name"], len(idx["municipalities"]), idx["municipalities"][0]["muni_code"], idx["penalty_threshold"]
    ('東京都', 62, 'S13001', 0.3)
    """
    grants = year_grants(cfg, year)
    munis = tables["inputs/municipalities"]
    names = munis[munis.fiscal_year == year].set_index("muni_code")["muni_name"]
    pref_names = src["prefectures"].set_index("pref_code")["pref_name"]
    threshold = float(cfg["scoring"]["penalty_threshold"])
    entries, penalties = {}, {}
    for grant in grants:
        t = _shown_grant(tables, grant)
        now = t["municipal_ranks"][t["municipal_ranks"].fiscal_year == year].set_index("muni_code").sort_index()
        scores = t["municipal_scores"]
        levels = scores[(scores.fiscal_year == year) & (scores.category == TOTAL)].set_index("muni_code")["penalty_level"]
        penalties[grant] = penalty_item(items_of(src["items"], grant), levels)
        entries[grant] = {code: _rank_entry(r) | {"penalty_level": None if pd.isna(levels[code]) else bool(levels[code])}
                          for code, r in now.iterrows()}
    now = of_grant(tables["municipal_ranks"], grants[0])
    now = now[now.fiscal_year == year].set_index("muni_code").sort_index()
    synthetic = tables["municipal_ranks"][tables["municipal_ranks"].fiscal_year == year].groupby("pref_code")["synthetic"].any()
    out = {}
    for pref, g in now.groupby("pref_code"):
        bundle = {"pref_code": pref, "pref_name": pref_names[pref], "year": year, "compare_year": compare_year,
                  "synthetic_years": [year] if synthetic[pref] else []}
        if len(grants) == 1:
            out[pref] = bundle | {"penalty_threshold": threshold,
                                  "municipalities": [{"muni_code": code, "muni_name": names[code], **entries[grants[0]][code]}
                                                     for code in g.index]}
            continue
        rows = []
        for code, r in g.iterrows():
            amounts = [entries[gr][code]["amount_thousand_yen"] for gr in grants]
            rows.append({"muni_code": code, "muni_name": names[code], "size_class": r.size_class,
                         "first_insured": int(r.first_insured), "grants": [entries[gr][code] for gr in grants],
                         "amount_thousand_yen": None if None in amounts else sum(amounts)})
        out[pref] = bundle | {"grants": [{"grant": gr, "label": GRANT_NAMES[gr][0],
                                          "penalty": None if penalties[gr] is None else {"threshold": threshold, "item": penalties[gr]}}
                                         for gr in grants], "municipalities": rows}
    return out


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
