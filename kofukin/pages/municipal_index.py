"""市町村別の結果: one prefecture's municipalities in a sortable table, each linking to its page
(notebooks/municipal_index.py)."""

import json
from pathlib import Path

import pandas as pd

from kofukin.model import paths
from kofukin.model.catalogue import items_of
from kofukin.model.config import page_years, year_grants
from kofukin.model.schemas import GRANT_NAMES, TOTAL, of_grant
from kofukin.pages.page import Page, prefectures
from kofukin.report.bundle import amount_text, rank_entry, rank_text, shown_grant
from kofukin.report.penalty import penalty_item
from kofukin.report.units import pct

NOTEBOOK = "municipal_index.py"


def declare_indexes(year: int, raw: Path = paths.RAW) -> list[Page]:
    """One municipal index per prefecture (reports/html/municipal/<pref>/index.html).

    >>> pages = declare_indexes(2019)
    >>> len(pages), pages[12].name, pages[12].title
    (47, 'municipal/13/index', '市町村別の結果：東京都（2019年度）')
    """
    return [Page(f"municipal/{p['pref_code']}/index", NOTEBOOK, f"市町村別の結果：{p['pref_name']}（{year}年度）",
                 {"fiscal_year": year, "pref_code": p["pref_code"]}, years=(year,), part="municipal_index")
            for p in prefectures(raw)]


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
        t = shown_grant(tables, grant)
        now = t["municipal_ranks"][t["municipal_ranks"].fiscal_year == year].set_index("muni_code").sort_index()
        scores = t["municipal_scores"]
        levels = scores[(scores.fiscal_year == year) & (scores.category == TOTAL)].set_index("muni_code")["penalty_level"]
        penalties[grant] = penalty_item(items_of(src["items"], grant), levels)
        entries[grant] = {code: rank_entry(r) | {"penalty_level": None if pd.isna(levels[code]) else bool(levels[code])}
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


def load(fiscal_year: int | None, pref_code: str, project_dir: Path | str | None = None) -> dict:
    """The page's data: the municipal index bundle of one prefecture in a project folder (``paths.project(project_dir)``),
    which must be of ``fiscal_year`` (None: the report year).

    >>> load(None, "13", processed.parents[1])["pref_name"]
    '東京都'
    """
    year, _ = page_years(fiscal_year, root=project_dir)
    idx = read(paths.municipal_bundles(project_dir), pref_code)
    if idx["year"] != year:
        raise ValueError(f"the municipal index of {pref_code} is the {idx['year']} one, not {year}: run doit for {year}")
    return idx


def read(folder: Path | str, pref_code: str) -> dict:
    """The municipal index bundle of one prefecture (``municipal_index_bundles``) under ``folder``.

    >>> read(processed / "municipal", "13")["pref_name"]
    '東京都'
    """
    return json.loads((Path(folder) / pref_code / "index.json").read_text(encoding="utf-8"))


def index_table(idx: dict) -> tuple[pd.DataFrame, list[str]]:
    """The municipal index of a prefecture: one row per municipality (per municipality and grant, with the 市町村分
    of both grants on its first row, where the year scores two), and each row's page link.

    >>> t, links = index_table(read(processed / "municipal", "13"))
    >>> len(t), links[0], t.iloc[0]["コード"]
    (62, 'S13001.html', 'S13001')
    >>> t, links = index_table(idx2)
    >>> len(t), links[:2], t.iloc[0][["交付金", "交付額（千円）", "交付額計（千円）", "得点率35%以下（推進）"]].tolist()
    (38, ['S31001.html', 'S31001.html'], ['推進', '825', '1,457', ''])
    """
    def row(r: dict, e: dict, two: bool = False) -> dict:         # two grants: 全国順位 on the pages, the table fits
        return {"合計（点）": e["score"], "得点率": pct(e["score_rate"]), "県内順位": rank_text(e, "rank_in_prefecture")} | (
            {} if two else {"全国順位": rank_text(e, "rank_national")}) | {
            "規模別順位": f"{rank_text(e, 'rank_in_size_class')}（{r['size_class']}）",
            "交付額（千円）" if two else "市町村分交付額（千円）": amount_text(e["amount_thousand_yen"])}

    if "grants" not in idx:
        rows = [{"コード": r["muni_code"], "市町村": r["muni_name"]} | row(r, r)
                | {f"得点率{pct(idx['penalty_threshold'], 0)}以下": "○" if r["penalty_level"] else ""} for r in idx["municipalities"]]
        return pd.DataFrame(rows), [f"{r['muni_code']}.html" for r in idx["municipalities"]]
    penalised = [g for g in idx["grants"] if g["penalty"] is not None and g["penalty"]["item"]]
    rows, links = [], []
    for r in idx["municipalities"]:
        for i, (g, e) in enumerate(zip(idx["grants"], r["grants"])):
            rows.append({"コード": r["muni_code"], "市町村": r["muni_name"], "交付金": g["label"]} | row(r, e, True)
                        | {"交付額計（千円）": "" if i else amount_text(r["amount_thousand_yen"])}
                        | {f"得点率{pct(p['penalty']['threshold'], 0)}以下（{p['label']}）": "○" if p is g and e["penalty_level"] else ""
                           for p in penalised})
            links.append(f"{r['muni_code']}.html")
    return pd.DataFrame(rows), links
