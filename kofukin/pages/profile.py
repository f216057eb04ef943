"""都道府県別プロファイル: one prefecture's results of a grant — categories, stakes, its municipalities, the
allocation (notebooks/profile.py)."""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kofukin.model import paths
from kofukin.model.config import has_prefectural_results, load_config, municipal_page_prefectures, page_years, year_grants
from kofukin.model.paths import grant_suffix
from kofukin.model.schemas import GRANT_NAMES, TOTAL, of_grant
from kofukin.model.vintage import REAL_INPUTS, caption as synthetic_caption, real_inputs_note, synthetic_years
from kofukin.pages.page import Edition, Page, prefectures
from kofukin.report import style
from kofukin.report.alttext import describe
from kofukin.report.bundle import shown_grant
from kofukin.report.charts import finish_rate_bars
from kofukin.report.units import pct, rate_label, yen

NOTEBOOK = "profile.py"


def declare(e: Edition) -> list[Page]:
    """One page per prefecture and grant of the report year (showing the comparison year too where that year scores
    the grant): ``profile_13``, ``profile_13_support``; none in a municipal-only year.

    >>> pages = declare(Edition(2019, 2018, 2025))
    >>> len(pages), pages[12].title
    (47, '都道府県別プロファイル：東京都（2019年度）')
    >>> [(p.name, p.title, p.parameters.get("grant")) for p in declare(Edition(2099, 2098, 2027, grants={2099: ["promotion", "support"]}))[12::47]]
    [('profile_13', '都道府県別プロファイル：東京都（2099年度・推進）', None), ('profile_13_support', '都道府県別プロファイル：東京都（2099年度・支援）', 'support')]
    """
    grants, compare_grants = e.prefectural_grants, e.grants_of(e.compare_year)
    return [Page(name(p["pref_code"], grant, grants), NOTEBOOK,
                 f"都道府県別プロファイル：{p['pref_name']}（{e.year}年度{'・' + GRANT_NAMES[grant][0] if len(grants) > 1 else ''}）",
                 {"fiscal_year": e.year, "pref_code": p["pref_code"]} | ({"grant": grant} if grant_suffix(grant, grants) else {}),
                 years=(e.compare_year, e.year) if grant in compare_grants else (e.year,),
                 grant=grant if len(grants) > 1 else None, part="profile")
            for grant in grants for p in prefectures(e.raw)]


def name(pref_code: str, grant: str, grants: list[str]) -> str:
    """A profile page's name: ``profile_13``, ``profile_13_support`` for a year's other grant.

    >>> name("13", "support", ["promotion", "support"])
    'profile_13_support'
    """
    return f"profile_{pref_code}{grant_suffix(grant, grants)}"


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
            bundle["other_grants"] = [{"grant": g, "label": GRANT_NAMES[g][1], "page": f"{name(code, g, grants)}.html"}
                                      for g in grants if g != grant]
            out[f"{code}{grant_suffix(grant, grants)}"] = bundle
    return out


def _grant_bundles(year: int, compare_year: int, src: dict, tables: dict, cfg: dict, grant: str, two: bool) -> dict[str, dict]:
    """One grant's profile bundles (``bundles``)."""
    tables = shown_grant(tables, grant)
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
        synthetic = sorted({*synthetic_years(own), *synthetic_years(mine)}
                           | ({year} if a["synthetic"] or muni_alloc[code]["synthetic"].any() else set()))
        note = real_inputs_note({t: df[(df.pref_code == code) & (df.grant == grant) & (df.fiscal_year == year)]
                                 for t, df in tables.items() if t in REAL_INPUTS}, [year] if a["synthetic"] else [])
        out[code] = {**({"real_inputs_note": note} if note else {}),     # absent where nothing real sits beside synthetic amounts
            "pref_code": code, "pref_name": cur["pref_name"].iloc[0], "year": year, "compare_year": compare_year,
            "grant": grant, "grant_label": GRANT_NAMES[grant][0] if two else None,
            "synthetic_years": synthetic,
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


def _by_pref(table: pd.DataFrame, year: int) -> dict[str, pd.DataFrame]:
    return dict(tuple(table[table.fiscal_year == year].groupby("pref_code")))


def _score(row) -> dict:
    return {"score": int(row["score"]), "max_points": int(row["max_points"]), "score_rate": round(float(row["score_rate"]), 6),
            "rank": int(row["rank"]), "national_average": round(float(row["national_average"]), 6)}


def _quantiles(s: pd.Series) -> dict:
    q = s.quantile([0.25, 0.5, 0.75])
    return {"mean": round(float(s.mean()), 6), "q25": float(q[0.25]), "median": float(q[0.5]), "q75": float(q[0.75])}


def load(fiscal_year: int | None, pref_code: str, grant: str | None = None, project_dir: Path | str | None = None) -> dict:
    """The page's data: a prefecture's profile bundle of ``fiscal_year`` (None: the report year) and ``grant`` (None:
    the year's first) in a project folder (``paths.project(project_dir)``), checked as ``read`` does.

    >>> load(2019, "13", "promotion", processed.parents[1])["pref_name"]
    '東京都'
    """
    year, _ = page_years(fiscal_year, root=project_dir)
    grants = year_grants(load_config(paths.project(project_dir)["config"]), year)
    if grant is not None and grant not in grants:
        raise ValueError(f"fiscal year {year} scores {', '.join(grants)}, not {grant} (years.{year}.grants)")
    return read(paths.bundle(pref_code, project_dir, grant, grants), year=year, grant=grant)


def read(path: Path | str, year: int | None = None, grant: str | None = None) -> dict:
    """Read a bundle written by the data build (``bundles``); ``year`` and ``grant``, when given, must be its report
    year and its grant.

    >>> b = read(processed / "profiles" / "13.json", year=2019, grant="promotion")
    >>> b["pref_name"], b["total"]["max_points"]
    ('東京都', 741)
    """
    bundle = json.loads(Path(path).read_text(encoding="utf-8"))
    if year is not None and bundle["year"] != year:
        raise ValueError(f"{path} is the {bundle['year']} profile, not {year}: run doit for {year}")
    if grant is not None and bundle["grant"] != grant:
        raise ValueError(f"{path} is the profile of {bundle['grant']}, not {grant}: {year or bundle['year']} does not score {grant}")
    return bundle


def key_figures(b: dict) -> list[tuple[str, str]]:
    """The page's key figures: total, score rate, rank, distance to the national average, grant.

    >>> key_figures(b)[2]
    ('順位', '14位 / 47')
    """
    t = b["total"]
    return ([("交付金", b["grant_label"])] if b.get("grant_label") else []) + [
        ("合計点", f"{t['score']} / {t['max_points']}点"), ("得点率", pct(t["score_rate"])),
        ("順位", f"{t['rank']}位 / {b['n_prefectures']}"), ("全国平均との差", f"{t['score'] - t['national_average']:+.1f}点"),
        ("交付額", f"{yen(b['allocation']['amount_thousand_yen'])}千円")]


def links(b: dict) -> list[tuple[str, str]]:
    """The page's links: its municipalities' index (where their pages are built) and its profile of the year's
    other grant.

    >>> links(b)
    [('東京都の市町村別の結果（各市町村のページ）', 'municipal/13/index.html')]
    """
    out = [(f"{b['pref_name']}の市町村別の結果（各市町村のページ）", f"municipal/{b['pref_code']}/index.html")] if b["municipal_index"] else []
    return out + [(f"{b['pref_name']}の{o['label']}のプロファイル", o["page"]) for o in b["other_grants"]]


def caption(b: dict, years: list[int] | None = None, requests: bool = False) -> str:
    """The 合成データ note beside a chart or table of the bundle showing ``years`` (default: both years); one
    showing its ``requests`` says so where they are real beside synthetic amounts (the bundle's real_inputs_note).

    >>> caption(b, [b["year"]]), caption({**b, "real_inputs_note": "ただし…"}, [b["year"]], requests=True)[-4:]
    ('※ 合成データです（厚生労働省の評価結果ではありません）。', 'ただし…')
    """
    text = synthetic_caption(b["synthetic_years"], years or [b["compare_year"], b["year"]])
    return text + b.get("real_inputs_note", "") if text and requests else text


def headline(b: dict) -> pd.DataFrame:
    """合計点・順位・全国平均との差, this year and the comparison year.

    >>> t = headline(b)
    >>> list(t.columns)
    ['年度', '合計（点）', '満点（点）', '得点率', '順位', '全国平均（点）', '全国平均との差（点）']
    >>> t.iloc[0].to_dict()
    {'年度': 2018, '合計（点）': 730, '満点（点）': 730, '得点率': '100.0%', '順位': '1 / 47', '全国平均（点）': '638.0', '全国平均との差（点）': '+92.0'}
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

    >>> t = categories(b)
    >>> list(t.columns)
    ['区分', '名称', '得点（点）', '満点（点）', '得点率', '全国の得点率', '差（ポイント）', '順位']
    >>> t.iloc[0].to_dict()
    {'区分': 'I', '名称': '地域課題の把握と支援計画', '得点（点）': 106, '満点（点）': 106, '得点率': '100.0%', '全国の得点率': '93.6%', '差（ポイント）': '+6.4', '順位': 1}
    """
    return pd.DataFrame([{"区分": c["category"], "名称": c["label"], "得点（点）": c["score"], "満点（点）": c["max_points"],
                          "得点率": pct(c["score_rate"]), "全国の得点率": pct(c["national_rate"]),
                          "差（ポイント）": f"{100 * (c['score_rate'] - c['national_rate']):+.1f}", "順位": c["rank"]}
                         for c in b["categories"]])


def stakes(b: dict) -> pd.DataFrame:
    """達成していない評価指標: points at stake and the grant change if achieved (all else fixed).

    >>> t = stakes(b)
    >>> list(t.columns)
    ['項目', '評価指標', '得点（点）', '配点（点）', '未獲得（点）', '交付額の増加（千円）']
    >>> t.iloc[0].to_dict()                  # 東京都 is capped at its request: achieving more pays nothing
    {'項目': 'III-①', '評価指標': '管内市町村の評価指標の達成状況の平均', '得点（点）': 0, '配点（点）': 20, '未獲得（点）': 20, '交付額の増加（千円）': '714'}
    """
    return _table(b["stakes"], {"項目": lambda s: s["item"], "評価指標": lambda s: s["label"], "得点（点）": lambda s: s["points"],
                                "配点（点）": lambda s: s["max_points"], "未獲得（点）": lambda s: s["points_at_stake"],
                                "交付額の増加（千円）": lambda s: yen(s["amount_change_thousand_yen"])})


def category_stakes(b: dict) -> pd.DataFrame:
    """全国平均に届いていない区分: points to the national average and the grant change (all else fixed).

    >>> t = category_stakes(read(processed / "profiles" / "01.json"))
    >>> list(t.columns)
    ['区分', '名称', '得点（点）', '全国平均（点）', '全国平均までの得点（点）', '交付額の増加（千円）']
    >>> t.iloc[0].to_dict(), len(category_stakes(b))
    ({'区分': 'III', '名称': '市町村の達成状況', '得点（点）': 25, '全国平均（点）': '49.6', '全国平均までの得点（点）': 25, '交付額の増加（千円）': '894'}, 4)
    """
    return _table(b["category_stakes"], {"区分": lambda c: c["category"], "名称": lambda c: c["label"], **_TO_AVERAGE,
                                         "交付額の増加（千円）": lambda c: yen(c["amount_change_thousand_yen"])})


def municipal_stakes(b: dict) -> pd.DataFrame:
    """管内市町村: the categories below the national average worth most in the 市町村分 grant.

    >>> t = municipal_stakes(b)
    >>> list(t.columns)
    ['市町村', '区分', '得点（点）', '全国平均（点）', '全国平均までの得点（点）', '市町村分交付額の増加（千円）']
    >>> t.iloc[0].to_dict()
    {'市町村': '合成市町村13-022', '区分': 'II', '得点（点）': 232, '全国平均（点）': '339.4', '全国平均までの得点（点）': 108, '市町村分交付額の増加（千円）': '21,774'}
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

    >>> t = municipal(b)
    >>> list(t.columns)
    ['年度', '市町村数', '平均（点）', '中央値（点）', '全国平均（点）', '満点（点）', '得点率3割以下の市町村']
    >>> t.iloc[0].to_dict()
    {'年度': 2018, '市町村数': 62, '平均（点）': '381.5', '中央値（点）': '405.5', '全国平均（点）': '411.0', '満点（点）': 612, '得点率3割以下の市町村': 6}
    """
    penalty = f"得点率{rate_label(b['penalty']['threshold'])}以下の市町村"
    rows = []
    for year, m in sorted(b["municipal"].items()):
        s = pd.Series(m["scores"])
        rows.append({"年度": int(year), "市町村数": len(s), "平均（点）": f"{s.mean():.1f}", "中央値（点）": f"{s.median():.1f}",
                     "全国平均（点）": f"{m['national']['mean']:.1f}", "満点（点）": m["max_points"],
                     penalty: "—" if m["penalty_level"] is None else m["penalty_level"]})
    table = pd.DataFrame(rows)
    ruled = any(m["penalty_level"] is not None for m in b["municipal"].values())     # a 支援 profile: no penalty rule
    return table if ruled else table.drop(columns=penalty)


def allocation(b: dict) -> pd.DataFrame:
    """交付額: share by score, request (cap) and amount paid, in 千円.

    >>> allocation(b).iloc[0].to_dict()
    {'得点による配分額（千円）': '22,511', '所要見込額（千円）': '34,733', '交付額（千円）': '22,511', '所要見込額で上限': '—', '都道府県分予算に占める割合': '2.25%'}
    """
    a = b["allocation"]
    return pd.DataFrame([{"得点による配分額（千円）": yen(a["share_thousand_yen"]),
                          "所要見込額（千円）": "—" if a["cap_thousand_yen"] is None else yen(a["cap_thousand_yen"]),
                          "交付額（千円）": yen(a["amount_thousand_yen"]), "所要見込額で上限": "○" if a["capped"] else "—",
                          "都道府県分予算に占める割合": pct(a["amount_thousand_yen"] / a["budget"], 2)}])


def profile_categories(b: dict):
    """A prefecture's score rate per category against the national rate.

    >>> fig = profile_categories(b)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '2019年度 区分別の得点率（東京都と全国）'
    """
    cats = pd.DataFrame(b["categories"]).iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.36 * len(cats) + 1.2))
    y = np.arange(len(cats))
    ax.barh(y + 0.19, cats["score_rate"] * 100, height=0.38, color=style.PALETTE[0], label=b["pref_name"])
    ax.barh(y - 0.19, cats["national_rate"] * 100, height=0.38, color=style.NEUTRAL, label="全国")
    ax.set_yticks(y, [f"{c} {lab}" for c, lab in zip(cats["category"], cats["label"])])
    fig = finish_rate_bars(fig, ax, 112, f"{b['year']}年度 区分別の得点率（{b['pref_name']}と全国）")
    return describe(fig, "、".join(f"{c} {pct(own)}（全国 {pct(nat)}）" for c, own, nat
                                   in zip(cats["category"][::-1], cats["score_rate"][::-1], cats["national_rate"][::-1])) + "。")


def profile_municipal(b: dict):
    """Histogram of a prefecture's municipal total scores, with the national mean and the penalty line.

    >>> fig = profile_municipal(b)
    >>> (fig._suptitle or fig.axes[0].title).get_text()
    '東京都の市町村得点の分布'
    """
    years = sorted(b["municipal"])
    fig, axes = plt.subplots(1, len(years), figsize=(10, 3.4), sharey=True, squeeze=False)
    for ax, year in zip(axes[0], years):
        m = b["municipal"][year]
        bins = np.linspace(0, m["max_points"], 24)
        ax.hist(m["scores"], bins=bins, color=style.PALETTE[3], edgecolor="white")
        ax.axvline(m["national"]["mean"], color=style.AVERAGE, linestyle="--", linewidth=1, label="全国平均")
        if m["penalty_level"] is not None:      # a grant without the penalty: no line
            ax.axvline(b["penalty"]["threshold"] * m["max_points"], color=style.HIGHLIGHT, linestyle=":", linewidth=1.2,
                       label=f"得点率{rate_label(b['penalty']['threshold'])}")
        ax.set_title(f"{year}年度（満点{m['max_points']}点）")
        ax.set_xlabel("市町村の合計点（点）")
    axes[0][0].set_ylabel("市町村数")
    axes[0][-1].legend(frameon=False, loc="upper left")
    fig.suptitle(f"{b['pref_name']}の市町村得点の分布")
    def year_text(year):
        m = b["municipal"][year]
        return (f"{year}年度は{len(m['scores'])}市町村、{min(m['scores'])}〜{max(m['scores'])}点、平均{np.mean(m['scores']):.1f}点"
                f"（全国平均{m['national']['mean']:.1f}点）")
    return describe(fig, "。".join(year_text(y) for y in years) + "。")
